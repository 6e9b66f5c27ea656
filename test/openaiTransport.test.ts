import { describe, expect, it } from 'vitest';
import { CrescentError } from '../src/lib/crescent/errors';
import { thinkingSwitchFor } from '../src/lib/engines/openaiThinking';
import { callEndpoint, retryAfterMs, type FetchLike } from '../src/lib/engines/openaiHttp';

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

describe('thinkingSwitchFor', () => {
  it("uses Ollama's reasoning_effort on its port and the chat template switch elsewhere", () => {
    expect(thinkingSwitchFor('http://localhost:11434/v1')).toBe('reasoning-effort');
    expect(thinkingSwitchFor('http://gpu-box:8000/v1')).toBe('chat-template-kwargs');
    expect(thinkingSwitchFor('http://localhost:8080/v1')).toBe('chat-template-kwargs');
    expect(thinkingSwitchFor('http://localhost:114340/v1')).toBe('chat-template-kwargs');
  });
});

describe('backoff between attempts', () => {
  it('doubles from 500 ms up to a 20 s cap, with jitter in the upper half, and counts the attempts', async () => {
    const waits: number[] = [];
    let calls = 0;
    const error: unknown = await callEndpoint(
      {
        baseUrl: 'http://gpu:8000/v1',
        maxRetries: 8,
        random: () => 0.5,
        sleep: async (ms) => void waits.push(ms),
        fetch: async () => {
          calls++;
          return new Response('{"error":"overloaded"}', { status: 503 });
        },
      },
      { path: 'models', method: 'GET' },
      async () => 'unexpected',
    ).catch((e: unknown) => e);

    expect(waits).toEqual([375, 750, 1500, 3000, 6000, 12_000, 15_000, 15_000]);
    expect(calls).toBe(9);
    expect(error).toBeInstanceOf(CrescentError);
    expect((error as CrescentError).message).toBe(
      'The server failed (503) after 9 attempts: overloaded.',
    );
  });

  it('retries a 408 and a 429 but not a 404, and a Retry-After of 0 means at once', async () => {
    const statuses = [408, 429, 404];
    const waits: number[] = [];
    const error: unknown = await callEndpoint(
      {
        baseUrl: 'http://gpu:8000/v1',
        random: () => 0,
        sleep: async (ms) => void waits.push(ms),
        fetch: async () =>
          new Response('{"error":"x"}', {
            status: statuses.shift() ?? 500,
            headers: { 'Retry-After': '0' },
          }),
      },
      { path: 'models', method: 'GET' },
      async () => 'unexpected',
    ).catch((e: unknown) => e);
    expect(waits).toEqual([0, 0]);
    expect(statuses).toEqual([]);
    expect((error as CrescentError).code).toBe('model-unreachable');
  });
});
