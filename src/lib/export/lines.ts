// Splitting JSONL into lines, from a whole string or from a stream of chunks whose
// boundaries may fall anywhere (inside a line, between '\r' and '\n', inside a UTF-8 sequence).
// A '\n' byte never occurs inside a multi-byte UTF-8 sequence, so bytes are split first and
// each line decoded on its own: an undecodable line is reported by its number.

export type LineRead = { text: string } | { reason: string };

export type TextChunks =
  | ReadableStream<Uint8Array | string>
  | AsyncIterable<Uint8Array | string>
  | Iterable<Uint8Array | string>;

const BOM = '\uFEFF';

/** Lines of a whole text, without their line ends; a leading BOM and '\r\n' are accepted. */
export function* splitLines(text: string): Generator<string> {
  let start = text.startsWith(BOM) ? 1 : 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    yield stripCr(text.slice(start, end));
    start = end + 1;
  }
}

/** Lines of a stream of text or UTF-8 chunks, in order, with undecodable lines flagged. */
export async function* readLines(source: TextChunks): AsyncGenerator<LineRead> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let pendingText: string[] = [];
  let pendingBytes: Uint8Array[] = [];
  let first = true;

  const decodeLine = (bytes: Uint8Array): LineRead => {
    try {
      return { text: decoder.decode(bytes) };
    } catch {
      return { reason: 'not valid UTF-8' };
    }
  };
  const finishLine = (read: LineRead): LineRead => {
    const isFirst = first;
    first = false;
    if (!('text' in read)) return read;
    const text = stripCr(read.text);
    return { text: isFirst && text.startsWith(BOM) ? text.slice(1) : text };
  };

  for await (const chunk of iterate(source)) {
    if (typeof chunk === 'string') {
      if (pendingBytes.length > 0) throw new TypeError('a stream mixed text and byte chunks');
      let start = 0;
      for (let end = chunk.indexOf('\n'); end !== -1; end = chunk.indexOf('\n', start)) {
        pendingText.push(chunk.slice(start, end));
        yield finishLine({ text: pendingText.join('') });
        pendingText = [];
        start = end + 1;
      }
      if (start < chunk.length) pendingText.push(chunk.slice(start));
    } else {
      if (pendingText.length > 0) throw new TypeError('a stream mixed text and byte chunks');
      let start = 0;
      for (let end = chunk.indexOf(10); end !== -1; end = chunk.indexOf(10, start)) {
        pendingBytes.push(chunk.subarray(start, end));
        yield finishLine(decodeLine(concatBytes(pendingBytes)));
        pendingBytes = [];
        start = end + 1;
      }
      // Copied: the stream may reuse the chunk's buffer once we ask for the next one.
      if (start < chunk.length) pendingBytes.push(chunk.slice(start));
    }
  }
  if (pendingText.length > 0) yield finishLine({ text: pendingText.join('') });
  else if (pendingBytes.length > 0) yield finishLine(decodeLine(concatBytes(pendingBytes)));
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

function concatBytes(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1 && parts[0]) return parts[0];
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// ReadableStream is async-iterable in Node and Chromium but not in every browser; a reader
// works everywhere.
async function* iterate<T>(
  source: ReadableStream<T> | AsyncIterable<T> | Iterable<T>,
): AsyncGenerator<T> {
  if ('getReader' in source) {
    const reader = source.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  } else {
    yield* source;
  }
}
