// Replies of the wrong shape: content as an array of parts is read as its text; content that is
// an object, a number or a part that is not text, and a reply with no choices, are failures of
// that request, never "[object Object]" or an empty answer stored as data.
import { afterEach, describe, expect, it } from 'vitest';
import { CrescentError } from '../src/lib/crescent/errors';
import { OpenAIChatEngine } from '../src/lib/engines/openaiChat';
import { sendJson, startOpenAIServer, sseBody, type FixtureServer } from './fixtures/openaiServer';

const sampling = { temperature: 1, topP: 1, maxTokens: 64 };
const ask = [{ role: 'user' as const, content: 'Write a problem.' }];

let server: FixtureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function engineAnswering(body: unknown, stream = false): Promise<OpenAIChatEngine> {
  return startOpenAIServer((_req, res) => {
    if (stream) {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      return void res.end(sseBody(body as unknown[]));
    }
    sendJson(res, 200, body);
  }).then((s) => {
    server = s;
    return new OpenAIChatEngine({ baseUrl: s.baseUrl, model: 'm', maxRetries: 0 });
  });
}

const message = (content: unknown) => ({
  id: 'c',
  object: 'chat.completion',
  choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
});

async function refusal(engine: OpenAIChatEngine): Promise<CrescentError> {
  const error = await engine.complete(ask, sampling).then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
  if (!(error instanceof CrescentError)) throw error;
  return error;
}

describe('reply shapes', () => {
  it('reads content sent as an array of text parts', async () => {
    const engine = await engineAnswering(
      message([
        { type: 'text', text: 'How many ' },
        { type: 'text', text: 'apples?' },
      ]),
    );
    expect((await engine.complete(ask, sampling)).text).toBe('How many apples?');
  });

  it('reads streamed content parts too', async () => {
    const engine = await engineAnswering(
      [
        { choices: [{ index: 0, delta: { content: [{ type: 'text', text: 'Two ' }] } }] },
        { choices: [{ index: 0, delta: { content: 'cats?' }, finish_reason: 'stop' }] },
      ],
      true,
    );
    expect((await engine.complete(ask, sampling)).text).toBe('Two cats?');
  });

  for (const [what, content, said] of [
    ['an object', { text: 'hi' }, 'its content was an object, not text'],
    ['a number', 42, 'its content was a number, not text'],
    ['a part that is not text', [{ type: 'image_url', image_url: 'x' }], 'a part of its content'],
  ] as const) {
    it(`refuses content that is ${what}, as a failure of that request`, async () => {
      const error = await refusal(await engineAnswering(message(content)));
      expect(error.code).toBe('server-error');
      expect(error.perRequest).toBe(true);
      expect(error.message).toContain(said);
      expect(error.message).not.toContain('[object Object]');
    });
  }

  it('refuses a whole reply that holds no choices instead of reading it as empty', async () => {
    const error = await refusal(await engineAnswering({ unexpected: true }));
    expect(error.message).toBe("The server's reply could not be read: it held no choices.");
    expect(error.perRequest).toBe(true);
  });
});
