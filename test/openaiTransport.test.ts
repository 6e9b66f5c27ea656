import { describe, expect, it } from 'vitest';
import { CrescentError } from '../src/lib/crescent/errors';
import { thinkingSwitchFor } from '../src/lib/engines/openaiThinking';
import { callEndpoint, retryAfterMs, type FetchLike } from '../src/lib/engines/openaiHttp';
import { RequestSlots } from '../src/lib/engines/openaiSlots';
import { SseDecoder } from '../src/lib/engines/openaiSse';

const failedToFetch: FetchLike = () => Promise.reject(new TypeError('Failed to fetch'));

async function unreachable(baseUrl: string, pageOrigin?: string): Promise<CrescentError> {
  const error: unknown = await callEndpoint(
    { baseUrl, fetch: failedToFetch, pageOrigin, maxRetries: 0 },
    { path: 'models', method: 'GET' },
    async () => 'unexpected',
  ).catch((e: unknown) => e);
  if (!(error instanceof CrescentError)) throw new Error(`not a CrescentError: ${String(error)}`);
  return error;
}

describe('a request that never gets an answer', () => {
  it('is mixed content when an https page calls a plain-http host on the network', async () => {
    const error = await unreachable('http://192.168.1.20:11434/v1', 'https://crescent.example');
    expect(error.code).toBe('mixed-content');
    expect(error.action).toContain('https');
  });

  it('is a CORS refusal for a loopback server, naming the origin to allow', async () => {
    const error = await unreachable('http://localhost:11434/v1', 'https://crescent.example');
    expect(error.code).toBe('cors-blocked');
    expect(error.action).toContain('OLLAMA_ORIGINS=https://crescent.example');
    expect(error.action).toContain('--allowed-origins');
  });

  it('is a plain network failure outside a browser page', async () => {
    const error = await unreachable('http://127.0.0.1:9/v1');
    expect(error.code).toBe('network');
    expect(error.retryable).toBe(true);
  });

  it('is retried before it is reported', async () => {
    let calls = 0;
    const error: unknown = await callEndpoint(
      {
        baseUrl: 'http://127.0.0.1:9/v1',
        maxRetries: 3,
        sleep: async () => undefined,
        fetch: () => {
          calls++;
          return Promise.reject(new TypeError('fetch failed'));
        },
      },
      { path: 'models', method: 'GET' },
      async () => 'unexpected',
    ).catch((e: unknown) => e);
    expect(calls).toBe(4);
    expect(error).toBeInstanceOf(CrescentError);
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates, and caps long waits at two minutes', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:10 GMT', Date.UTC(2026, 0, 1))).toBe(10_000);
    expect(retryAfterMs('86400')).toBe(120_000);
    expect(retryAfterMs('soon')).toBeNull();
    expect(retryAfterMs(null)).toBeNull();
  });
});

describe('SseDecoder', () => {
  it('joins lines split across chunks, including a CRLF split between \\r and \\n', () => {
    const sse = new SseDecoder();
    const stream = 'data: {"a":1}\r\n\r\n: keep-alive\r\ndata: {"b":\r\n\r\ndata: [DONE]\r\n\r\n';
    const events: string[] = [];
    for (let i = 0; i < stream.length; i += 3) events.push(...sse.push(stream.slice(i, i + 3)));
    events.push(...sse.end());
    expect(events).toEqual(['{"a":1}', '{"b":', '[DONE]']);
  });

  it('delivers a final event that lacks its closing blank line', () => {
    const sse = new SseDecoder();
    expect(sse.push('data: x\n\ndata: y')).toEqual(['x']);
    expect(sse.end()).toEqual(['y']);
  });
});

describe('RequestSlots', () => {
  it('hands slots out in arrival order and lets an aborted waiter leave the queue', async () => {
    const slots = new RequestSlots(1);
    const order: string[] = [];
    const first = await slots.acquire();
    const leaving = new AbortController();
    const b = slots.acquire(leaving.signal).then(
      () => order.push('b'),
      (e: unknown) => order.push(e instanceof CrescentError ? e.code : 'other'),
    );
    const c = slots.acquire().then((release) => {
      order.push('c');
      release();
    });
    const d = slots.acquire().then((release) => {
      order.push('d');
      release();
    });
    expect(slots.waiting).toBe(3);
    leaving.abort();
    await b;
    expect(slots.waiting).toBe(2);
    first();
    await Promise.all([c, d]);
    expect(order).toEqual(['aborted', 'c', 'd']);
    expect(slots.inFlight).toBe(0);
  });
});

describe('thinkingSwitchFor', () => {
  it("uses Ollama's reasoning_effort on its port and the chat template switch elsewhere", () => {
    expect(thinkingSwitchFor('http://localhost:11434/v1')).toBe('reasoning-effort');
    expect(thinkingSwitchFor('http://gpu-box:8000/v1')).toBe('chat-template-kwargs');
    expect(thinkingSwitchFor('http://localhost:8080/v1')).toBe('chat-template-kwargs');
    expect(thinkingSwitchFor('http://localhost:114340/v1')).toBe('chat-template-kwargs');
  });
});
