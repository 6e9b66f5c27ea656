import { describe, expect, it } from 'vitest';
import type { FetchLike } from '../src/lib/engines/openaiHttp';
import {
  SLOTS_TIMEOUT_MS,
  propsBase,
  readServerSlots,
  totalSlotsOf,
} from '../src/lib/engines/serverSlots';
import type { Services } from '../src/lib/state/services';
import { SetupForm } from '../src/lib/state/setupForm.svelte';
import { ManualClock } from './support/manualClock';

interface Asked {
  url: string;
  headers: Record<string, string>;
}

/** A fetch that answers every request with `reply` and records what it was asked. */
function scriptedFetch(reply: () => Response | Promise<Response>): FetchLike & { asked: Asked[] } {
  const asked: Asked[] = [];
  const fetch = async (url: string, init: RequestInit): Promise<Response> => {
    asked.push({ url, headers: { ...(init.headers as Record<string, string>) } });
    return reply();
  };
  return Object.assign(fetch, { asked });
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('where /props is', () => {
  it('sits beside /v1, under any path prefix, on the same origin', () => {
    expect(propsBase('http://127.0.0.1:8080/v1')).toBe('http://127.0.0.1:8080');
    expect(propsBase('http://127.0.0.1:8080/v1/')).toBe('http://127.0.0.1:8080');
    expect(propsBase(' https://gpu.lan/llama/v1 ')).toBe('https://gpu.lan/llama');
    expect(propsBase('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(propsBase('http://127.0.0.1:8080/v10')).toBe('http://127.0.0.1:8080/v10');
  });

  it('is nowhere for an address that is not http(s)', () => {
    expect(propsBase('ftp://gpu.lan/v1')).toBeNull();
    expect(propsBase('gpu.lan:8080/v1')).toBeNull();
    expect(propsBase('')).toBeNull();
  });
});

describe('reading total_slots', () => {
  it('takes a whole number of at least one', () => {
    expect(totalSlotsOf({ total_slots: 4, model_path: 'm.gguf' })).toBe(4);
    expect(totalSlotsOf({ total_slots: 1 })).toBe(1);
  });

  it('takes nothing else', () => {
    for (const props of [
      {},
      { total_slots: 0 },
      { total_slots: 2.5 },
      { total_slots: '4' },
      null,
      4,
    ])
      expect(totalSlotsOf(props)).toBeNull();
  });
});

describe('asking the server for its slots', () => {
  it('asks GET /props beside /v1 with the key and reads the slots', async () => {
    const fetch = scriptedFetch(() => json({ total_slots: 8 }));
    const slots = await readServerSlots({
      baseUrl: 'http://127.0.0.1:8080/v1',
      apiKey: 'sk-local',
      fetch,
    });
    expect(slots).toBe(8);
    expect(fetch.asked).toHaveLength(1);
    expect(fetch.asked[0]?.url).toBe('http://127.0.0.1:8080/props');
    expect(fetch.asked[0]?.headers.Authorization).toBe('Bearer sk-local');
  });

  it('sends no Authorization header when there is no key', async () => {
    const fetch = scriptedFetch(() => json({ total_slots: 2 }));
    await readServerSlots({ baseUrl: 'http://127.0.0.1:8080/v1', fetch });
    expect(fetch.asked[0]?.headers).not.toHaveProperty('Authorization');
  });

  it('says nothing for a server without /props, as vLLM and Ollama are', async () => {
    const fetch = scriptedFetch(() => json({ detail: 'Not Found' }, 404));
    expect(await readServerSlots({ baseUrl: 'http://127.0.0.1:8000/v1', fetch })).toBeNull();
    // A 404 is an answer, not a hiccup: asked once, not retried.
    expect(fetch.asked).toHaveLength(1);
  });

  it('says nothing for a reply it cannot read or a server it cannot reach', async () => {
    const garbled = scriptedFetch(() => new Response('<html>', { status: 200 }));
    expect(await readServerSlots({ baseUrl: 'http://127.0.0.1:1/v1', fetch: garbled })).toBeNull();
    const unreachable = scriptedFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    expect(
      await readServerSlots({ baseUrl: 'http://127.0.0.1:1/v1', fetch: unreachable }),
    ).toBeNull();
    const noSlots = scriptedFetch(() => json({ model_path: 'm.gguf' }));
    expect(await readServerSlots({ baseUrl: 'http://127.0.0.1:1/v1', fetch: noSlots })).toBeNull();
  });

  it('asks nothing for an address that is not http(s)', async () => {
    const fetch = scriptedFetch(() => json({ total_slots: 2 }));
    expect(await readServerSlots({ baseUrl: 'file:///etc/v1', fetch })).toBeNull();
    expect(fetch.asked).toHaveLength(0);
  });

  it('gives up after a few seconds on a server that never answers', async () => {
    const clock = new ManualClock();
    const fetch: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => reject(new DOMException('', 'AbortError')));
      });
    const slots = readServerSlots({
      baseUrl: 'http://127.0.0.1:8080/v1',
      fetch,
      setTimer: clock.setTimer,
    });
    await clock.until(() => clock.pending.includes(SLOTS_TIMEOUT_MS));
    clock.advance(SLOTS_TIMEOUT_MS);
    expect(await slots).toBeNull();
    expect(SLOTS_TIMEOUT_MS).toBeLessThanOrEqual(5_000);
  });
});

