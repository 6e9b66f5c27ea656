// Server-sent events as OpenAI-compatible servers stream them: `data: <json>` lines, an event
// ending at a blank line, `[DONE]` at the end. Network chunks may split a line anywhere.

/** Splits decoded text into complete lines, keeping the unfinished tail for the next chunk. */
export class SseDecoder {
  private tail = '';
  private data: string[] = [];

  /** Feeds one chunk of text; returns the data payloads of the events it completed. */
  push(text: string): string[] {
    const events: string[] = [];
    let buffer = this.tail + text;
    // A chunk may end between \r and \n: hold the \r back so the pair stays one line break.
    const heldCr = buffer.endsWith('\r');
    if (heldCr) buffer = buffer.slice(0, -1);
    const lines = buffer.split(/\r\n|\r|\n/);
    this.tail = (lines.pop() ?? '') + (heldCr ? '\r' : '');
    for (const line of lines) this.line(line, events);
    return events;
  }

  /** The stream ended: an event without its closing blank line still counts. */
  end(): string[] {
    const events: string[] = [];
    const tail = this.tail.replace(/\r$/, '');
    this.tail = '';
    if (tail !== '') this.line(tail, events);
    if (this.data.length > 0) events.push(this.data.join('\n'));
    this.data = [];
    return events;
  }

  private line(line: string, events: string[]): void {
    if (line === '') {
      if (this.data.length > 0) events.push(this.data.join('\n'));
      this.data = [];
      return;
    }
    if (line.startsWith(':')) return; // comment / keep-alive
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    if (field !== 'data') return;
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    this.data.push(value);
  }
}

/** Reads a response body as SSE data payloads; `onChunk` runs for every network chunk. */
export async function* readSse(
  body: ReadableStream<Uint8Array>,
  onChunk?: () => void,
): AsyncGenerator<string> {
  const reader = body.getReader();
  const text = new TextDecoder();
  const sse = new SseDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      onChunk?.();
      yield* sse.push(text.decode(value, { stream: true }));
    }
    yield* sse.push(text.decode());
    yield* sse.end();
  } finally {
    // Stops the download when the caller leaves early (abort, error, [DONE]).
    reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
