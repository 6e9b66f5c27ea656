// The fetch relay over a real MessageChannel: what the pipeline worker gets back must behave as
// the fetch it replaces, streamed bodies, failures and aborts included.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FetchLike } from '../src/lib/engines/openaiHttp';
import { callEndpoint } from '../src/lib/engines/openaiHttp';
import type { NetworkRecord } from '../src/lib/network/tally';
import { browserPipelineDeps } from '../src/lib/worker/factories';
import { FetchRelayClient, serveFetchRelay } from '../src/lib/worker/fetchRelay';

interface Asked {
  url: string;
  init: RequestInit;
}

const clients: FetchRelayClient[] = [];

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

/** A client and, once `serve` is called, a relay on the other end of its channel. */
function relayPair(relayFetch: FetchLike, record?: () => NetworkRecord) {
  const { port1, port2 } = new MessageChannel();
  const direct = vi.fn<FetchLike>(async () => new Response('direct'));
  const client = new FetchRelayClient(port1, direct);
  clients.push(client);
  const serve = async (): Promise<void> => {
    serveFetchRelay(port2, { fetch: relayFetch, record });
    await vi.waitFor(() => expect(client.ready).toBe(true));
  };
  return { client, direct, serve };
}

/** A relay whose fetch records what it was asked and answers with `reply`. */
function asking(reply: (asked: Asked) => Response | Promise<Response>) {
  const asked: Asked[] = [];
  const relayFetch: FetchLike = async (url, init) => {
    const one = { url, init };
    asked.push(one);
    return reply(one);
  };
  return { asked, relayFetch };
}

/** A body the test feeds chunk by chunk, and whether its reader was cancelled. */
function feed() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start: (c) => {
      controller = c;
    },
  });
  const encoder = new TextEncoder();
  return {
    body,
    push: (text: string) => controller.enqueue(encoder.encode(text)),
    close: () => controller.close(),
    fail: (error: Error) => controller.error(error),
  };
}

const sse = { 'Content-Type': 'text/event-stream' };

