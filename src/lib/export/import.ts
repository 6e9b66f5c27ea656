// Reading a JSONL dataset back: every line checked, every bad line reported by number, and
// nothing to be written unless the whole file is good (`ok`).
import { CrescentError } from '../crescent/errors';
import { DuplicateFinder, type Duplicate } from './duplicates';
import { readLines, splitLines, type TextChunks } from './lines';
import { readShape, type ImportedPair, type ImportFormat } from './shapes';

export interface ImportOptions {
  /** Questions already stored; a line repeating one is reported as a duplicate of 'existing'. */
  existingQuestions?: Iterable<string>;
  /** The same as normaliseQuestion keys (the db's existingQuestionKeys), used without re-normalising. */
  existingKeys?: ReadonlySet<string>;
  /** Accept a file whose lines are in different formats (by default that is an error). */
  allowMixedFormats?: boolean;
}

export interface LineError {
  /** 1-based line number. */
  line: number;
  reason: string;
}

export interface ImportResult {
  /** The format of the file's lines; 'mixed' when allowed and found; null when no line was read. */
  format: ImportFormat | 'mixed' | null;
  /** Every good line, duplicates included (see `uniqueRows`). */
  rows: ImportedPair[];
  errors: LineError[];
  duplicates: Duplicate[];
  /** True when there is at least one pair and no error: only then may the caller write anything. */
  ok: boolean;
}

/** Reads lines one at a time; used by both the whole-text and the streaming entry points. */
export class DatasetParser {
  readonly #options: ImportOptions;
  readonly #duplicates: DuplicateFinder;
  readonly #rows: ImportedPair[] = [];
  readonly #errors: LineError[] = [];
  readonly #dupes: Duplicate[] = [];
  #line = 0;
  #format: ImportFormat | 'mixed' | null = null;
  #formatLine = 0;

  constructor(options: ImportOptions = {}) {
    this.#options = options;
    this.#duplicates = new DuplicateFinder(options.existingQuestions, options.existingKeys);
  }

  addLine(text: string): void {
    const line = ++this.#line;
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const detail = error instanceof Error ? `: ${error.message}` : '';
      this.#errors.push({ line, reason: clipReason(`invalid JSON${detail}`) });
      return;
    }
    const read = readShape(value);
    if ('reason' in read) {
      this.#errors.push({ line, reason: read.reason });
      return;
    }
    const { format } = read.pair;
    if (this.#format === null) {
      this.#format = format;
      this.#formatLine = line;
    } else if (this.#format !== format && this.#format !== 'mixed') {
      if (!this.#options.allowMixedFormats) {
        this.#errors.push({
          line,
          reason: `in the ${format} format, but the file began in the ${this.#format} format (line ${this.#formatLine})`,
        });
        return;
      }
      this.#format = 'mixed';
    }
    const duplicate = this.#duplicates.check(read.pair.question, line);
    if (duplicate) this.#dupes.push(duplicate);
    this.#rows.push({ line, ...read.pair });
  }

  /** A line that could not even be decoded as text. */
  addUnreadableLine(reason: string): void {
    this.#errors.push({ line: ++this.#line, reason });
  }

  result(): ImportResult {
    return {
      format: this.#format,
      rows: this.#rows,
      errors: this.#errors,
      duplicates: this.#dupes,
      ok: this.#errors.length === 0 && this.#rows.length > 0,
    };
  }
}

export function parseDataset(text: string, options?: ImportOptions): ImportResult {
  const parser = new DatasetParser(options);
  for (const line of splitLines(text)) parser.addLine(line);
  return parser.result();
}

// Lines come out of an async generator as microtasks, which never let the page paint; a pause
// this often keeps a large file's check from freezing the tab, however big its chunks are.
const SLICE_MS = 16;

/**
 * The same, from a file's stream (`file.stream()`) or any chunks of text or UTF-8 bytes. Gives
 * the event loop a turn every SLICE_MS of parsing.
 */
export async function parseDatasetStream(
  chunks: TextChunks,
  options?: ImportOptions,
): Promise<ImportResult> {
  const parser = new DatasetParser(options);
  let sliceStart = performance.now();
  let lines = 0;
  for await (const read of readLines(chunks)) {
    if ('text' in read) parser.addLine(read.text);
    else parser.addUnreadableLine(read.reason);
    // Reading the clock on every line would cost more than the check it guards.
    if (++lines % 256 === 0 && performance.now() - sliceStart > SLICE_MS) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      sliceStart = performance.now();
    }
  }
  return parser.result();
}

/** The rows without any that repeat an earlier line or an existing question. */
export function uniqueRows(result: ImportResult): ImportedPair[] {
  const repeated = new Set(result.duplicates.map((d) => d.line));
  return result.rows.filter((row) => !repeated.has(row.line));
}

/** Throws an 'invalid-import' error naming the first bad lines, unless the file is good. */
export function assertImportable(result: ImportResult): void {
  if (result.ok) return;
  const shown = result.errors.slice(0, 3).map((e) => `line ${e.line}: ${e.reason}`);
  const more = result.errors.length > 3 ? ` (and ${result.errors.length - 3} more)` : '';
  throw new CrescentError({
    code: 'invalid-import',
    message:
      result.errors.length === 0
        ? 'The file holds no QA pairs.'
        : `The file has ${result.errors.length} bad line(s): ${shown.join('; ')}${more}.`,
    action: 'Fix or remove the lines listed and import the file again; nothing was saved.',
  });
}

// V8 quotes part of the input in its message; a huge line must not make a huge report.
function clipReason(reason: string): string {
  return reason.length > 200 ? `${reason.slice(0, 200)}…` : reason;
}
