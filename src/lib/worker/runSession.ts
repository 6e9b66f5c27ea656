// One execution of a run, from loading its models to its last status: keeps the run row in step,
// turns a pause into an abort, and makes sure every way of stopping ends in a stored, resumable state.
import {
  CrescentError,
  isAbort,
  toErrorInfo,
  type ErrorCode,
  type ErrorInfo,
} from '../crescent/errors';
import type { RunProgress, StopReason } from '../crescent/progress';
import type { Clock } from '../crescent/types';
import type { RunStats } from '../db/schema';
import { ProgressThrottle } from './progressThrottle';
import type { LoadProgress } from '../engines/reports';
import type { PipelineEvent, RunStatus } from './protocol';
import type { RunPatch, RunRecords } from './runRecords';

export interface RunStop {
  stopReason: StopReason;
  /** null when the run stopped before the core reported anything. */
  progress: RunProgress | null;
  error?: ErrorInfo;
}

/** Failures that leave the stored run intact: fix the cause (memory, storage, GPU), then resume. */
const RESUMABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'aborted',
  'device-lost',
  'out-of-memory',
  'quota-exceeded',
]);

function statusAfter(stop: { stopReason: StopReason; error?: ErrorInfo }): RunStatus {
  if (stop.stopReason === 'paused') return 'paused';
  if (stop.stopReason === 'error') {
    const code = stop.error?.code;
    return code !== undefined && RESUMABLE.has(code) ? 'paused' : 'failed';
  }
  return 'done';
}

function statsOf(progress: RunProgress, elapsedMs: number): RunStats {
  const { proposals, accepted, rejected, pairs, samples, samplesSaved, tokens } = progress;
  return { proposals, accepted, rejected, pairs, samples, samplesSaved, tokens, elapsedMs };
}

export interface RunSessionOptions {
  runId: string;
  records: RunRecords;
  clock: Clock;
  /** What earlier sessions of the same run left on its row. */
  prior: { elapsedMs: number; startedAt?: number };
  progressIntervalMs: number;
  statsIntervalMs: number;
  emit: (event: PipelineEvent) => void;
}

export interface RunWork<Models> {
  load(signal: AbortSignal, onLoad: (progress: LoadProgress) => void): Promise<Models>;
  run(models: Models, signal: AbortSignal): Promise<RunStop>;
  /** After the row holds the final state and before the final status event goes out. */
  stopped(stop: RunStop): Promise<void>;
}

export class RunSession {
  readonly runId: string;
  readonly #options: RunSessionOptions;
  readonly #controller = new AbortController();
  readonly #throttle: ProgressThrottle<RunProgress>;
  #status: RunStatus = 'loading';
  #finished: Promise<void> = Promise.resolve();
  #latest: RunProgress | null = null;
  #runningSince: number | null = null;
  #lastStatsWrite = 0;
  #statsWrites: Promise<void> = Promise.resolve();

  constructor(options: RunSessionOptions) {
    this.runId = options.runId;
    this.#options = options;
    this.#throttle = new ProgressThrottle<RunProgress>(
      options.progressIntervalMs,
      (progress) => options.emit({ type: 'progress', runId: this.runId, progress }),
      () => options.clock.now(),
    );
  }

  get status(): RunStatus {
    return this.#status;
  }

  /** Resolves once the run has stopped and its final state is stored; never rejects. */
  execute<Models>(work: RunWork<Models>): Promise<void> {
    this.#finished = this.#execute(work);
    return this.#finished;
  }

  /** Pausing is aborting: the core keeps everything it stored and resumes from there. */
  async stop(): Promise<void> {
    this.#controller.abort(new CrescentError({ code: 'aborted', message: 'Paused.' }));
    await this.#finished;
  }

  progress(progress: RunProgress): void {
    this.#latest = progress;
    this.#throttle.push(progress);
    const now = this.#options.clock.now();
    if (now - this.#lastStatsWrite < this.#options.statsIntervalMs) return;
    this.#lastStatsWrite = now;
    const stats = statsOf(progress, this.#elapsed(now));
    const { records } = this.#options;
    // Chained so counters never land out of order; a failure here is the storage failing, which
    // the core's own writes meet too and report as the run's error.
    this.#statsWrites = this.#statsWrites
      .then(() => records.update(this.runId, { stats }, now))
      .catch(() => undefined);
  }

  async #execute<Models>(work: RunWork<Models>): Promise<void> {
    const { runId, records, clock, prior, emit } = this.#options;
    const signal = this.#controller.signal;
    let stop: RunStop;
    try {
      this.#setStatus('loading');
      await records.update(runId, { status: 'loading', error: null }, clock.now());
      const models = await work.load(signal, (progress) => emit({ type: 'load', progress }));
      signal.throwIfAborted();
      const now = clock.now();
      this.#runningSince = now;
      this.#lastStatsWrite = now;
      await records.update(runId, { status: 'running', startedAt: prior.startedAt ?? now }, now);
      this.#setStatus('running');
      stop = await work.run(models, signal);
    } catch (error) {
      stop = isAbort(error)
        ? { stopReason: 'paused', progress: this.#latest }
        : { stopReason: 'error', progress: this.#latest, error: toErrorInfo(error) };
    }
    await this.#finish(normalise(stop), work);
  }

  async #finish(stop: RunStop, work: RunWork<unknown>): Promise<void> {
    const { runId, records, clock, emit } = this.#options;
    if (stop.progress) this.#throttle.push(stop.progress);
    this.#throttle.flush();
    await this.#statsWrites;
    const status = statusAfter(stop);
    const now = clock.now();
    const patch: RunPatch = { status, stopReason: stop.stopReason, error: stop.error ?? null };
    patch.stats = stop.progress
      ? statsOf(stop.progress, this.#elapsed(now))
      : { elapsedMs: this.#elapsed(now) };
    if (status === 'done') patch.finishedAt = now;
    let storeError: ErrorInfo | undefined;
    try {
      await records.update(runId, patch, now);
    } catch (error) {
      storeError = toErrorInfo(error);
    }
    this.#status = status;
    try {
      await work.stopped(stop);
    } catch (error) {
      storeError ??= toErrorInfo(error);
    }
    if (stop.error) emit({ type: 'error', runId, error: stop.error });
    if (storeError) emit({ type: 'error', runId, error: storeError });
    emit({ type: 'status', runId, status, reason: stop.stopReason });
  }

  #setStatus(status: RunStatus): void {
    this.#status = status;
    this.#options.emit({ type: 'status', runId: this.runId, status });
  }

  #elapsed(now: number): number {
    const since = this.#runningSince;
    return this.#options.prior.elapsedMs + (since === null ? 0 : now - since);
  }
}

/** An abort reported as an error is a pause, and a pause carries no error. */
function normalise(stop: RunStop): RunStop {
  if (stop.stopReason === 'paused' || stop.error?.code === 'aborted') {
    return { stopReason: 'paused', progress: stop.progress };
  }
  return stop;
}
