// The pipeline: owns one run at a time, from recipe to stored dataset. Engines, storage and the
// lock come in through PipelineDeps, so the same class runs in the worker, in a test page and in Node.
import type { RunConfig } from '../crescent/config';
import { CrescentError, toErrorInfo } from '../crescent/errors';
import type { runCrescent } from '../crescent/run';
import type { ChatEngine, Clock, Embedder } from '../crescent/types';
import type { LoadedBenchmark } from '../crescent/contamination';
import { missingKeys, withKeys, type RunKeys } from '../recipe/secrets';
import type { EngineSpec, Recipe } from '../recipe/types';
import { probeSpeed, type ModelSpeed } from '../engines/speedProbe';
import { loadBenchmarks, type BenchmarkCache } from '../benchmarks/load';
import { ModelSlots, type EmbedderLoader, type EngineLoader } from './modelSlots';
import type { GpuReport, LoadProgress } from '../engines/reports';
import type { NetworkRecord } from '../network/tally';
import type { PipelineApi, PipelineEvent, RunStatus } from './protocol';
import { onceNoRunGoing, whileNoRunGoing, type ReleaseLock, type RunLock } from './runLock';
import type { RunRecords } from './runRecords';
import { RunSession } from './runSession';
import { yieldToHost } from './yieldToHost';

/** The core's entry point, injected so tests can stand in for it. */
export type RunCrescent = typeof runCrescent;

export interface ModelCache {
  isCached(model: string): Promise<boolean>;
  deleteCached(model: string): Promise<void>;
}

export interface PipelineDeps {
  loadEngine: EngineLoader;
  loadEmbedder: EmbedderLoader;
  preflight(): Promise<GpuReport>;
  modelCache: ModelCache;
  /** Opened once, on first use. */
  openRecords(): Promise<RunRecords>;
  lock: RunLock;
  /** Converts and validates; throws CrescentError 'invalid-recipe'. */
  toConfig(recipe: Recipe, runId: string): RunConfig;
  runCrescent: RunCrescent;
  /** The worker's own network tally, its relay's included (none where nothing records it). */
  networkRecord?: () => NetworkRecord | Promise<NetworkRecord>;
  /** Takes a port to a fetch relay for the endpoint's requests (none where there is no relay). */
  useFetchRelay?: (port: MessagePort) => void;
  clock?: Clock;
  /** Waits between tries at a lock held for a moment (default: a timer); tests pass their own. */
  sleep?: (ms: number) => Promise<void>;
  /** How benchmark files are downloaded (default: the global fetch). */
  fetch?: (url: string, init: { signal?: AbortSignal }) => Promise<Response>;
  /** Least time between two progress events (default 250 ms: 4 a second). */
  progressIntervalMs?: number;
  /** Least time between two writes of the run row's counters (default 2 s). */
  statsIntervalMs?: number;
}

export type PipelineListener = (event: PipelineEvent) => void;

/** Stands in for the run id while a recipe is only being validated. */
const PENDING_RUN_ID = 'pending';

function runLocked(where: 'this' | 'another'): CrescentError {
  return new CrescentError({
    code: 'run-locked',
    message:
      where === 'another'
        ? 'A run is already going in another tab of this browser.'
        : 'A run is already going in this tab.',
    action: 'Pause that run first, or wait until it finishes.',
  });
}

/**
 * Another tab's start-up recovery holds the lock for a few milliseconds; a start that meets it
 * tries again briefly before it reports a run in another tab.
 */
async function acquireSoon(
  lock: RunLock,
  sleep: (ms: number) => Promise<void>,
): Promise<ReleaseLock | null> {
  let release = await lock.tryAcquire();
  for (const delay of LOCK_RETRY_DELAYS_MS) {
    if (release) break;
    await sleep(delay);
    release = await lock.tryAcquire();
  }
  return release;
}

const LOCK_RETRY_DELAYS_MS = [30, 120];

const timerSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class Pipeline implements PipelineApi {
  readonly #deps: PipelineDeps;
  readonly #clock: Clock;
  readonly #slots: ModelSlots;
  readonly #listeners = new Set<PipelineListener>();
  #records: Promise<RunRecords> | null = null;
  /** True from the moment a start or resume takes the lock until its run has stopped. */
  #busy = false;
  #session: RunSession | null = null;
  /** The chat model the current session loads or uses. */
  #sessionModel: string | null = null;
  #ready: Promise<unknown> = Promise.resolve();

  constructor(deps: PipelineDeps) {
    this.#deps = deps;
    this.#clock = deps.clock ?? { now: () => Date.now() };
    this.#slots = new ModelSlots(deps.loadEngine, deps.loadEmbedder);
  }

  preflight(): Promise<GpuReport> {
    return this.#deps.preflight();
  }

  async start(recipe: Recipe): Promise<string> {
    const release = await this.#acquire();
    try {
      // Converting validates, so a refused recipe leaves no run row behind.
      const config = this.#deps.toConfig(recipe, PENDING_RUN_ID);
      const records = await this.#openRecords();
      const runId = await records.create(recipe, this.#clock.now());
      this.#launch(records, recipe, { ...config, runId }, { elapsedMs: 0 }, release);
      return runId;
    } catch (error) {
      this.#release(release);
      throw error;
    }
  }

  async resume(runId: string, keys: RunKeys = {}): Promise<void> {
    const release = await this.#acquire();
    try {
      const records = await this.#openRecords();
      const row = await records.get(runId);
      if (!row) {
        throw new CrescentError({
          code: 'storage',
          message: 'This run is no longer stored in this browser.',
          action: 'Pick another run from the list.',
        });
      }
      if (!row.recipe) {
        throw new CrescentError({
          code: 'invalid-recipe',
          message: 'This dataset was imported without its recipe, so it cannot be continued.',
        });
      }
      const missing = missingKeys(row.keyed, keys);
      if (missing.length > 0) {
        throw new CrescentError({
          code: 'invalid-recipe',
          message: `This run was started with an API key for its ${missing.join(' and ')} endpoint, and keys are not stored with runs.`,
          action: 'Enter the key to resume the run.',
        });
      }
      const recipe = withKeys(row.recipe, keys);
      const config = this.#deps.toConfig(recipe, runId);
      const prior = { elapsedMs: row.stats.elapsedMs, startedAt: row.startedAt };
      this.#launch(records, recipe, config, prior, release);
    } catch (error) {
      this.#release(release);
      throw error;
    }
  }

  async pause(): Promise<void> {
    await this.#session?.stop();
  }

  async subscribe(listener: PipelineListener): Promise<void> {
    this.#listeners.add(listener);
  }

  async current(): Promise<{ runId: string; status: RunStatus } | null> {
    const session = this.#session;
    return session && { runId: session.runId, status: session.status };
  }

  isModelCached(model: string): Promise<boolean> {
    return this.#deps.modelCache.isCached(model);
  }

  async deleteCachedModel(model: string): Promise<void> {
    if (this.#session && this.#sessionModel === model) throw runLocked('this');
    if (this.#slots.engineModel === model) await this.#slots.unloadEngine();
    await this.#deps.modelCache.deleteCached(model);
  }

  async unload(): Promise<void> {
    await this.pause();
    await this.#slots.unloadAll();
  }

  async measureSpeed(spec: EngineSpec): Promise<ModelSpeed> {
    const release = await this.#acquire();
    try {
      const onProgress = (progress: LoadProgress) => this.#emit({ type: 'load', progress });
      const signal = new AbortController().signal;
      const engine = await this.#slots.engine(spec, { onProgress, signal });
      onProgress({ phase: 'ready', fraction: 1, text: 'Model ready' });
      return await probeSpeed(engine, this.#clock);
    } finally {
      this.#release(release);
    }
  }

  async network(): Promise<NetworkRecord> {
    return (await this.#deps.networkRecord?.()) ?? { origins: [], refusals: [] };
  }

  async useFetchRelay(port: MessagePort): Promise<void> {
    if (this.#deps.useFetchRelay) this.#deps.useFetchRelay(port);
    else port.close();
  }

  /**
   * Marks runs that a closed tab left 'running' as 'interrupted', only while no tab holds the run
   * lock: a run another tab executes is alive. Starts and resumes wait for the first try; when the
   * lock is held (by a live run, or by a reloaded tab not yet gone) it tries again once it is free.
   */
  async recoverInterruptedRuns(): Promise<number> {
    const mark = async () => {
      const records = await this.#openRecords();
      return records.markInterrupted(this.#clock.now());
    };
    const now = whileNoRunGoing(this.#deps.lock, mark);
    this.#ready = now.catch(() => undefined);
    const marked = (await now) ?? (await onceNoRunGoing(this.#deps.lock, mark));
    return marked.length;
  }

  /** For failures outside any call: the worker's global error and unhandledrejection. */
  reportError(error: unknown): void {
    this.#emit({ type: 'error', runId: this.#session?.runId ?? null, error: toErrorInfo(error) });
  }

  async #acquire(): Promise<ReleaseLock> {
    await this.#ready;
    if (this.#busy) throw runLocked('this');
    this.#busy = true;
    const release = await acquireSoon(this.#deps.lock, this.#deps.sleep ?? timerSleep).catch(
      (error: unknown) => {
        this.#busy = false;
        throw error;
      },
    );
    if (!release) {
      this.#busy = false;
      throw runLocked('another');
    }
    return release;
  }

  #release(release: ReleaseLock): void {
    this.#busy = false;
    release();
  }

  #openRecords(): Promise<RunRecords> {
    this.#records ??= this.#deps.openRecords().catch((error: unknown) => {
      this.#records = null;
      throw error;
    });
    return this.#records;
  }

  #launch(
    records: RunRecords,
    recipe: Recipe,
    config: RunConfig,
    prior: { elapsedMs: number; startedAt?: number },
    release: ReleaseLock,
  ): void {
    const session = new RunSession({
      runId: config.runId,
      records,
      clock: this.#clock,
      prior,
      progressIntervalMs: this.#deps.progressIntervalMs ?? 250,
      statsIntervalMs: this.#deps.statsIntervalMs ?? 2000,
      emit: (event) => this.#emit(event),
    });
    this.#session = session;
    this.#sessionModel = recipe.engine.model;
    // Said at every start, as the user may have dismissed it and the loss is still to come.
    if (records.fallback)
      this.#emit({ type: 'error', runId: config.runId, error: records.fallback });
    void session.execute({
      load: (signal, onLoad) => this.#loadModels(recipe, records.benchmarks, signal, onLoad),
      run: (models, signal) =>
        this.#deps.runCrescent(
          config,
          { ...models, store: records.store, clock: this.#clock },
          { signal, onProgress: (progress) => session.progress(progress), yieldToHost },
        ),
      stopped: async (stop) => {
        const code = stop.error?.code;
        if (code === 'device-lost' || code === 'out-of-memory') {
          // An engine whose GPU is gone or full cannot serve the resume: load it afresh.
          await this.#slots.unloadEngine().catch(() => undefined);
        }
        // Before the final status goes out, so a listener may start or resume straight away.
        this.#session = null;
        this.#sessionModel = null;
        this.#release(release);
      },
    });
  }

  async #loadModels(
    recipe: Recipe,
    cache: BenchmarkCache,
    signal: AbortSignal,
    onLoad: (progress: LoadProgress) => void,
  ): Promise<{ engine: ChatEngine; embedder: Embedder; benchmarks: LoadedBenchmark[] }> {
    // The web-llm loader checks the GPU itself, before it fetches anything.
    const engine = await this.#slots.engine(recipe.engine, { onProgress: onLoad, signal });
    const embedder = await this.#slots.embedder(recipe.embedder, { onProgress: onLoad, signal });
    const { benchmarks: sources, ngram, similarity } = recipe.decontamination;
    const benchmarks = await loadBenchmarks(sources, {
      cache,
      embedder,
      rule: { ngram, similarity },
      signal,
      onProgress: (text, fraction) => onLoad({ phase: 'benchmarks', fraction, text }),
      ...(this.#deps.fetch ? { fetch: this.#deps.fetch } : {}),
    });
    onLoad({ phase: 'ready', fraction: 1, text: 'Models ready' });
    return { engine, embedder, benchmarks };
  }

  #emit(event: PipelineEvent): void {
    for (const listener of this.#listeners) {
      try {
        // A comlink proxy returns a promise that rejects once its page is gone.
        const result: unknown = listener(event);
        if (result instanceof Promise) result.catch(() => this.#listeners.delete(listener));
      } catch {
        this.#listeners.delete(listener);
      }
    }
  }
}
