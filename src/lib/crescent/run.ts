// The run orchestrator: bait -> diversify -> answer/vote as a resumable loop over the
// store. Every step is decided from stored records, so stopping anywhere and running again
// continues exactly where the run stopped; the scheduler keeps the engine busy meanwhile.
import type { RunConfig } from './config';
import type { LoadedBenchmark } from './contamination';
import { isAbort, toErrorInfo, type ErrorInfo } from './errors';
import { FailureStreak } from './failureStreak';
import type { RunProgress, StopReason } from './progress';
import { RunState } from './runState';
import { Scheduler, type SchedulerDeps } from './scheduler';
import type { AbortSignalLike, ChatEngine, Clock, Embedder, RunStore } from './types';

export interface RunDeps {
  engine: ChatEngine;
  embedder: Embedder;
  store: RunStore;
  clock?: Clock;
  /** Public test sets proposals must keep away from (config.decontamination says how). */
  benchmarks?: readonly LoadedBenchmark[];
}

export interface RunOptions {
  /** Aborting pauses the run; everything stored so far is kept. */
  signal?: AbortSignalLike;
  onProgress?: (progress: RunProgress) => void;
  /** A monotonic clock in ms (performance.now): with it the outcome says what judging cost. */
  timer?: () => number;
  /**
   * Lets the host's queued tasks run (a pause message, a progress timer). A run waits only on its
   * engine's promises and its writes are not awaited, so with an engine that answers without a
   * task of its own (a double, a cache) it would keep the thread to itself; given this, it
   * steps aside at least every 50 ms of its clock.
   */
  yieldToHost?: () => Promise<void>;
}

export interface RunOutcome {
  stopReason: StopReason;
  progress: RunProgress;
  error?: ErrorInfo;
  /** Time spent judging proposals against the accepted set, when options.timer was given. */
  judgeMs: number;
}

const systemClock: Clock = { now: () => Date.now() };

export async function runCrescent(
  config: RunConfig,
  deps: RunDeps,
  options: RunOptions = {},
): Promise<RunOutcome> {
  const clock = deps.clock ?? systemClock;
  const started = clock.now();
  let state: RunState | undefined;
  let stage: RunProgress['stage'] = 'idle';
  let sessionTokens = 0;
  let sessionPairs = 0;
  let decodeRate: number | null = null;
  let judgeMs = 0;

  const progress = (): RunProgress => {
    if (!state) return emptyProgress();
    const { rejected, malformed, byReason } = state.counts();
    const elapsed = Math.max(1e-3, (clock.now() - started) / 1000);
    const remaining = Math.max(0, config.targetQuestions - state.passingCount);
    return {
      stage,
      proposals: state.questions.length,
      accepted: state.acceptedCount,
      rejected,
      malformed,
      rejectedBy: byReason,
      pairs: state.pairCount,
      passing: state.passingCount,
      samples: state.samplesDrawn,
      samplesSaved: state.samplesSaved,
      tokens: state.tokens,
      tokensPerSecond: sessionTokens / elapsed,
      decodeTokensPerSecond: decodeRate,
      etaSeconds:
        remaining === 0 ? 0 : sessionPairs > 0 ? (remaining * elapsed) / sessionPairs : null,
      recentAcceptance: state.saturation.acceptance,
    };
  };
  const report = () => options.onProgress?.(progress());

  try {
    const snapshot = await deps.store.load(config.runId);
    state = new RunState(config, deps.embedder.dim, snapshot);
    report();
    const run = state;
    let lastTokens = run.tokens;
    let lastPairs = run.passingCount;
    const step: SchedulerDeps = {
      engine: deps.engine,
      embedder: deps.embedder,
      ...(deps.benchmarks ? { benchmarks: deps.benchmarks } : {}),
      store: deps.store,
      clock,
      failures: new FailureStreak(config.failureStreakLimit),
      onRecord: () => {
        sessionTokens += run.tokens - lastTokens;
        sessionPairs += run.passingCount - lastPairs;
        lastTokens = run.tokens;
        lastPairs = run.passingCount;
        report();
      },
      onUsage: (usage) => {
        const rate = usage.decodeTokensPerSecond;
        if (rate === undefined || !Number.isFinite(rate) || rate <= 0) return;
        decodeRate = decodeRate === null ? rate : 0.8 * decodeRate + 0.2 * rate;
      },
    };
    const scheduler = new Scheduler(run, step, {
      concurrency: deps.engine.concurrency,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.timer ? { timer: options.timer } : {}),
      ...(options.yieldToHost ? { yieldToHost: options.yieldToHost } : {}),
      setStage: (s) => {
        stage = s;
      },
    });
    const reason = await scheduler.run().finally(() => {
      judgeMs = scheduler.judgeMs;
    });
    stage = 'idle';
    return { stopReason: reason, progress: progress(), judgeMs };
  } catch (error) {
    stage = 'idle';
    if (isAbort(error) || options.signal?.aborted) {
      return { stopReason: 'paused', progress: progress(), judgeMs };
    }
    // Records counted after a write that failed were never stored: report what the store holds.
    if (state) {
      try {
        state = new RunState(config, deps.embedder.dim, await deps.store.load(config.runId));
      } catch {
        // Unreadable too: the counts of the run as it went are all there is.
      }
    }
    return { stopReason: 'error', progress: progress(), error: toErrorInfo(error), judgeMs };
  }
}

function emptyProgress(): RunProgress {
  return {
    stage: 'idle',
    proposals: 0,
    accepted: 0,
    rejected: 0,
    malformed: 0,
    rejectedBy: {},
    pairs: 0,
    passing: 0,
    samples: 0,
    samplesSaved: 0,
    tokens: 0,
    tokensPerSecond: 0,
    decodeTokensPerSecond: null,
    etaSeconds: null,
    recentAcceptance: null,
  };
}
