// What the server sends is checked before it is read: content parts are read as text in streamed
// deltas and whole messages alike, and anything else of the wrong shape fails that one request
// with what was wrong, instead of becoming "[object Object]", an empty answer or a silent gap.
import { describe, expect, it } from 'vitest';
import { CrescentError } from '../src/lib/crescent/errors';
import { OpenAIChatEngine } from '../src/lib/engines/openaiChat';
import type { FetchLike } from '../src/lib/engines/openaiHttp';

const sampling = { temperature: 1, topP: 1, maxTokens: 64 };
const ask = [{ role: 'user' as const, content: 'Write a problem.' }];

interface Scripted {
  engine: OpenAIChatEngine;
  calls: () => number;
}

/** An engine whose server answers every request with this body. */
function answering(body: string, stream: boolean): Scripted {
  let calls = 0;
  const fetch: FetchLike = async () => {
    calls++;
    const type = stream ? 'text/event-stream' : 'application/json';
    return new Response(body, { headers: { 'Content-Type': type } });
  };
  const engine = new OpenAIChatEngine({
    baseUrl: 'http://gpu:8000/v1',
    model: 'm',
    fetch,
    sleep: async () => undefined,
  });
  return { engine, calls: () => calls };
}

const sse = (...payloads: string[]): string =>
  payloads.map((p) => `data: ${p}\n\n`).join('') + 'data: [DONE]\n\n';
const delta = (d: unknown, finish: string | null = null): string =>
  JSON.stringify({ choices: [{ index: 0, delta: d, finish_reason: finish }] });
const whole = (message: unknown): string =>
  JSON.stringify({ choices: [{ index: 0, message, finish_reason: 'stop' }] });

async function failure(scripted: Scripted): Promise<CrescentError> {
  const error = await scripted.engine.complete(ask, sampling).then(
    (reply) => new Error(`expected a failure, got ${JSON.stringify(reply.text)}`),
    (e: unknown) => e,
  );
  if (!(error instanceof CrescentError)) throw error;
  return error;
}

describe('content sent as parts', () => {
  it('reads text parts in streamed content and reasoning deltas', async () => {
    const { engine } = answering(
      sse(
        delta({ reasoning_content: [{ type: 'text', text: 'Half of ' }, '10.'] }),
        delta({ content: [{ type: 'text', text: 'Five ' }] }),
        delta({ content: [{ type: 'text', text: 'apples.' }] }, 'stop'),
      ),
      true,
    );
    const reply = await engine.complete(ask, sampling);
    expect(reply.text).toBe('Five apples.');
    expect(reply.thinking).toBe('Half of 10.');
  });

  it('reads text parts in a whole message', async () => {
    const { engine } = answering(
      whole({ role: 'assistant', content: [{ type: 'text', text: 'Six ' }, 'pears.'] }),
      false,
    );
    expect((await engine.complete(ask, sampling)).text).toBe('Six pears.');
  });
});

describe('replies of the wrong shape', () => {
  const wrongContent = [
    ['an object', { text: 'hi' }, 'its content was an object, not text'],
    ['an image part', [{ type: 'image_url', image_url: { url: 'x' } }], 'a part of its content'],
    ['a part whose text is a number', [{ type: 'text', text: 7 }], 'a part of its content'],
    ['true', true, 'its content was a boolean, not text'],
  ] as const;
  for (const [what, content, said] of wrongContent) {
    for (const stream of [true, false]) {
      it(`fails the request, unretried, when ${stream ? 'a streamed' : 'a whole'} content is ${what}`, async () => {
        const scripted = stream
          ? answering(sse(delta({ content: 'A farmer ' }), delta({ content }, 'stop')), true)
          : answering(whole({ role: 'assistant', content }), false);
        const error = await failure(scripted);
        expect(error.code).toBe('server-error');
        expect(error.perRequest).toBe(true);
        expect(error.message).toContain(said);
        expect(error.message).not.toContain('[object Object]');
        expect(scripted.calls()).toBe(1);
      });
    }
  }

  it('fails on a streamed event that is not JSON rather than skipping the text it held', async () => {
    const error = await failure(
      answering(
        sse(delta({ content: 'A farmer ' }), '{"choices":[{"delta":', delta({}, 'stop')),
        true,
      ),
    );
    expect(error.message).toBe(
      'The server\'s reply could not be read: it sent "{\\"choices\\":[{\\"delta\\":", which is not JSON.',
    );
    expect(error.perRequest).toBe(true);
  });

  it('fails on a whole reply that is not JSON', async () => {
    const error = await failure(answering('<html>502 Bad Gateway</html>', false));
    expect(error.message).toContain('which is not JSON');
  });

  it('names the field of the wrong type', async () => {
    const badFinish = await failure(answering(sse(delta({ content: 'x' }, 5 as never)), true));
    expect(badFinish.message).toContain(
      'its choices.0.finish_reason was a number, expected string',
    );
    const badChoices = await failure(answering(sse(JSON.stringify({ choices: 'x' })), true));
    expect(badChoices.message).toContain('its choices was a string');
  });

  it('keeps a reply whose usage cannot be read, estimating the tokens instead', async () => {
    const { engine } = answering(
      sse(
        delta({ content: 'How many apples are left?' }, 'stop'),
        JSON.stringify({ choices: [], usage: { prompt_tokens: 'eleven', completion_tokens: 99 } }),
      ),
      true,
    );
    const reply = await engine.complete(ask, sampling);
    expect(reply.text).toBe('How many apples are left?');
    // 25 characters at about 4 per token, not the 99 of a usage block that cannot be trusted.
    expect(reply.usage.completionTokens).toBe(7);
    expect(reply.usage.promptTokens).toBe(4);
  });

  it("reports an error the server sends mid-stream as that reply's failure", async () => {
    const error = await failure(
      answering(
        sse(delta({ content: 'A far' }), JSON.stringify({ error: { message: 'overloaded' } })),
        true,
      ),
    );
    expect(error.message).toBe('The server stopped this reply: overloaded');
    expect(error.perRequest).toBe(true);
  });
});
