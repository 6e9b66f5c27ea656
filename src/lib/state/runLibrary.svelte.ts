// The stored runs: listed live, selected for browsing and export, resumed or deleted.
import type { ErrorInfo } from '../crescent/errors';
import { describeOpenFailure, isOpenFailure } from '../db/openFailure';
import { toStorageError } from '../db/quota';
import type { CrescentDb, RunRow } from '../db/schema';
import { deleteRun, isResumable } from '../db/runs';
import { LiveQueryState } from './liveQueryState.svelte';

export class RunLibrary {
  readonly #db: CrescentDb;
  readonly #runs: LiveQueryState<RunRow[]>;
  #selected = $state.raw<string[]>([]);
  #deleting = $state<string | null>(null);

  /** Why the database would not open; a live query never says, it waits for a reopen. */
  #openError = $state.raw<unknown>(undefined);

  constructor(db: CrescentDb) {
    this.#db = db;
    this.#runs = new LiveQueryState(() => db.runs.orderBy('createdAt').reverse().toArray(), []);
    db.open().catch((error: unknown) => {
      this.#openError = error;
    });
  }

  get runs(): RunRow[] {
    return this.#runs.current;
  }

  get loaded(): boolean {
    return this.#runs.loaded;
  }

  /** Why the stored runs cannot be listed, named from the browser's own error; null when they can. */
  get error(): ErrorInfo | null {
    if (this.#openError !== undefined) return storedRunsProblem(this.#openError, true);
    return storedRunsProblem(this.#runs.error);
  }

  /** Runs that can continue where they stopped (see isResumable). */
  get resumable(): RunRow[] {
    return this.runs.filter((r) => isResumable(r.status));
  }

  /** Selected run ids that still exist; the newest run when nothing is selected. */
  get selected(): string[] {
    const kept = this.#selected.filter((id) => this.runs.some((r) => r.id === id));
    if (kept.length > 0) return kept;
    const newest = this.runs[0];
    return newest ? [newest.id] : [];
  }

  get deleting(): string | null {
    return this.#deleting;
  }

  isSelected(id: string): boolean {
    return this.selected.includes(id);
  }

  toggle(id: string): void {
    const current = this.selected;
    this.#selected = current.includes(id) ? current.filter((x) => x !== id) : [...current, id];
  }

  selectOnly(id: string): void {
    this.#selected = [id];
  }

  async remove(id: string): Promise<void> {
    this.#deleting = id;
    try {
      await deleteRun(this.#db, id);
      this.#selected = this.#selected.filter((x) => x !== id);
    } finally {
      this.#deleting = null;
    }
  }
}

/** `opening`: the error came from db.open() itself, so it is an open failure whatever its name. */
export function storedRunsProblem(error: unknown, opening = false): ErrorInfo | null {
  if (error === undefined) return null;
  if (!opening && !isOpenFailure(error)) return toStorageError(error).toInfo();
  const { reason, action } = describeOpenFailure(error);
  return { code: 'storage', message: `${reason} Stored runs cannot be shown.`, action };
}