describe('the fetch relay', () => {
  it('leaves requests to the direct fetch until the relay answers', async () => {
    const { relayFetch, asked } = asking(() => new Response('relayed'));
    const { client, direct, serve } = relayPair(relayFetch);
    expect(client.ready).toBe(false);
    expect(await (await client.fetch('http://a.test/v1/models', {})).text()).toBe('direct');
    expect(direct).toHaveBeenCalledTimes(1);
    await serve();
    expect(await (await client.fetch('http://a.test/v1/models', {})).text()).toBe('relayed');
    expect(direct).toHaveBeenCalledTimes(1);
    expect(asked).toHaveLength(1);
  });

  it('makes the request as asked and hands back status, headers and body', async () => {
    const { relayFetch, asked } = asking(
      () =>
        new Response('{"data":[1,2]}', {
          status: 201,
          statusText: 'Made',
          headers: { 'Content-Type': 'application/json', 'X-Served-By': 'relay-test' },
        }),
    );
    const { client, serve } = relayPair(relayFetch);
    await serve();
    const response = await client.fetch('http://a.test/v1/embeddings', {
      method: 'POST',
      headers: { Authorization: 'Bearer sk-1', 'Content-Type': 'application/json' },
      body: '{"input":["x"]}',
    });
    expect(response.status).toBe(201);
    expect(response.statusText).toBe('Made');
    expect(response.headers.get('X-Served-By')).toBe('relay-test');
    expect(await response.json()).toEqual({ data: [1, 2] });
    expect(asked[0]?.url).toBe('http://a.test/v1/embeddings');
    expect(asked[0]?.init.method).toBe('POST');
    expect(asked[0]?.init.body).toBe('{"input":["x"]}');
    expect(new Headers(asked[0]?.init.headers).get('authorization')).toBe('Bearer sk-1');
  });

  it('streams an event stream chunk by chunk, before the server has finished', async () => {
    const server = feed();
    const { relayFetch } = asking(() => new Response(server.body, { headers: sse }));
    const { client, serve } = relayPair(relayFetch);
    await serve();
    const response = await client.fetch('http://a.test/v1/chat/completions', { method: 'POST' });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    server.push('data: one\n\n');
    expect((await reader.read()).value).toBe('data: one\n\n');
    server.push('data: two\n\n');
    expect((await reader.read()).value).toBe('data: two\n\n');
    server.close();
    expect((await reader.read()).done).toBe(true);
  });

  it('passes a refusal through with its headers, so the caller retries as it would', async () => {
    let calls = 0;
    const { relayFetch } = asking(() =>
      ++calls === 1
        ? new Response('busy', { status: 429, headers: { 'Retry-After': '0' } })
        : new Response('{"ok":true}', { headers: { 'Content-Type': 'application/json' } }),
    );
    const { client, serve } = relayPair(relayFetch);
    await serve();
    const waits: number[] = [];
    const result = await callEndpoint(
      {
        baseUrl: 'http://a.test/v1',
        fetch: client.fetch,
        sleep: async (ms) => {
          waits.push(ms);
        },
      },
      { path: 'models', method: 'GET' },
      async (response) => (await response.json()) as unknown,
    );
    expect(result).toEqual({ ok: true });
    expect(calls).toBe(2);
    expect(waits).toEqual([0]);
  });

  it('fails as fetch fails, with a TypeError, when no reply comes', async () => {
    const { relayFetch } = asking(() => {
      throw new TypeError('Failed to fetch');
    });
    const { client, serve } = relayPair(relayFetch);
    await serve();
    const error = await client.fetch('http://a.test/v1/models', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('Failed to fetch');
  });

  it('errors the body with a TypeError when the connection drops mid-stream', async () => {
    const server = feed();
    const { relayFetch } = asking(() => new Response(server.body, { headers: sse }));
    const { client, serve } = relayPair(relayFetch);
    await serve();
    const response = await client.fetch('http://a.test/v1/chat/completions', {});
    const reader = response.body!.getReader();
    server.push('data: one\n\n');
    await reader.read();
    server.fail(new Error('network error'));
    const error = await reader.read().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('network error');
  });

  it('aborts the relayed request when the caller aborts before the reply', async () => {
    let relaySignal: AbortSignal | undefined;
    const { client, serve } = relayPair(
      (_url, init) =>
        new Promise<Response>((_resolve, reject) => {
          relaySignal = init.signal ?? undefined;
          relaySignal?.addEventListener('abort', () =>
            reject(new DOMException('gone', 'AbortError')),
          );
        }),
    );
    await serve();
    const controller = new AbortController();
    const pending = client.fetch('http://a.test/v1/models', { signal: controller.signal });
    await vi.waitFor(() => expect(relaySignal).toBeDefined());
    controller.abort(new Error('paused'));
    await expect(pending).rejects.toThrow('paused');
    await vi.waitFor(() => expect(relaySignal?.aborted).toBe(true));
  });

  it('rejects at once, asking nothing, when the signal is already aborted', async () => {
    const { relayFetch, asked } = asking(() => new Response('x'));
    const { client, serve } = relayPair(relayFetch);
    await serve();
    const controller = new AbortController();
    controller.abort(new Error('stopped before'));
    await expect(client.fetch('http://a.test/v1', { signal: controller.signal })).rejects.toThrow(
      'stopped before',
    );
    expect(asked).toHaveLength(0);
  });

  it('errors the body and stops the relay when the caller aborts mid-stream', async () => {
    const server = feed();
    let relaySignal: AbortSignal | undefined;
    const { client, serve } = relayPair(async (_url, init) => {
      relaySignal = init.signal ?? undefined;
      relaySignal?.addEventListener('abort', () => server.fail(new Error('aborted')));
      return new Response(server.body, { headers: sse });
    });
    await serve();
    const controller = new AbortController();
    const response = await client.fetch('http://a.test/v1/chat/completions', {
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    server.push('data: one\n\n');
    await reader.read();
    controller.abort(new Error('timed out'));
    await expect(reader.read()).rejects.toThrow('timed out');
    await vi.waitFor(() => expect(relaySignal?.aborted).toBe(true));
  });

  it('stops the relay when the reader cancels the body', async () => {
    const server = feed();
    let relaySignal: AbortSignal | undefined;
    const { client, serve } = relayPair(async (_url, init) => {
      relaySignal = init.signal ?? undefined;
      return new Response(server.body, { headers: sse });
    });
    await serve();
    const response = await client.fetch('http://a.test/v1/chat/completions', {});
    await response.body!.cancel();
    await vi.waitFor(() => expect(relaySignal?.aborted).toBe(true));
  });

  it('gives a bodyless status no body', async () => {
    const { relayFetch } = asking(() => new Response(null, { status: 204 }));
    const { client, serve } = relayPair(relayFetch);
    await serve();
    const response = await client.fetch('http://a.test/v1', { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it('leaves a body that is not text to the direct fetch', async () => {
    const { relayFetch, asked } = asking(() => new Response('relayed'));
    const { client, direct, serve } = relayPair(relayFetch);
    await serve();
    await client.fetch('http://a.test/upload', { method: 'POST', body: new Uint8Array([1, 2]) });
    expect(direct).toHaveBeenCalledTimes(1);
    expect(asked).toHaveLength(0);
  });

  it("reports the relay's own network record, and none before it answers", async () => {
    const record: NetworkRecord = {
      origins: [{ origin: 'http://a.test', requests: 3, bytes: 900, unsized: 0 }],
      refusals: [],
    };
    const { relayFetch } = asking(() => new Response('x'));
    const { client, serve } = relayPair(relayFetch, () => record);
    expect(await client.record()).toBeNull();
    await serve();
    expect(await client.record()).toEqual(record);
  });

  it('fails the requests in flight when closed', async () => {
    const { client, serve } = relayPair(() => new Promise<Response>(() => {}));
    await serve();
    const pending = client.fetch('http://a.test/v1/models', {});
    await new Promise((resolve) => setTimeout(resolve, 10));
    client.close();
    await expect(pending).rejects.toBeInstanceOf(TypeError);
  });
});

describe("the browser pipeline's endpoint requests", () => {
  const json = (body: unknown): Response =>
    new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json' } });

  it('go through the relay once it answers, and its record joins the worker’s', async () => {
    const deps = browserPipelineDeps();
    const { relayFetch, asked } = asking(({ url }) =>
      url.endsWith('/embeddings')
        ? json({ data: [{ index: 0, embedding: [0.6, 0.8] }] })
        : json({ choices: [{ message: { content: 'Twelve.' }, finish_reason: 'stop' }] }),
    );
    const relayRecord: NetworkRecord = {
      origins: [{ origin: 'http://relay.test', requests: 2, bytes: 300, unsized: 0 }],
      refusals: [],
    };
    const { port1, port2 } = new MessageChannel();
    serveFetchRelay(port2, { fetch: relayFetch, record: () => relayRecord });
    deps.useFetchRelay?.(port1 as unknown as MessagePort);
    await vi.waitFor(async () =>
      expect((await deps.networkRecord!()).origins).toContainEqual(relayRecord.origins[0]),
    );
    const options = { onProgress: () => undefined, signal: new AbortController().signal };
    const { engine } = await deps.loadEngine(
      { kind: 'openai', baseUrl: 'http://relay.test/v1', model: 'm' },
      options,
    );
    const reply = await engine.complete([{ role: 'user', content: 'What is 5 + 7?' }], {
      temperature: 0,
      topP: 1,
      maxTokens: 16,
    });
    expect(reply.text).toBe('Twelve.');
    await deps.loadEmbedder(
      { kind: 'openai', baseUrl: 'http://relay.test/v1', model: 'e' },
      options,
    );
    expect(asked.map((one) => one.url)).toEqual([
      'http://relay.test/v1/chat/completions',
      'http://relay.test/v1/embeddings',
    ]);
    port1.close();
  });
});
