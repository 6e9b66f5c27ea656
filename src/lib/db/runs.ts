// The run list: create, read, update and delete runs, and recover runs a closed tab left running.
import { withoutSecrets } from '../recipe/link';
import { keyedParts } from '../recipe/secrets';
import type { ErrorInfo } from '../crescent/errors';
import type { StopReason } from '../crescent/progress';
import type { Recipe } from '../recipe/types';
import { withStorageErrors } from './quota';
import {
  EMPTY_STATS,
  type CrescentDb,
  type RunRow,
  type RunRowStatus,
  type RunStats,
} from './schema';

/** Statuses that only hold while a worker is executing the run. */
export const LIVE_STATUSES: readonly RunRowStatus[] = ['running', 'loading'];

/**
 * Whether a run stopped short of its target and continues where it stopped: paused, cut off by a
 * closed tab, or failed (resumed once the cause is fixed). The one rule the run list, the run
 * library and the run section share.
 */
export function isResumable(status: RunRowStatus): boolean {
  return status === 'paused' || status === 'interrupted' || status === 'failed';
}

function defaultRunName(createdAt: number): string {
  return `Run ${new Date(createdAt).toISOString().slice(0, 16).replace('T', ' ')}`;
}

/** A run row as every store creates it: a fresh id, a dated name unless one is given, no counts. */
export function newRunRow(
  recipe: Recipe | null,
  now: number,
  given: Partial<Pick<RunRow, 'id' | 'name' | 'status'>> & { stats?: Partial<RunStats> } = {},
): RunRow {
  // Keys never reach storage: the row keeps the recipe without them and which parts had one.
  const keyed = recipe ? keyedParts(recipe) : null;
  return {
    id: given.id ?? crypto.randomUUID(),
    name: given.name?.trim() || defaultRunName(now),
    recipe: recipe && withoutSecrets(recipe),
    ...(keyed && (keyed.engine || keyed.embedder) ? { keyed } : {}),
    status: given.status ?? 'idle',
    createdAt: now,
    updatedAt: now,
    stats: { ...EMPTY_STATS, ...given.stats },
  };
}

export async function createRun(
  db: CrescentDb,
  recipe: Recipe,
  name?: string,
  now: number = Date.now(),
): Promise<string> {
  const row = newRunRow(recipe, now, { name });
  await withStorageErrors(() => db.runs.add(row));
  return row.id;
}

export function getRun(db: CrescentDb, id: string): Promise<RunRow | undefined> {
  return withStorageErrors(() => db.runs.get(id));
}

/** All runs, newest first. */
export function listRuns(db: CrescentDb): Promise<RunRow[]> {
  return withStorageErrors(() => db.runs.orderBy('createdAt').reverse().toArray());
}

export interface RunPatch {
  name?: string;
  status?: RunRowStatus;
  /** Merged into the stored counters. */
  stats?: Partial<RunStats>;
  startedAt?: number;
  finishedAt?: number;
  stopReason?: StopReason;
  /** null clears a stored error (e.g. when a failed run is resumed). */
  error?: ErrorInfo | null;
}

/**
 * The row a patch makes, without touching the input: stats merged into the stored counters,
 * `error: null` clears a stored error, and updatedAt set to `now`. Storage-free, so an in-memory
 * run list can apply patches exactly as the database does.
 */
export function applyRunPatch(row: RunRow, patch: RunPatch, now: number): RunRow {
  const { stats, error, ...rest } = patch;
  const next: RunRow = { ...row, ...rest, stats: { ...row.stats, ...stats }, updatedAt: now };
  if (error === null) delete next.error;
  else if (error) next.error = error;
  return next;
}

/** Applies a patch in one short transaction; resolves to the updated row, or undefined for an unknown id. */
export function updateRun(
  db: CrescentDb,
  id: string,
  patch: RunPatch,
  now: number = Date.now(),
): Promise<RunRow | undefined> {
  return withStorageErrors(() =>
    db.transaction('rw', db.runs, async () => {
      const row = await db.runs.get(id);
      if (!row) return undefined;
      const next = applyRunPatch(row, patch, now);
      await db.runs.put(next);
      return next;
    }),
  );
}

/**
 * On start-up no worker is executing anything, so a run still marked running or loading was cut off
 * by a closed tab or a crash. Marks those 'interrupted' and returns them as they are now stored.
 */
export function markInterruptedRuns(db: CrescentDb, now: number = Date.now()): Promise<RunRow[]> {
  return withStorageErrors(() =>
    db.transaction('rw', db.runs, async () => {
      const live = await db.runs
        .where('status')
        .anyOf([...LIVE_STATUSES])
        .toArray();
      const marked = live.map((row): RunRow => ({ ...row, status: 'interrupted', updatedAt: now }));
      await db.runs.bulkPut(marked);
      return marked;
    }),
  );
}

/** Deletes a run and every row it produced, all or nothing. */
export function deleteRun(db: CrescentDb, id: string): Promise<void> {
  return withStorageErrors(() =>
    db.transaction('rw', [db.runs, db.questions, db.samples, db.pairs, db.curation], async () => {
      await Promise.all([
        db.curation.where('runId').equals(id).delete(),
        db.questions.where('runId').equals(id).delete(),
        db.samples.where('runId').equals(id).delete(),
        db.pairs.where('runId').equals(id).delete(),
        db.runs.delete(id),
      ]);
    }),
  );
}

export interface RunCounts {
  accepted: number;
  rejected: number;
  pairs: number;
  samples: number;
}

/** Counts read from the tables themselves, so they are right even when the stats on the row lag. */
export function runCounts(db: CrescentDb, runId: string): Promise<RunCounts> {
  return withStorageErrors(() =>
    db.transaction('r', [db.questions, db.samples, db.pairs], async () => {
      const [accepted, rejected, pairs, samples] = await Promise.all([
        db.questions.where('[runId+status]').equals([runId, 'accepted']).count(),
        db.questions.where('[runId+status]').equals([runId, 'rejected']).count(),
        db.pairs.where('runId').equals(runId).count(),
        db.samples.where('runId').equals(runId).count(),
      ]);
      return { accepted, rejected, pairs, samples };
    }),
  );
}
