import { describe, expect, it, vi } from 'vitest';
import { CrescentError } from '../src/lib/crescent/errors';
import { runCrescent } from '../src/lib/crescent/run';
import { HashingEmbedder } from '../src/lib/engines/doubles/hashingEmbedder';
import {
  ScriptedChatEngine,
  type ScriptedEngineOptions,
} from '../src/lib/engines/doubles/scriptedEngine';
import { defaultRecipe } from '../src/lib/recipe/defaults';
import type { Recipe } from '../src/lib/recipe/types';
import { Pipeline } from '../src/lib/worker/pipeline';
import type { PipelineEvent, RunStatus } from '../src/lib/worker/protocol';
import { configForRun } from '../src/lib/worker/runConfig';
import { MemoryRunLock } from '../src/lib/worker/runLock';
import { memoryFallback, MemoryRunRecords } from '../src/lib/worker/runRecords';

interface Harness {
  pipeline: Pipeline;
  events: PipelineEvent[];
  records: MemoryRunRecords;
  loads: { engines: number; unloads: number };
  /** Models whose cached weights were deleted. */
  deleted: string[];
  /** Resolves with the next status event that ends a run. */
  stopped(): Promise<Extract<PipelineEvent, { type: 'status' }>>;
}

const ENDED: ReadonlySet<RunStatus> = new Set(['paused', 'done', 'failed']);

function harness(
  options: {
    engine?: ScriptedEngineOptions;
    lock?: MemoryRunLock;
    records?: MemoryRunRecords;
    /** Runs before each engine load; throw to fail the load. */
    beforeLoad?: () => void;
    /** Stands in for the waits between tries at a held lock. */
    sleep?: (ms: number) => Promise<void>;
  } = {},
): Harness {
  const records = options.records ?? new MemoryRunRecords();
  const loads = { engines: 0, unloads: 0 };
  const deleted: string[] = [];
  const events: PipelineEvent[] = [];
  const waiting: ((event: Extract<PipelineEvent, { type: 'status' }>) => void)[] = [];
  const pipeline = new Pipeline({
    loadEngine: async (_spec, { onProgress }) => {
      options.beforeLoad?.();
      loads.engines++;
      onProgress({ phase: 'loading', fraction: 0.5, text: 'Loading the scripted model' });
      return {
        engine: new ScriptedChatEngine({ seed: 7, ...options.engine }),
        unload: async () => {
          loads.unloads++;
        },
      };
    },
    loadEmbedder: async () => new HashingEmbedder(),
    preflight: async () => {
      throw new Error('preflight is not part of these runs');
    },
    modelCache: {
      isCached: async () => false,
      deleteCached: async (model) => {
        deleted.push(model);
      },
    },
    openRecords: async () => records,
    lock: options.lock ?? new MemoryRunLock(),
    toConfig: configForRun,
    runCrescent,
    progressIntervalMs: 0,
    sleep: options.sleep ?? (() => Promise.resolve()),
  });
  void pipeline.subscribe((event) => {
    events.push(event);
    if (event.type === 'status' && ENDED.has(event.status)) waiting.shift()?.(event);
  });
  return {
    pipeline,
    events,
    records,
    loads,
    deleted,
    stopped: () => new Promise((resolve) => waiting.push(resolve)),
  };
}

function recipe(overrides: Partial<Recipe> = {}): Recipe {
  return { ...defaultRecipe(), targetQuestions: 4, votes: 3, seed: 11, ...overrides };
}

/** The event types in order, with consecutive repeats folded (progress comes many times). */
function shape(events: readonly PipelineEvent[]): string[] {
  const out: string[] = [];
  for (const event of events) {
    const name = event.type === 'status' ? `status:${event.status}` : event.type;
    if (out.at(-1) !== name) out.push(name);
  }
  return out;
}

