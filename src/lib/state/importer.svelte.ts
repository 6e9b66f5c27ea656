// Reading a JSONL file back in two steps: check every line and show what is wrong or repeated,
// then write the good, new pairs as one imported run only when the user accepts.
import { toErrorInfo, type ErrorInfo } from '../crescent/errors';
import { existingQuestionKeys, importDataset } from '../db/import';
import type { CrescentDb } from '../db/schema';
import { parseDatasetStream, uniqueRows, type ImportResult } from '../export/import';

export interface ImportPreview {
  fileName: string;
  result: ImportResult;
  /** Good lines that are not duplicates: what accepting would write. */
  newPairs: number;
}

export class Importer {
  readonly #db: CrescentDb;
  #preview = $state.raw<ImportPreview | null>(null);
  #reading = $state(false);
  #writing = $state(false);
  #imported = $state.raw<{ runId: string; pairs: number; name: string } | null>(null);
  #error = $state.raw<ErrorInfo | null>(null);
  /** Bumped by every check, so a slow read of an earlier file cannot replace a later one's preview. */
  #checks = 0;

  constructor(db: CrescentDb) {
    this.#db = db;
  }

  get preview(): ImportPreview | null {
    return this.#preview;
  }
  get reading(): boolean {
    return this.#reading;
  }
  get writing(): boolean {
    return this.#writing;
  }
  get imported(): { runId: string; pairs: number; name: string } | null {
    return this.#imported;
  }
  get error(): ErrorInfo | null {
    return this.#error;
  }
  /** Only a file with no bad line and at least one new pair may be written. */
  get canAccept(): boolean {
    const p = this.#preview;
    return p !== null && p.result.ok && p.newPairs > 0 && !this.#writing;
  }

  /** Reads the file as a stream of chunks (never one string), so a large file does not freeze the page. */
  async check(file: File): Promise<void> {
    const check = ++this.#checks;
    this.#reading = true;
    this.#error = null;
    this.#imported = null;
    this.#preview = null;
    try {
      const existingKeys = await existingQuestionKeys(this.#db);
      const result = await parseDatasetStream(file.stream(), { existingKeys });
      if (check !== this.#checks) return;
      this.#preview = { fileName: file.name, result, newPairs: uniqueRows(result).length };
    } catch (error) {
      if (check === this.#checks) this.#error = toErrorInfo(error);
    } finally {
      if (check === this.#checks) this.#reading = false;
    }
  }

  async accept(): Promise<void> {
    const preview = this.#preview;
    if (!preview || !this.canAccept) return;
    this.#writing = true;
    try {
      const name = `Imported ${preview.fileName}`;
      const done = await importDataset(this.#db, { name, pairs: uniqueRows(preview.result) });
      this.#imported = { runId: done.runId, pairs: done.pairs, name };
      this.#preview = null;
    } catch (error) {
      this.#error = toErrorInfo(error);
    } finally {
      this.#writing = false;
    }
  }

  discard(): void {
    this.#preview = null;
    this.#error = null;
  }
}