/** Services for the form alone: a model list and, when given, the slots the server tells. */
function formServices(endpointSlots?: Services['endpointSlots']): Services {
  const unused = () => {
    throw new Error('not in this test');
  };
  return {
    db: {} as Services['db'],
    pipeline: unused,
    preflight: unused,
    deviceMemoryGB: () => undefined,
    loadCatalog: unused,
    cachedModels: unused,
    listEndpointModels: async () => ['llama'],
    ...(endpointSlots ? { endpointSlots } : {}),
  };
}

function endpointForm(services: Services): SetupForm {
  const form = new SetupForm(services);
  form.fields.engineKind = 'openai';
  form.changeEndpoint('http://127.0.0.1:8080/v1');
  return form;
}

describe('the concurrency field and what the server tells', () => {
  it('shows the slots after the models are listed and sets the field from them', async () => {
    const asked: [string, string][] = [];
    const form = endpointForm(
      formServices(async (url, key) => {
        asked.push([url, key]);
        return 6;
      }),
    );
    form.setApiKey('sk-local');
    expect(form.serverSlots).toBeNull();
    await form.fetchEndpointModels();
    await expect.poll(() => form.serverSlots).toBe(6);
    expect(asked).toEqual([['http://127.0.0.1:8080/v1', 'sk-local']]);
    expect(form.fields.endpointConcurrency).toBe(4);
    form.useServerSlots();
    expect(form.fields.endpointConcurrency).toBe(6);
    expect(form.recipe.engine).toMatchObject({ concurrency: 6 });
  });

  it('suggests no more than the recipe allows for a server with more slots', async () => {
    const form = endpointForm(formServices(async () => 256));
    await form.fetchEndpointModels();
    await expect.poll(() => form.serverSlots).toBe(256);
    expect(form.suggestedConcurrency).toBe(64);
    form.useServerSlots();
    expect(form.fields.endpointConcurrency).toBe(64);
  });

  it('lists the models without waiting for the slots', async () => {
    const form = endpointForm(formServices(() => new Promise<number | null>(() => {})));
    await form.fetchEndpointModels();
    expect(form.endpointModels).toEqual({ state: 'ready', models: ['llama'] });
    expect(form.serverSlots).toBeNull();
  });

  it('drops an answer for an address that was changed meanwhile', async () => {
    let answer: (slots: number) => void = () => {};
    const form = endpointForm(
      formServices(() => new Promise<number | null>((resolve) => (answer = resolve))),
    );
    await form.fetchEndpointModels();
    form.changeEndpoint('http://127.0.0.1:11434/v1');
    answer(4);
    await Promise.resolve();
    expect(form.serverSlots).toBeNull();
    form.useServerSlots();
    expect(form.fields.endpointConcurrency).toBe(4);
  });

  it('forgets the slots when the address changes', async () => {
    const form = endpointForm(formServices(async () => 2));
    await form.fetchEndpointModels();
    await expect.poll(() => form.serverSlots).toBe(2);
    form.changeEndpoint('http://127.0.0.1:8000/v1');
    expect(form.serverSlots).toBeNull();
    expect(form.suggestedConcurrency).toBeNull();
  });

  it('shows nothing where the server does not tell or cannot be asked', async () => {
    const silent = endpointForm(formServices(async () => null));
    await silent.fetchEndpointModels();
    const failing = endpointForm(formServices(() => Promise.reject(new Error('boom'))));
    await failing.fetchEndpointModels();
    const without = endpointForm(formServices());
    await without.fetchEndpointModels();
    await new Promise((resolve) => setTimeout(resolve, 0));
    for (const form of [silent, failing, without]) {
      expect(form.serverSlots).toBeNull();
      expect(form.endpointModels).toMatchObject({ state: 'ready' });
    }
  });
});