describe('the pipeline', () => {
  it('runs a recipe to its target, reporting loading, running, progress and done in that order', async () => {
    const h = harness();
    const stopped = h.stopped();
    const runId = await h.pipeline.start(recipe());
    const end = await stopped;

    expect(end).toEqual({ type: 'status', runId, status: 'done', reason: 'target' });
    expect(shape(h.events)).toEqual([
      'status:loading',
      'load',
      'status:running',
      'progress',
      'status:done',
    ]);
    const progress = h.events.flatMap((e) => (e.type === 'progress' ? [e.progress] : []));
    expect(progress.at(-1)?.pairs).toBe(4);
    const pairCounts = progress.map((p) => p.pairs);
    expect(pairCounts).toEqual([...pairCounts].sort((a, b) => a - b));

    const row = await h.records.get(runId);
    expect(row?.status).toBe('done');
    expect(row?.stopReason).toBe('target');
    expect(row?.stats.pairs).toBe(4);
    expect(row?.finishedAt).toBeTypeOf('number');
    expect((await h.records.store.load(runId)).pairs).toHaveLength(4);
    expect(await h.pipeline.current()).toBeNull();
  });

  it('pauses mid-run into a stored, resumable run, and its resume finishes it without duplicates', async () => {
    const h = harness({ engine: { latencyMs: 3 } });
    const target = 6;
    const runId = await h.pipeline.start(recipe({ targetQuestions: target }));
    await new Promise<void>((resolve) => {
      void h.pipeline.subscribe((e) => {
        if (e.type === 'progress' && e.progress.pairs >= 2) resolve();
      });
    });
    await h.pipeline.pause();

    const paused = await h.records.get(runId);
    expect(paused?.status).toBe('paused');
    expect(paused?.stopReason).toBe('paused');
    const pairsAtPause = (await h.records.store.load(runId)).pairs.length;
    expect(pairsAtPause).toBeGreaterThanOrEqual(2);
    expect(pairsAtPause).toBeLessThan(target);
    expect(await h.pipeline.current()).toBeNull();

    const stopped = h.stopped();
    await h.pipeline.resume(runId);
    expect(await stopped).toMatchObject({ status: 'done', reason: 'target' });
    const { questions, pairs } = await h.records.store.load(runId);
    expect(pairs).toHaveLength(target);
    expect(new Set(pairs.map((p) => p.questionSeq)).size).toBe(target);
    expect(questions.map((q) => q.seq)).toEqual(questions.map((_, i) => i));
    // Same model both times: loaded once and kept.
    expect(h.loads.engines).toBe(1);
    expect((await h.records.get(runId))?.stats.elapsedMs).toBeGreaterThan(0);
  });

  it('pauses a run whose GPU is lost, keeps the error, and loads the engine afresh to resume', async () => {
    let failures = 0;
    const h = harness({
      engine: {
        onCall: ({ call }) => {
          if (call === 5 && failures++ === 0) {
            throw new CrescentError({ code: 'device-lost', message: 'The GPU was lost.' });
          }
        },
      },
    });
    const stopped = h.stopped();
    const runId = await h.pipeline.start(recipe());
    expect(await stopped).toMatchObject({ status: 'paused', reason: 'error' });
    const error = h.events.find((e) => e.type === 'error');
    expect(error).toEqual({
      type: 'error',
      runId,
      error: expect.objectContaining({ code: 'device-lost', message: 'The GPU was lost.' }),
    });
    expect((await h.records.get(runId))?.error?.code).toBe('device-lost');
    expect(h.loads.unloads).toBe(1);

    const resumed = h.stopped();
    await h.pipeline.resume(runId);
    expect(await resumed).toMatchObject({ status: 'done', reason: 'target' });
    expect(h.loads.engines).toBe(2);
    expect((await h.records.get(runId))?.error).toBeUndefined();
  });

  it('pauses a run when storage is full, keeps the loaded model, and resumes once there is room', async () => {
    const records = new MemoryRunRecords();
    const { store } = records;
    let full = false;
    const addPair = store.addPair.bind(store);
    store.addPair = async (pair) => {
      if (full) throw new CrescentError({ code: 'quota-exceeded', message: 'Storage is full.' });
      full = true;
      await addPair(pair);
    };
    const h = harness({ records });
    const stopped = h.stopped();
    const runId = await h.pipeline.start(recipe());
    expect(await stopped).toMatchObject({ status: 'paused', reason: 'error' });
    expect((await records.get(runId))?.error?.code).toBe('quota-exceeded');
    expect((await store.load(runId)).pairs).toHaveLength(1);
    expect(h.loads.unloads).toBe(0);

    store.addPair = addPair;
    const resumed = h.stopped();
    await h.pipeline.resume(runId);
    expect(await resumed).toMatchObject({ status: 'done', reason: 'target' });
    expect((await store.load(runId)).pairs).toHaveLength(4);
    expect(h.loads.engines).toBe(1);
  });

  it('frees the loaded model on unload, and will not delete it from the cache while a run uses it', async () => {
    const h = harness({ engine: { latencyMs: 20 } });
    const model = recipe().engine.model;
    const stopped = h.stopped();
    await h.pipeline.start(recipe({ targetQuestions: 2 }));
    await expect(h.pipeline.deleteCachedModel(model)).rejects.toMatchObject({ code: 'run-locked' });
    await stopped;
    await h.pipeline.deleteCachedModel(model);
    expect(h.loads.unloads).toBe(1);
    expect(h.deleted).toEqual([model]);

    const again = h.stopped();
    await h.pipeline.start(recipe({ targetQuestions: 1 }));
    await again;
    await h.pipeline.unload();
    expect(h.loads).toEqual({ engines: 2, unloads: 2 });
  });

  it('fails a run on an error that resuming would not fix', async () => {
    const h = harness({
      engine: {
        onCall: () => {
          throw new CrescentError({
            code: 'bad-request',
            message: 'The server refused the model.',
          });
        },
      },
    });
    const stopped = h.stopped();
    const runId = await h.pipeline.start(recipe());
    expect(await stopped).toMatchObject({ status: 'failed', reason: 'error' });
    expect((await h.records.get(runId))?.status).toBe('failed');
  });

  it('retries a run that failed on a broken download: resuming it reaches the target', async () => {
    let downloadWorks = false;
    const h = harness({
      beforeLoad: () => {
        if (downloadWorks) return;
        throw new CrescentError({ code: 'download-failed', message: 'The download broke off.' });
      },
    });
    const stopped = h.stopped();
    const runId = await h.pipeline.start(recipe());
    expect(await stopped).toMatchObject({ status: 'failed', reason: 'error' });
    expect((await h.records.get(runId))?.error?.code).toBe('download-failed');

    downloadWorks = true;
    const retried = h.stopped();
    await h.pipeline.resume(runId);
    expect(await retried).toMatchObject({ status: 'done', reason: 'target' });
    const row = await h.records.get(runId);
    expect(row?.status).toBe('done');
    expect(row?.error).toBeUndefined();
    expect((await h.records.store.load(runId)).pairs).toHaveLength(4);
  });

  it('retries a run that failed midway on an unreachable server, keeping what it had made', async () => {
    let reachable = false;
    const h = harness({
      engine: {
        onCall: ({ call }) => {
          if (call >= 6 && !reachable) {
            throw new CrescentError({ code: 'network', message: 'The server is unreachable.' });
          }
        },
      },
    });
    const stopped = h.stopped();
    const runId = await h.pipeline.start(recipe({ targetQuestions: 6 }));
    expect(await stopped).toMatchObject({ status: 'failed' });
    const before = await h.records.store.load(runId);
    expect(before.questions.length).toBeGreaterThan(0);
    expect(before.pairs.length).toBeLessThan(6);

    reachable = true;
    const retried = h.stopped();
    await h.pipeline.resume(runId);
    expect(await retried).toMatchObject({ status: 'done', reason: 'target' });
    const after = await h.records.store.load(runId);
    expect(after.pairs).toHaveLength(6);
    expect(new Set(after.pairs.map((p) => p.questionSeq)).size).toBe(6);
    // Nothing made before the failure is lost or made twice.
    expect(after.questions.slice(0, before.questions.length)).toEqual(before.questions);
    expect(after.questions.map((q) => q.seq)).toEqual(after.questions.map((_, i) => i));
  });

  it('tells each run when the browser refused its database and results live in memory only', async () => {
    const fallback = memoryFallback(new DOMException('Not allowed here.', 'SecurityError'));
    const h = harness({ records: new MemoryRunRecords(fallback) });
    const stopped = h.stopped();
    const runId = await h.pipeline.start(recipe({ targetQuestions: 1 }));
    expect(await stopped).toMatchObject({ status: 'done' });
    const errors = h.events.filter((e) => e.type === 'error');
    expect(errors).toEqual([{ type: 'error', runId, error: fallback }]);
    expect(fallback).toMatchObject({
      code: 'storage',
      message: expect.stringContaining('kept in memory only and is lost when the tab closes'),
    });
  });

  it('says nothing about storage when the run records are the ones it asked for', async () => {
    const h = harness();
    const stopped = h.stopped();
    await h.pipeline.start(recipe({ targetQuestions: 1 }));
    await stopped;
    expect(h.events.some((e) => e.type === 'error')).toBe(false);
  });

  it('refuses a second run while another pipeline of the same browser holds the lock', async () => {
    const lock = new MemoryRunLock();
    const first = harness({ lock, engine: { latencyMs: 30 } });
    const waits: number[] = [];
    const sleep = async (ms: number): Promise<void> => void waits.push(ms);
    const second = harness({ lock, records: first.records, sleep });
    const firstStopped = first.stopped();
    await first.pipeline.start(recipe());

    // The waits end at once, so the first run, whose replies each take a timer, still runs.
    const refusal = await second.pipeline.start(recipe()).catch((e: unknown) => e);
    expect(waits).toEqual([30, 120]);
    expect(refusal).toBeInstanceOf(CrescentError);
    expect(refusal).toMatchObject({
      code: 'run-locked',
      message: 'A run is already going in another tab of this browser.',
    });
    await expect(first.pipeline.start(recipe())).rejects.toMatchObject({ code: 'run-locked' });

    await firstStopped;
    expect(lock.held).toBe(false);
    const secondStopped = second.stopped();
    await second.pipeline.start(recipe({ targetQuestions: 1 }));
    expect(await secondStopped).toMatchObject({ status: 'done' });
  });

  it('waits out a lock held only for a moment, as by another tab starting up, instead of refusing', async () => {
    const lock = new MemoryRunLock();
    const release = await lock.tryAcquire();
    const waits: number[] = [];
    // The other holder lets go while the start waits before its second try.
    const h = harness({ lock, sleep: async (ms) => void (waits.push(ms), release?.()) });
    const stopped = h.stopped();
    await h.pipeline.start(recipe({ targetQuestions: 1 }));
    expect(await stopped).toMatchObject({ status: 'done' });
    expect(waits).toEqual([30]);
  });

  it('refuses a recipe it cannot run before storing anything, and keeps the lock free', async () => {
    const lock = new MemoryRunLock();
    const h = harness({ lock });
    await expect(h.pipeline.start(recipe({ votes: -1 }))).rejects.toMatchObject({
      code: 'invalid-recipe',
    });
    expect(lock.held).toBe(false);
    expect(h.events).toEqual([]);
  });

  it('marks runs a closed tab left running as interrupted at once when no tab holds the lock', async () => {
    const records = new MemoryRunRecords();
    const orphan = await records.create(recipe(), 1);
    await records.update(orphan, { status: 'running' }, 2);
    const lock = new MemoryRunLock();

    expect(await harness({ lock, records }).pipeline.recoverInterruptedRuns()).toBe(1);
    expect((await records.get(orphan))?.status).toBe('interrupted');
    expect(lock.held).toBe(false);
  });

  it('waits for the tab holding the lock to let go before marking runs, without holding up a start', async () => {
    const records = new MemoryRunRecords();
    const orphan = await records.create(recipe(), 1);
    await records.update(orphan, { status: 'running' }, 2);
    const lock = new MemoryRunLock();
    const release = await lock.tryAcquire();
    const h = harness({ lock, records });

    let marked: number | null = null;
    void h.pipeline.recoverInterruptedRuns().then((count) => (marked = count));
    await expect(h.pipeline.start(recipe())).rejects.toMatchObject({ code: 'run-locked' });
    expect(marked).toBeNull();
    expect((await records.get(orphan))?.status).toBe('running');

    release?.();
    await vi.waitFor(() => expect(marked).toBe(1));
    expect((await records.get(orphan))?.status).toBe('interrupted');
    expect(lock.held).toBe(false);
  });
});
