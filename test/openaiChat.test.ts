import { afterEach, describe, expect, it } from 'vitest';
import { CrescentError } from '../src/lib/crescent/errors';
import { listModels, OpenAIChatEngine } from '../src/lib/engines/openaiChat';
import type { Sleep } from '../src/lib/engines/openaiHttp';
import {
  chatChunk,
  sendJson,
  sseBody,
  startOpenAIServer,
  writeInPieces,
  type FixtureServer,
  type Respond,
} from './fixtures/openaiServer';

const sampling = { temperature: 1, topP: 1, maxTokens: 256 };
const ask = [{ role: 'user' as const, content: 'Write a problem.' }];

let server: FixtureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(respond: Respond): Promise<FixtureServer> {
  server = await startOpenAIServer(respond);
  return server;
}

function recordingSleep(): { sleep: Sleep; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

/** Lets every promise callback that is ready run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function failure(promise: Promise<unknown>): Promise<CrescentError> {
  const error: unknown = await promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
  if (!(error instanceof CrescentError)) throw error;
  return error;
}

const story = sseBody([
  chatChunk({ content: '<think>Count the ' }),
  chatChunk({ content: 'apples.</think>\n\nA farmer has 12 apples.' }),
  chatChunk({ content: ' How many are left?' }, 'stop'),
  { choices: [], usage: { prompt_tokens: 11, completion_tokens: 7 } },
]);

describe('OpenAIChatEngine', () => {
  it('streams a reply cut mid-line into text, thinking and the usage the server reports', async () => {
    const { baseUrl, requests } = await serve((_, res) => writeInPieces(res, story, 7));
    const engine = new OpenAIChatEngine({ baseUrl, model: 'qwen3:4b' });
    const reply = await engine.complete(ask, { ...sampling, seed: 42, thinking: false });

    expect(reply.text).toBe('A farmer has 12 apples. How many are left?');
    expect(reply.thinking).toBe('Count the apples.');
    expect(reply.finishReason).toBe('stop');
    expect(reply.usage.promptTokens).toBe(11);
    expect(reply.usage.completionTokens).toBe(7);
    expect(requests[0]?.path).toBe('/v1/chat/completions');
    expect(requests[0]?.body).toEqual({
      model: 'qwen3:4b',
      messages: ask,
      stream: true,
      stream_options: { include_usage: true },
      temperature: 1,
      top_p: 1,
      max_tokens: 256,
      seed: 42,
      chat_template_kwargs: { enable_thinking: false },
    });
  });

  it('reads reasoning_content deltas as thinking and estimates tokens when usage is missing', async () => {
    const body = sseBody([
      chatChunk({ reasoning_content: 'Half of 10 is 5.' }),
      chatChunk({ content: '#### Answer: 5' }, 'length'),
    ]);
    const { baseUrl, requests } = await serve((_, res) => writeInPieces(res, body, 1000));
    let clock = 0;
    const engine = new OpenAIChatEngine({ baseUrl, model: 'm', now: () => (clock += 250) });
    const reply = await engine.complete(ask, sampling);

    expect(reply.text).toBe('#### Answer: 5');
    expect(reply.thinking).toBe('Half of 10 is 5.');
    expect(reply.finishReason).toBe('length');
    // 30 characters at about 4 per token; 16 of them were thinking.
    expect(reply.usage.completionTokens).toBe(8);
    expect(reply.usage.thinkingTokens).toBe(4);
    expect(reply.usage.promptTokens).toBe(4);
    // Two content chunks 250 ms apart: 7 tokens after the first in 0.25 s.
    expect(reply.usage.decodeTokensPerSecond).toBeCloseTo(28);
    expect(requests[0]?.body).not.toHaveProperty('chat_template_kwargs');
    expect(requests[0]?.body).not.toHaveProperty('seed');
  });

  it('waits as long as Retry-After says after a 429, then succeeds', async () => {
    const { baseUrl, requests } = await serve((_, res, { index }) =>
      index === 0
        ? sendJson(res, 429, { error: { message: 'slow down' } }, { 'Retry-After': '3' })
        : writeInPieces(res, story, 1000),
    );
    const { sleep, waits } = recordingSleep();
    const engine = new OpenAIChatEngine({ baseUrl, model: 'm', sleep });
    const reply = await engine.complete(ask, sampling);

    expect(reply.text).toBe('A farmer has 12 apples. How many are left?');
    expect(waits).toEqual([3000]);
    expect(requests).toHaveLength(2);
  });

  it('gives up with server-error after the retries are spent, backing off exponentially', async () => {
    const { baseUrl, requests } = await serve((_, res) => sendJson(res, 500, { detail: 'boom' }));
    const { sleep, waits } = recordingSleep();
    const engine = new OpenAIChatEngine({
      baseUrl,
      model: 'm',
      sleep,
      maxRetries: 2,
      random: () => 0,
    });
    const error = await failure(engine.complete(ask, sampling));

    expect(error.code).toBe('server-error');
    expect(error.message).toContain('boom');
    expect(requests).toHaveLength(3);
    expect(waits).toEqual([250, 500]);
  });

  it('does not retry a 400, and marks it as this request only', async () => {
    const { baseUrl, requests } = await serve((_, res) =>
      sendJson(res, 400, { error: { message: 'max_tokens is too large' } }),
    );
    const engine = new OpenAIChatEngine({ baseUrl, model: 'm', sleep: async () => undefined });
    const error = await failure(engine.complete(ask, sampling));

    expect(error.code).toBe('bad-request');
    expect(error.perRequest).toBe(true);
    expect(error.message).toContain('max_tokens is too large');
    expect(requests).toHaveLength(1);
  });

  it('says which model is unknown on a 404 that names it, and points at /v1 otherwise', async () => {
    const { baseUrl } = await serve((request, res) =>
      request.path.startsWith('/v1/')
        ? sendJson(res, 404, { error: 'model "qwen9" not found, try pulling it first' })
        : sendJson(res, 404, '404 page not found'),
    );
    const known = await failure(
      new OpenAIChatEngine({ baseUrl, model: 'qwen9' }).complete(ask, sampling),
    );
    expect(known.code).toBe('unknown-model');

    const wrongBase = baseUrl.replace(/\/v1$/, '');
    const lost = await failure(
      new OpenAIChatEngine({ baseUrl: wrongBase, model: 'm' }).complete(ask, sampling),
    );
    expect(lost.code).toBe('model-unreachable');
    expect(lost.action).toContain('/v1');
  });

  it('retries a stream that drops before [DONE] and returns the complete second reply', async () => {
    const { baseUrl, requests } = await serve(async (_, res, { index }) => {
      if (index > 0) return writeInPieces(res, story, 1000);
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      // Cut once the partial event has left, so the client has read part of a reply.
      res.write(sseBody([chatChunk({ content: 'A farm' })], false), () => res.destroy());
    });
    const engine = new OpenAIChatEngine({ baseUrl, model: 'm', sleep: async () => undefined });
    const reply = await engine.complete(ask, sampling);

    expect(reply.text).toBe('A farmer has 12 apples. How many are left?');
    expect(requests).toHaveLength(2);
  });

  it('retries a stream closed with [DONE] but no finish reason, as a server that dropped it sends', async () => {
    const { baseUrl, requests } = await serve(async (_, res, { index }) => {
      if (index > 0) return writeInPieces(res, story, 1000);
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.end(sseBody([chatChunk({})]));
    });
    const engine = new OpenAIChatEngine({ baseUrl, model: 'm', sleep: async () => undefined });
    const reply = await engine.complete(ask, sampling);

    expect(reply.text).toBe('A farmer has 12 apples. How many are left?');
    expect(reply.finishReason).toBe('stop');
    expect(requests).toHaveLength(2);
  });

  it('says why when a server keeps ending replies without finishing them', async () => {
    const { baseUrl, requests } = await serve(async (_, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.end(sseBody([chatChunk({ content: 'A far' })]));
    });
    const engine = new OpenAIChatEngine({ baseUrl, model: 'm', sleep: async () => undefined });
    const error = await failure(engine.complete(ask, sampling));

    expect(error.code).toBe('network');
    expect(error.message).toContain('ended replies without finishing them');
    expect(error.action).toContain('--interrupt_requests False');
    expect(requests.length).toBeGreaterThan(1);
  });

  it('stops at once on abort mid-stream, and the server sees the connection close', async () => {
    let firstChunkSent: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (firstChunkSent = resolve));
    let gone: Promise<void> | undefined;
    const { baseUrl, requests } = await serve((_, res, { clientGone }) => {
      gone = clientGone;
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write(sseBody([chatChunk({ content: 'A farmer' })], false));
      firstChunkSent();
      return clientGone;
    });
    const controller = new AbortController();
    const engine = new OpenAIChatEngine({ baseUrl, model: 'm' });
    const reply = engine.complete(ask, sampling, controller.signal);
    await started;
    controller.abort();

    expect((await failure(reply)).code).toBe('aborted');
    await gone;
    expect(requests).toHaveLength(1);
    expect(server?.cutByClient).toBe(1);
  });

  it('keeps at most `concurrency` requests at the server at once', async () => {
    const held: (() => void)[] = [];
    const fetch = (): Promise<Response> =>
      new Promise((resolve) =>
        held.push(() =>
          resolve(new Response(story, { headers: { 'Content-Type': 'text/event-stream' } })),
        ),
      );
    const engine = new OpenAIChatEngine({
      baseUrl: 'http://x/v1',
      model: 'm',
      concurrency: 2,
      fetch,
    });
    const replies = Array.from({ length: 5 }, () => engine.complete(ask, sampling));

    // Slots go in arrival order, so the n-th request sent is the n-th reply's.
    const sentBeforeEachReply: number[] = [];
    for (const [n, reply] of replies.entries()) {
      await settle();
      sentBeforeEachReply.push(held.length);
      held[n]?.();
      expect((await reply).text).toBe('A farmer has 12 apples. How many are left?');
    }

    expect(sentBeforeEachReply).toEqual([2, 3, 4, 5, 5]);
  });

  it('asks Ollama for no thinking with reasoning_effort, or sends no switch when told so', async () => {
    const { baseUrl, requests } = await serve((_, res) => writeInPieces(res, story, 1000));
    const noThinking = { ...sampling, thinking: false };
    await new OpenAIChatEngine({
      baseUrl,
      model: 'm',
      thinkingSwitch: 'reasoning-effort',
    }).complete(ask, noThinking);
    await new OpenAIChatEngine({ baseUrl, model: 'm', thinkingSwitch: 'off' }).complete(
      ask,
      noThinking,
    );
    expect(requests[0]?.body).toMatchObject({ reasoning_effort: 'none' });
    expect(requests[0]?.body).not.toHaveProperty('chat_template_kwargs');
    expect(requests[1]?.body).not.toHaveProperty('reasoning_effort');
    expect(requests[1]?.body).not.toHaveProperty('chat_template_kwargs');
  });

  it('sends the API key as a bearer token', async () => {
    const { baseUrl, requests } = await serve((_, res) => writeInPieces(res, story, 1000));
    await new OpenAIChatEngine({ baseUrl, model: 'm', apiKey: 'sk-local' }).complete(ask, sampling);
    expect(requests[0]?.headers.authorization).toBe('Bearer sk-local');
  });

  it('refuses a bad key as a setting to fix, not a request to skip', async () => {
    const { baseUrl } = await serve((_, res) =>
      sendJson(res, 401, { error: { message: 'invalid key' } }),
    );
    const error = await failure(
      new OpenAIChatEngine({ baseUrl, model: 'm' }).complete(ask, sampling),
    );
    expect(error.code).toBe('bad-request');
    expect(error.perRequest).toBe(false);
    expect(error.action).toContain('API key');
  });
});

describe('listModels', () => {
  it('returns the ids from GET /models', async () => {
    const { baseUrl, requests } = await serve((_, res) =>
      sendJson(res, 200, { object: 'list', data: [{ id: 'qwen3:4b' }, { id: 'llama3.2:3b' }] }),
    );
    expect(await listModels({ baseUrl: `${baseUrl}/` })).toEqual(['qwen3:4b', 'llama3.2:3b']);
    expect(requests[0]?.method).toBe('GET');
    expect(requests[0]?.path).toBe('/v1/models');
  });
});
