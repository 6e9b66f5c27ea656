// The run orchestrator: bait -> diversify -> answer/vote as a resumable loop over the
// store. Every step is decided from stored records, so stopping anywhere and running again
// continues exactly where the run stopped.
import type { RunConfig } from './config';
import type { LoadedBenchmark } from './contamination';
import { answerQuestion } from './consensus';
import { nextProposal } from './diversify';
import { isAbort, toErrorInfo, type ErrorInfo } from './errors';
import { FailureStreak } from './failureStreak';
import type { RunProgress, StopReason } from './progress';
import { proposeQuestion, type ProposalDeps } from './proposal';
import { RunState } from './runState';
import type {
  AbortSignalLike,
  ChatEngine,
  Clock,
  Embedder,
  QuestionRecord,
  RunStore,
} from './types';

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
}

export interface RunOutcome {
  stopReason: StopReason;
  progress: RunProgress;
  error?: ErrorInfo;
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
    const step: ProposalDeps = {
      engine: deps.engine,
      embedder: deps.embedder,
      ...(deps.benchmarks ? { benchmarks: deps.benchmarks } : {}),
      store: deps.store,
      clock,
      failures: new FailureStreak(config.failureStreakLimit),
      ...(options.signal ? { signal: options.signal } : {}),
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
    const setStage = (s: RunProgress['stage']) => {
      stage = s;
    };
    const reason =
      Math.max(1, deps.engine.concurrency) === 1
        ? await runSequential(run, step, setStage, options.signal)
        : await runOverlapped(run, step, setStage, deps.engine.concurrency, options.signal);
    stage = 'idle';
    return { stopReason: reason, progress: progress() };
  } catch (error) {
    stage = 'idle';
    if (isAbort(error) || options.signal?.aborted) {
      return { stopReason: 'paused', progress: progress() };
    }
    return { stopReason: 'error', progress: progress(), error: toErrorInfo(error) };
  }
}

/** Why the run should stop proposing, or null to go on. */
function proposalStop(state: RunState): StopReason | null {
  const { config } = state;
  // Counting the questions still being voted on as if they pass: more are proposed only when
  // the target could not be met otherwise, so the proposals are the same at any concurrency.
  if (state.passingCount + state.pendingCount >= config.targetQuestions) return 'target';
  if (state.questions.length >= config.proposalBudget) return 'budget';
  if (state.saturation.saturated(config.saturationMinAcceptance)) return 'saturated';
  return null;
}

function proposalStage(state: RunState): RunProgress['stage'] {
  const next = nextProposal(state.last, (seq) => state.question(seq), state.config);
  return next.kind === 'bait' ? 'propose' : 'rewrite';
}

/** One request at a time: answer each question as soon as it is accepted. */
async function runSequential(
  state: RunState,
  step: ProposalDeps,
  setStage: (s: RunProgress['stage']) => void,
  signal?: AbortSignalLike,
): Promise<StopReason> {
  for (;;) {
    if (signal?.aborted) return 'paused';
    const pending = state.pendingAnswers().next();
    if (!pending.done) {
      setStage('answer');
      await answerQuestion(pending.value, state, step);
      continue;
    }
    const stop = proposalStop(state);
    if (stop) return stop;
    setStage(proposalStage(state));
    await proposeQuestion(state, step);
  }
}

/**
 * With an engine that serves several requests at once, one lane proposes (in order, so
 * diversification stays deterministic) while the others answer different questions.
 */
async function runOverlapped(
  state: RunState,
  step: ProposalDeps,
  setStage: (s: RunProgress['stage']) => void,
  lanes: number,
  signal?: AbortSignalLike,
): Promise<StopReason> {
  const claimed = new Set<number>();
  let proposing = true;
  let failed = false;
  let stopReason: StopReason = 'target';
  let waiters: Array<() => void> = [];
  const wake = () => {
    const ready = waiters;
    waiters = [];
    for (const w of ready) w();
  };
  const stopped = () => failed || Boolean(signal?.aborted);

  const answerLane = async () => {
    while (!stopped()) {
      const next = firstUnclaimed(state.pendingAnswers(), claimed);
      if (next) {
        claimed.add(next.seq);
        if (!proposing) setStage('answer');
        await answerQuestion(next, state, step);
        wake();
        continue;
      }
      if (!proposing) return;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  const proposalLane = async () => {
    try {
      while (!stopped()) {
        const stop = proposalStop(state);
        if (stop === null) {
          setStage(proposalStage(state));
          await proposeQuestion(state, step);
          wake();
          continue;
        }
        if (stop !== 'target' || state.pendingCount === 0) {
          stopReason = stop;
          break;
        }
        // The target is met only if the questions being voted on pass: help, or wait for them.
        const next = firstUnclaimed(state.pendingAnswers(), claimed);
        if (next) {
          claimed.add(next.seq);
          await answerQuestion(next, state, step);
          wake();
        } else await new Promise<void>((resolve) => waiters.push(resolve));
      }
    } finally {
      proposing = false;
      wake();
    }
    // The proposal slot turns into one more answering slot.
    await answerLane();
  };
  const guard = async (lane: () => Promise<void>) => {
    try {
      await lane();
    } catch (error) {
      failed = true;
      wake();
      throw error;
    }
  };

  const results = await Promise.allSettled([
    guard(proposalLane),
    ...Array.from({ length: lanes - 1 }, () => guard(answerLane)),
  ]);
  const rejection = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejection) throw rejection.reason;
  return signal?.aborted ? 'paused' : stopReason;
}

function firstUnclaimed(
  pending: Iterable<QuestionRecord>,
  claimed: ReadonlySet<number>,
): QuestionRecord | undefined {
  for (const q of pending) if (!claimed.has(q.seq)) return q;
  return undefined;
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
