import { describe, expect, it } from 'vitest';
import { readSse } from '../src/lib/engines/openaiSse';

const encoder = new TextEncoder();

/** A body that arrives as the given byte pieces, one network chunk each. */
function body(pieces: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(piece);
      controller.close();
    },
  });
}

async function events(pieces: readonly Uint8Array[]): Promise<string[]> {
  const out: string[] = [];
  for await (const data of readSse(body(pieces))) out.push(data);
  return out;
}

/** The bytes cut at the given offsets. */
function cut(bytes: Uint8Array, at: readonly number[]): Uint8Array[] {
  const bounds = [0, ...at, bytes.length];
  return bounds.slice(1).map((end, i) => bytes.slice(bounds[i], end));
}

// CRLF and LF line ends, a comment and a keep-alive, a two-line event, a character of several
// bytes, an unknown field and a retry hint (neither is data), then [DONE].
const stream =
  ': connected\r\n\r\n' +
  'data: {"a":"½ of 6"}\r\n\r\n' +
  ':\n' +
  'data: first\ndata: second\n\n' +
  'id: 7\nretry: 1000\nvendor: x\ndata: {"b":"π≈3"}\n\n' +
  'data: [DONE]\n\n';
const expected = ['{"a":"½ of 6"}', 'first\nsecond', '{"b":"π≈3"}', '[DONE]'];

describe('readSse', () => {
  it('reads the same events wherever the body is cut in two, even inside a character or a CRLF', async () => {
    const bytes = encoder.encode(stream);
    for (let at = 1; at < bytes.length; at++) {
      expect(await events(cut(bytes, [at])), `cut at byte ${at}`).toEqual(expected);
    }
  });

  it('reads the same events when every byte is its own chunk', async () => {
    const bytes = encoder.encode(stream);
    const each = Array.from(bytes, (_, i) => i + 1).slice(0, -1);
    expect(await events(cut(bytes, each))).toEqual(expected);
  });

  it('delivers a last event whose closing blank line never came', async () => {
    expect(await events([encoder.encode('data: x\n\ndata: y')])).toEqual(['x', 'y']);
    expect(await events([encoder.encode('data: x\r\n\r\ndata: y\r')])).toEqual(['x', 'y']);
  });

  it('gives nothing for a body of comments and keep-alives only', async () => {
    expect(await events([encoder.encode(': ping\n\n: ping\r\n\r\n\n')])).toEqual([]);
  });

  it('tells the caller about every network chunk, for the idle timeout', async () => {
    let chunks = 0;
    const pieces = cut(encoder.encode(stream), [5, 30, 60]);
    for await (const _ of readSse(body(pieces), () => chunks++)) void _;
    expect(chunks).toBe(4);
  });

  it('stops the download when the reader leaves early', async () => {
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(encoder.encode('data: more\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const data of readSse(endless)) if (data === 'more') break;
    expect(cancelled).toBe(true);
  });
});
