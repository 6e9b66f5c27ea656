// Replicas of one model behind several base URLs: requests go where slots are free, a replica that
// fails is set aside while the others carry the run, and only all of them failing stops it.
import { describe, expect, it } from 'vitest';
import { CrescentError } from '../src/lib/crescent/errors';
import { OpenAIChatEngine } from '../src/lib/engines/openaiChat';
import type { FetchLike } from '../src/lib/engines/openaiHttp';
import { SET_ASIDE_MS } from '../src/lib/engines/openaiReplicas';

const sampling = { temperature: 1, topP: 1, maxTokens: 64 };
const ask = [{ role: 'user' as const, content: 'Write a problem.' }];
const A = 'http://gpu-a:8000/v1';
const B = 'http://gpu-b:8000/v1';
const C = 'http://gpu-c:8000/v1';

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function reply(text: string): Response {
  const chunk = { choices: [{ index: 0, delta: { content: text }, finish_reason: 'stop' }] };
  return new Response(`data: ${JSON.stringify(chunk)}\n\ndata: [DONE]\n\n`, {
    headers: { 'Content-Type': 'text/event-stream' },
  });
}

/** `call` counts from 1 per host. */
type Answer = (host: string, call: number) => Promise<Response>;

/** A fetch that answers per host as told, counting requests and the most in flight per host. */
function scripted(answer: Answer) {
  const asked = new Map<string, number>();
  const inFlight = new Map<string, number>();
  const most = new Map<string, number>();
  const order: string[] = [];
  /** host: prompt, per request sent. */
  const sent: string[] = [];
  const fetch: FetchLike = async (url, init) => {
    const host = new URL(url).host;
    order.push(host);
    const body = JSON.parse(String(init.body)) as { messages: { content: string }[] };
    sent.push(`${host}: ${body.messages[0]?.content ?? ''}`);
    asked.set(host, (asked.get(host) ?? 0) + 1);
    inFlight.set(host, (inFlight.get(host) ?? 0) + 1);
    most.set(host, Math.max(most.get(host) ?? 0, inFlight.get(host) ?? 0));
    try {
      return await answer(host, asked.get(host) ?? 0);
    } finally {
      inFlight.set(host, (inFlight.get(host) ?? 1) - 1);
    }
  };
  return { fetch, asked, most, order, sent };
}

function engineOver(
  fetch: FetchLike,
  replicas: string[],
  extra: { clock?: () => number; concurrency?: number } = {},
) {
  const [baseUrl = A, ...rest] = replicas;
  return new OpenAIChatEngine({
    baseUrl,
    replicas: rest,
    model: 'm',
    concurrency: extra.concurrency ?? 2,
    fetch,
    maxRetries: 1,
    sleep: async () => undefined,
    clock: extra.clock,
  });
}

const refused = (): Promise<Response> => Promise.reject(new TypeError('fetch failed'));

async function failure(promise: Promise<unknown>): Promise<CrescentError> {
  const error = await promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
  if (!(error instanceof CrescentError)) throw error;
  return error;
}

