// Where the pipeline keeps run rows and results: IndexedDB when the browser allows it,
// memory otherwise (private windows of some browsers, Node), behind one small interface.
import type { ErrorInfo } from '../crescent/errors';
import { MemoryRunStore } from '../crescent/memoryStore';
import type { RunStore } from '../crescent/types';
import {
  applyRunPatch,
  createRun,
  getRun,
  LIVE_STATUSES,
  markInterruptedRuns,
  newRunRow,
  updateRun,
  type RunPatch,
} from '../db/runs';
import { CrescentDb, type RunRow } from '../db/schema';
import { describeOpenFailure } from '../db/openFailure';
import { DexieRunStore } from '../db/store';
import type { Recipe } from '../recipe/types';
import type { BenchmarkCache, StoredBenchmark } from '../benchmarks/load';
import { benchmarkCache } from '../db/benchmarks';

function memoryBenchmarkCache(): BenchmarkCache {
  const kept = new Map<string, StoredBenchmark>();
  return {
    get: async (key) => kept.get(key),
    put: async (benchmark) => {
      kept.set(benchmark.key, benchmark);
    },
  };
}

export type { RunPatch };

export interface RunRecords {
  /** The results of every run (questions, samples, pairs). */
  readonly store: RunStore;
  /** Stores a new run row and returns its id. */
  create(recipe: Recipe, now: number): Promise<string>;
  get(runId: string): Promise<RunRow | undefined>;
  update(runId: string, patch: RunPatch, now: number): Promise<void>;
  /** Marks rows left 'running' or 'loading' as 'interrupted'; call only while holding the run lock. */
  markInterrupted(now: number): Promise<RunRow[]>;
  /** Benchmarks for decontamination, kept beside the runs. */
  readonly benchmarks: BenchmarkCache;
  /** Why runs kept here will not outlive the tab, when the browser refused its database. */
  readonly fallback?: ErrorInfo;
}

/** What a run is told when IndexedDB would not open and its results live in memory only. */
export function memoryFallback(openError: unknown): ErrorInfo {
  const { reason, action } = describeOpenFailure(openError);
  return {
    code: 'storage',
    message: `${reason} This run is kept in memory only and is lost when the tab closes.`,
    action: `Export the data before closing the tab. ${action}`,
  };
}

function dexieRunRecords(db: CrescentDb): RunRecords {
  return {
    // At most 20 write transactions a second: a crash may lose 50 ms more of a fast run, which a
    // resume asks for again; each transaction saved is also a message the page need not handle.
    store: new DexieRunStore(db, { spacingMs: 50 }),
    create: (recipe, now) => createRun(db, recipe, undefined, now),
    get: (runId) => getRun(db, runId),
    update: async (runId, patch, now) => {
      await updateRun(db, runId, patch, now);
    },
    markInterrupted: (now) => markInterruptedRuns(db, now),
    benchmarks: benchmarkCache(db),
  };
}

export class MemoryRunRecords implements RunRecords {
  readonly store = new MemoryRunStore();
  readonly benchmarks = memoryBenchmarkCache();
  readonly fallback?: ErrorInfo;
  readonly #rows = new Map<string, RunRow>();

  /** `fallback` when memory stands in for a database the browser refused. */
  constructor(fallback?: ErrorInfo) {
    this.fallback = fallback;
  }

  async create(recipe: Recipe, now: number): Promise<string> {
    const row = newRunRow(recipe, now);
    this.#rows.set(row.id, row);
    return row.id;
  }

  async get(runId: string): Promise<RunRow | undefined> {
    const row = this.#rows.get(runId);
    return row && structuredClone(row);
  }

  async update(runId: string, patch: RunPatch, now: number): Promise<void> {
    const row = this.#rows.get(runId);
    if (!row) return;
    this.#rows.set(runId, applyRunPatch(row, patch, now));
  }

  async markInterrupted(now: number): Promise<RunRow[]> {
    const marked: RunRow[] = [];
    for (const row of this.#rows.values()) {
      if (!LIVE_STATUSES.includes(row.status)) continue;
      const next: RunRow = { ...row, status: 'interrupted', updatedAt: now };
      this.#rows.set(row.id, next);
      marked.push(next);
    }
    return marked;
  }
}

/** IndexedDB when it opens, else memory: a run still works, it just does not outlive the tab. */
export async function openRunRecords(db: CrescentDb = new CrescentDb()): Promise<RunRecords> {
  try {
    await db.open();
    return dexieRunRecords(db);
  } catch (error) {
    return new MemoryRunRecords(memoryFallback(error));
  }
}
