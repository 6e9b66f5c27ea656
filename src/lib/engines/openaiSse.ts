// Server-sent events as OpenAI-compatible servers stream them (`data: <json>` events, `[DONE]` at
// the end), parsed by eventsource-parser: network chunks may split a line, or a character, anywhere.
import { createParser } from 'eventsource-parser';

/** Reads a response body as SSE data payloads; `onChunk` runs for every network chunk. */
export async function* readSse(
  body: ReadableStream<Uint8Array>,
  onChunk?: () => void,
): AsyncGenerator<string> {
  const reader = body.getReader();
  const text = new TextDecoder();
  let ready: string[] = [];
  // Comments (keep-alives), ids, retry hints and unknown fields are not data: the parser skips them.
  const parser = createParser({ onEvent: (event) => void ready.push(event.data) });
  const take = (): string[] => {
    const events = ready;
    ready = [];
    return events;
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      onChunk?.();
      parser.feed(text.decode(value, { stream: true }));
      yield* take();
    }
    // A last event the server closed without its blank line still counts.
    parser.feed(`${text.decode()}\n\n`);
    yield* take();
  } finally {
    // Stops the download when the caller leaves early (abort, error, [DONE]).
    reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