describe('spreading requests over replicas', () => {
  it('counts every replica’s slots in the engine’s concurrency, and a repeated URL once', () => {
    const { fetch } = scripted(async () => reply('x'));
    expect(engineOver(fetch, [A, B, C]).concurrency).toBe(6);
    expect(engineOver(fetch, [A, `${A}/`, B]).concurrency).toBe(4);
  });

  it('sends each request to the replica with the most free slots, the first on a tie', async () => {
    const held: (() => void)[] = [];
    const { fetch, order, most } = scripted(
      () => new Promise((resolve) => held.push(() => resolve(reply('x')))),
    );
    const engine = engineOver(fetch, [A, B, C]);
    const replies = Array.from({ length: 8 }, () => engine.complete(ask, sampling));
    await settle();
    // Six slots in all: the seventh and eighth request wait for one to free.
    expect(order).toEqual([
      'gpu-a:8000',
      'gpu-b:8000',
      'gpu-c:8000',
      'gpu-a:8000',
      'gpu-b:8000',
      'gpu-c:8000',
    ]);
    held[1]?.(); // one of B's requests ends: B has the only free slot.
    await settle();
    expect(order[6]).toBe('gpu-b:8000');
    for (const release of held) release();
    await settle();
    for (const release of held) release();
    await Promise.all(replies);
    expect([...most.values()].every((n) => n <= 2)).toBe(true);
  });

  it('gives a fast replica more of the work than a slow one, never over its own limit', async () => {
    const slow: (() => void)[] = [];
    const { fetch, asked, most } = scripted((host) =>
      host === 'gpu-b:8000'
        ? new Promise((resolve) => slow.push(() => resolve(reply('slow'))))
        : Promise.resolve(reply('fast')),
    );
    const engine = engineOver(fetch, [A, B]);
    const replies = Array.from({ length: 20 }, () => engine.complete(ask, sampling));
    while ((asked.get('gpu-a:8000') ?? 0) + (asked.get('gpu-b:8000') ?? 0) < 20) {
      await settle();
      if ((asked.get('gpu-a:8000') ?? 0) >= 18) for (const release of slow.splice(0)) release();
    }
    for (const release of slow.splice(0)) release();
    const texts = (await Promise.all(replies)).map((r) => r.text);

    expect(asked.get('gpu-b:8000')).toBe(2);
    expect(asked.get('gpu-a:8000')).toBe(18);
    expect(texts.filter((t) => t === 'slow')).toHaveLength(2);
    expect(most.get('gpu-a:8000')).toBeLessThanOrEqual(2);
    expect(most.get('gpu-b:8000')).toBe(2);
  });
});

describe('a replica that fails', () => {
  it('is set aside when it refuses connections, and the others answer every request', async () => {
    const { fetch, asked } = scripted((host) =>
      host === 'gpu-a:8000' ? refused() : Promise.resolve(reply(`from ${host}`)),
    );
    const engine = engineOver(fetch, [A, B]);
    const replies = await Promise.all(
      Array.from({ length: 10 }, () => engine.complete(ask, sampling)),
    );

    expect(replies.map((r) => r.text)).toEqual(Array(10).fill('from gpu-b:8000'));
    // The two requests A took first, each tried twice (one retry); after that A gets none.
    expect(asked.get('gpu-a:8000')).toBe(4);
    expect(asked.get('gpu-b:8000')).toBe(10);
  });

  it('moves its requests on after a 5xx that outlasts the retries', async () => {
    const { fetch, asked } = scripted(async (host) =>
      host === 'gpu-a:8000'
        ? new Response('{"error":"CUDA out of memory"}', { status: 500 })
        : reply('fine'),
    );
    const engine = engineOver(fetch, [A, B]);
    expect((await engine.complete(ask, sampling)).text).toBe('fine');
    expect(asked.get('gpu-a:8000')).toBe(2);
    expect((await engine.complete(ask, sampling)).text).toBe('fine');
    expect(asked.get('gpu-a:8000')).toBe(2);
  });

  it('sends its moved requests to the others only as their slots free, never over their limit', async () => {
    const held: (() => void)[] = [];
    const { fetch, asked, most } = scripted((host) =>
      host === 'gpu-a:8000'
        ? refused()
        : new Promise((resolve) => held.push(() => resolve(reply('from b')))),
    );
    const engine = engineOver(fetch, [A, B]);
    const replies = Array.from({ length: 4 }, () => engine.complete(ask, sampling));
    await settle();
    expect(asked.get('gpu-a:8000')).toBe(4);
    expect(asked.get('gpu-b:8000')).toBe(2);
    for (let round = 0; round < 4; round++) {
      for (const release of held.splice(0)) release();
      await settle();
    }
    expect((await Promise.all(replies)).map((r) => r.text)).toEqual(Array(4).fill('from b'));
    expect(most.get('gpu-b:8000')).toBe(2);
  });

  it('puts a moved request ahead of those that have not been sent yet', async () => {
    const held: (() => void)[] = [];
    const { fetch, sent } = scripted((host) =>
      host === 'gpu-a:8000'
        ? refused()
        : new Promise((resolve) => held.push(() => resolve(reply('x')))),
    );
    const engine = engineOver(fetch, [A, B], { concurrency: 1 });
    const prompts = ['first', 'second', 'third'];
    const replies = prompts.map((content) =>
      engine.complete([{ role: 'user', content }], sampling),
    );
    for (let round = 0; round < 4; round++) {
      await settle();
      for (const release of held.splice(0)) release();
    }
    await Promise.all(replies);
    expect(sent.filter((s) => s.startsWith('gpu-b'))).toEqual([
      'gpu-b:8000: second',
      'gpu-b:8000: first',
      'gpu-b:8000: third',
    ]);
  });

  it('is back at once when a request it was still serving succeeds', async () => {
    const releases: (() => void)[] = [];
    const { fetch, sent } = scripted((host, call) => {
      if (host === 'gpu-a:8000' && (call === 2 || call === 3)) return refused();
      if (call > 1) return Promise.resolve(reply(host === 'gpu-a:8000' ? 'a' : 'b'));
      return new Promise((resolve) => releases.push(() => resolve(reply(host))));
    });
    const engine = engineOver(fetch, [A, B]);
    const say = (content: string) => engine.complete([{ role: 'user', content }], sampling);
    const slowOnA = say('slow on a');
    const slowOnB = say('slow on b');
    await settle();
    // A tie: A takes it, refuses it twice and is set aside; B answers it.
    expect((await say('moved')).text).toBe('b');
    for (const release of releases) release();
    expect((await slowOnA).text).toBe('gpu-a:8000');
    await slowOnB;
    await say('after');
    expect(sent).toEqual([
      'gpu-a:8000: slow on a',
      'gpu-b:8000: slow on b',
      'gpu-a:8000: moved',
      'gpu-a:8000: moved',
      'gpu-b:8000: moved',
      'gpu-a:8000: after',
    ]);
  });

  it('is asked again once its time aside has passed', async () => {
    let now = 0;
    let aDown = true;
    const { fetch, asked } = scripted((host) =>
      host === 'gpu-a:8000' && aDown ? refused() : Promise.resolve(reply(host)),
    );
    const engine = engineOver(fetch, [A, B], { clock: () => now });
    expect((await engine.complete(ask, sampling)).text).toBe('gpu-b:8000');
    now += SET_ASIDE_MS - 1;
    expect((await engine.complete(ask, sampling)).text).toBe('gpu-b:8000');
    expect(asked.get('gpu-a:8000')).toBe(2);
    aDown = false;
    now += 1;
    expect((await engine.complete(ask, sampling)).text).toBe('gpu-a:8000');
  });

  it('does not move a request the server refused for itself (400): that is no replica failure', async () => {
    const { fetch, asked } = scripted(async (host) =>
      host === 'gpu-a:8000'
        ? new Response('{"error":{"message":"max_tokens is too large"}}', { status: 400 })
        : reply('fine'),
    );
    const error = await failure(engineOver(fetch, [A, B]).complete(ask, sampling));
    expect(error.code).toBe('bad-request');
    expect(error.perRequest).toBe(true);
    expect(asked.get('gpu-b:8000')).toBeUndefined();
  });
});

