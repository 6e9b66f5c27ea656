import { afterEach, describe, expect, it } from 'vitest';
import { CrescentError } from '../src/lib/crescent/errors';
import { OpenAIChatEngine } from '../src/lib/engines/openaiChat';
import { thinkingSwitchFor } from '../src/lib/engines/openaiThinking';
import type { ThinkingSwitch } from '../src/lib/recipe/types';
import {
  chatChunk,
  sendJson,
  sseBody,
  startOpenAIServer,
  type FixtureServer,
  type RecordedRequest,
} from './fixtures/openaiServer';

const noThinking = { temperature: 1, topP: 1, maxTokens: 64, thinking: false };
const ask = [{ role: 'user' as const, content: 'Write a problem.' }];
const story = sseBody([chatChunk({ content: 'A farmer has 12 apples.' }, 'stop')]);

let server: FixtureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A strict server: a body with any of `refused` is a 400 with `detail`; anything else streams. */
async function strictServer(refused: readonly string[], detail: string): Promise<FixtureServer> {
  server = await startOpenAIServer((request, res) => {
    const body = request.body as Record<string, unknown>;
    if (refused.some((field) => field in body)) sendJson(res, 400, { error: { message: detail } });
    else {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.end(story);
    }
  });
  return server;
}

function engine(baseUrl: string, thinkingSwitch?: ThinkingSwitch): OpenAIChatEngine {
  return new OpenAIChatEngine({ baseUrl, model: 'm', thinkingSwitch, concurrency: 1 });
}

async function failure(promise: Promise<unknown>): Promise<CrescentError> {
  const error: unknown = await promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
  if (!(error instanceof CrescentError)) throw error;
  return error;
}

const carried = (requests: readonly RecordedRequest[], field: string): boolean[] =>
  requests.map((r) => field in (r.body as object));

describe('the thinking switch', () => {
  it('on auto, asks again without chat_template_kwargs when refused, and never sends it again', async () => {
    const { baseUrl, requests } = await strictServer(
      ['chat_template_kwargs'],
      'Unrecognized request argument supplied: chat_template_kwargs',
    );
    const chat = engine(baseUrl);
    const first = await chat.complete(ask, noThinking);
    const second = await chat.complete(ask, noThinking);

    expect([first.text, second.text]).toEqual([
      'A farmer has 12 apples.',
      'A farmer has 12 apples.',
    ]);
    expect(carried(requests, 'chat_template_kwargs')).toEqual([true, false, false]);
  });

  it('on auto, keeps the switch and reports the real cause when the request fails without it too', async () => {
    const { baseUrl, requests } = await strictServer(['messages'], 'max_tokens is too large');
    const chat = engine(baseUrl);
    const error = await failure(chat.complete(ask, noThinking));
    await chat.complete(ask, noThinking).catch(() => undefined);

    expect(error.code).toBe('bad-request');
    expect(error.message).toContain('max_tokens is too large');
    expect(error.message).not.toContain('thinking switch');
    expect(carried(requests, 'chat_template_kwargs')).toEqual([true, false, true, false]);
  });

  it('when chosen by hand and refused by name, stops the run with the setting to change', async () => {
    const { baseUrl, requests } = await strictServer(
      ['chat_template_kwargs'],
      'extra_forbidden: body.chat_template_kwargs: Extra inputs are not permitted',
    );
    const error = await failure(engine(baseUrl, 'chat-template-kwargs').complete(ask, noThinking));

    expect(error.code).toBe('bad-request');
    expect(error.perRequest).toBe(false);
    expect(error.message).toContain('does not accept the chat_template_kwargs field');
    expect(error.message).toContain('Extra inputs are not permitted');
    expect(error.action).toBe(
      'Set Thinking switch (recipe: engine.thinkingSwitch) to "off" or "auto", then resume the run.',
    );
    expect(requests).toHaveLength(1);
  });

  it('when chosen by hand, names the field it sent on a 400 that does not say why', async () => {
    const { baseUrl, requests } = await strictServer(['reasoning_effort'], 'Bad Request');
    const error = await failure(engine(baseUrl, 'reasoning-effort').complete(ask, noThinking));

    expect(error.code).toBe('bad-request');
    expect(error.perRequest).toBe(true);
    expect(error.message).toContain('Bad Request');
    expect(error.message).toContain('The request carried reasoning_effort');
    expect(error.action).toContain(
      'set Thinking switch (recipe: engine.thinkingSwitch) to "off"; otherwise check',
    );
    expect(requests).toHaveLength(1);
  });

  it('set to off, sends no switch, so a strict server answers', async () => {
    const { baseUrl, requests } = await strictServer(
      ['chat_template_kwargs', 'reasoning_effort'],
      'unknown field',
    );
    const reply = await engine(baseUrl, 'off').complete(ask, noThinking);

    expect(reply.text).toBe('A farmer has 12 apples.');
    expect(requests).toHaveLength(1);
    expect(requests[0]?.body).not.toHaveProperty('chat_template_kwargs');
    expect(requests[0]?.body).not.toHaveProperty('reasoning_effort');
  });

  it('sends nothing for a request that may think, whatever the setting', async () => {
    const { baseUrl, requests } = await strictServer([], '');
    await engine(baseUrl, 'chat-template-kwargs').complete(ask, { ...noThinking, thinking: true });
    expect(requests[0]?.body).not.toHaveProperty('chat_template_kwargs');
  });

  it("guesses off for OpenAI's own API, which rejects fields it does not know", () => {
    expect(thinkingSwitchFor('https://api.openai.com/v1')).toBe('off');
    expect(thinkingSwitchFor('https://api.openai.com.example.net/v1')).toBe('chat-template-kwargs');
  });
});
