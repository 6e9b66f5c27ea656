// Streaming JSONL export: pairs in, lines or UTF-8 chunks out, so a large dataset never has
// to sit in memory as one string.
import type {
  AbortSignalLike,
  AnswerSampleRecord,
  QaPairRecord,
  QuestionRecord,
} from '../crescent/types';
import { CrescentError } from '../crescent/errors';
import type { ContextLookup } from './context';
import { keepPair, type PairFilter } from './filter';
import { formatPair, jsonLine, type ExportFormat } from './formats';
import type { ExportTally } from './stats';

export interface ExportOptions {
  format: ExportFormat;
  filter?: PairFilter;
  /** Run-level facts for the `full` format; without it those fields are null. */
  context?: ContextLookup;
  /** Counts every exported pair, for the dataset card. */
  tally?: ExportTally;
  /** A pair's stored samples, for the `dpo` format (read ahead by the caller, batch by batch). */
  samples?: (pair: QaPairRecord) => readonly AnswerSampleRecord[];
  signal?: AbortSignalLike;
}

type Source<T> = Iterable<T> | AsyncIterable<T>;

/** One line per kept pair, each ending in '\n': joined, they are the file. */
export async function* exportLines(
  pairs: Source<QaPairRecord>,
  options: ExportOptions,
): AsyncGenerator<string> {
  const filter = options.filter ?? {};
  for await (const pair of pairs) {
    throwIfAborted(options.signal);
    if (!keepPair(pair, filter)) continue;
    const line = formatPair(pair, options.format, options.context?.(pair), options.samples?.(pair));
    if (line === null) continue;
    options.tally?.add(pair);
    yield line + '\n';
  }
}

/** Audit lines for rejected proposals, one per line, each ending in '\n'. */
export async function* rejectedLines(
  questions: Source<QuestionRecord>,
  signal?: AbortSignalLike,
): AsyncGenerator<string> {
  for await (const q of questions) {
    throwIfAborted(signal);
    if (q.status !== 'rejected') continue;
    const line = {
      question: q.text,
      raw: q.raw,
      reason: q.reason ?? null,
      nearest_question: q.nearestText ?? null,
      similarity: q.similarity ?? null,
      origin: q.origin,
      seq: q.seq,
      run_id: q.runId,
    };
    yield jsonLine(line) + '\n';
  }
}

// About 64 KiB of text per chunk: few enough chunks for a Blob of 100k lines, small enough
// that nothing large is ever concatenated.
const CHUNK_CHARS = 64 * 1024;

/** Lines grouped into strings of about 64 KiB. */
async function* chunkLines(lines: AsyncIterable<string>): AsyncGenerator<string> {
  let parts: string[] = [];
  let size = 0;
  for await (const line of lines) {
    parts.push(line);
    size += line.length;
    if (size >= CHUNK_CHARS) {
      yield parts.join('');
      parts = [];
      size = 0;
    }
  }
  if (parts.length > 0) yield parts.join('');
}

/** UTF-8 bytes of the lines, pulled as the reader asks (for `new Response(stream).blob()`). */
export function linesToStream(
  lines: AsyncIterable<string>,
): ReadableStream<Uint8Array<ArrayBuffer>> {
  const encoder = new TextEncoder();
  const chunks = chunkLines(lines);
  return new ReadableStream<Uint8Array<ArrayBuffer>>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

export function exportStream(
  pairs: Source<QaPairRecord>,
  options: ExportOptions,
): ReadableStream<Uint8Array<ArrayBuffer>> {
  return linesToStream(exportLines(pairs, options));
}

/** The export as string parts for `new Blob(parts, { type: 'application/jsonl' })`. */
export async function exportBlobParts(
  pairs: Source<QaPairRecord>,
  options: ExportOptions,
): Promise<string[]> {
  const parts: string[] = [];
  for await (const chunk of chunkLines(exportLines(pairs, options))) parts.push(chunk);
  return parts;
}

/** A file name that says what is inside: `crescent-<format>-<count>.jsonl`. */
export function exportFileName(format: ExportFormat | 'rejected', count: number): string {
  return `crescent-${format}-${count}.jsonl`;
}

function throwIfAborted(signal: AbortSignalLike | undefined): void {
  if (signal?.aborted)
    throw new CrescentError(
      { code: 'aborted', message: 'Export stopped.' },
      { cause: signal.reason },
    );
}