describe('every replica failing', () => {
  it('reaches the run as the failure of the last replica tried, after each was tried', async () => {
    const { fetch, asked } = scripted(refused);
    const error = await failure(engineOver(fetch, [A, B, C]).complete(ask, sampling));
    expect(error.code).toBe('network');
    expect(error.message).toContain('gpu-c:8000');
    expect([...asked.entries()]).toEqual([
      ['gpu-a:8000', 2],
      ['gpu-b:8000', 2],
      ['gpu-c:8000', 2],
    ]);
  });

  it('fails the requests still waiting too, each after asking a replica itself', async () => {
    const { fetch } = scripted(refused);
    const engine = engineOver(fetch, [A, B]);
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, () => failure(engine.complete(ask, sampling))),
    );
    expect(outcomes.map((e) => e.code)).toEqual(Array(6).fill('network'));
  });
});

describe('stopping', () => {
  it('lets a request waiting for a replica leave at once, without reaching any', async () => {
    const held: (() => void)[] = [];
    const { fetch, order } = scripted(
      () => new Promise((resolve) => held.push(() => resolve(reply('x')))),
    );
    const engine = engineOver(fetch, [A, B]);
    const busy = Array.from({ length: 4 }, () => engine.complete(ask, sampling));
    const controller = new AbortController();
    const waiting = engine.complete(ask, sampling, controller.signal);
    await settle();
    controller.abort();
    expect((await failure(waiting)).code).toBe('aborted');
    for (const release of held) release();
    await Promise.all(busy);
    expect(order).toHaveLength(4);
  });
});
