import { afterEach, describe, expect, it } from 'vitest';
import { CrescentError } from '../src/lib/crescent/errors';
import { OpenAIChatEngine } from '../src/lib/engines/openaiChat';
import { OpenAIEmbedder } from '../src/lib/engines/openaiEmbedder';
import {
  chatChunk,
  sendJson,
  sseBody,
  startOpenAIServer,
  type FixtureServer,
} from './fixtures/openaiServer';
import { ManualClock } from './support/manualClock';

const sampling = { temperature: 1, topP: 1, maxTokens: 64 };
const ask = [{ role: 'user' as const, content: 'Write a problem.' }];

let server: FixtureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error: unknown = await promise.then(
    () => 'resolved',
    (e: unknown) => e,
  );
  return error instanceof CrescentError ? error.code : String(error);
}

describe('waiting and giving up', () => {
  it('stops during a long Retry-After wait as soon as the run is aborted', async () => {
    server = await startOpenAIServer((_, res) =>
      sendJson(res, 429, { error: 'busy' }, { 'Retry-After': '60' }),
    );
    const clock = new ManualClock();
    const engine = new OpenAIChatEngine({
      baseUrl: server.baseUrl,
      model: 'm',
      setTimer: clock.setTimer,
    });
    const controller = new AbortController();
    const reply = engine.complete(ask, sampling, controller.signal);
    await clock.until(() => clock.pending.includes(60_000));
    controller.abort();

    expect(await codeOf(reply)).toBe('aborted');
    // No time passed, and the wait is gone rather than left to fire later.
    expect(clock.now).toBe(0);
    expect(clock.pending).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('gives up on a server that goes silent mid-reply, after its retries', async () => {
    server = await startOpenAIServer((_, res, { clientGone }) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write(sseBody([chatChunk({ content: 'A farmer' })], false));
      return clientGone;
    });
    const clock = new ManualClock();
    const engine = new OpenAIChatEngine({
      baseUrl: server.baseUrl,
      model: 'm',
      timeoutMs: 150,
      maxRetries: 1,
      setTimer: clock.setTimer,
      random: () => 0,
    });
    const outcome = engine.complete(ask, sampling).catch((e: unknown) => e);

    // Each attempt arms the idle timer as it sends, and again when 'A farmer' arrives.
    await clock.until(() => clock.count(150) === 2);
    clock.advance(150);
    await clock.until(() => clock.pending.includes(250));
    clock.advance(250);
    await clock.until(() => clock.count(150) === 4);
    clock.advance(150);
    const error = await outcome;

    expect(error).toBeInstanceOf(CrescentError);
    expect((error as CrescentError).code).toBe('network');
    expect((error as CrescentError).message).toContain('sent nothing');
    expect(server.requests).toHaveLength(2);
    expect(clock.now).toBe(550);
    expect(clock.pending).toEqual([]);
  });

  it('lets a queued request leave without ever reaching the server when aborted', async () => {
    let release: () => void = () => undefined;
    const hold = new Promise<void>((resolve) => (release = resolve));
    let arrived: () => void = () => undefined;
    const firstArrived = new Promise<void>((resolve) => (arrived = resolve));
    server = await startOpenAIServer(async (request, res) => {
      arrived();
      await hold;
      const { input } = request.body as { input: string[] };
      sendJson(res, 200, { data: input.map((_, index) => ({ index, embedding: [1, 1] })) });
    });
    const embedder = new OpenAIEmbedder({ baseUrl: server.baseUrl, model: 'm', concurrency: 1 });
    const first = embedder.embed(['a']);
    const controller = new AbortController();
    const queued = embedder.embed(['b'], controller.signal);
    await firstArrived;
    controller.abort();

    expect(await codeOf(queued)).toBe('aborted');
    release();
    expect(await first).toHaveLength(1);
    expect(server.requests.map((r) => (r.body as { input: string[] }).input)).toEqual([['a']]);
  });
});
