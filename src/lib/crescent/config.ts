// The core's view of a run's settings: everything the algorithm needs, nothing about engines.
import { MATH_LLAMA3, type DomainPreset } from './prompts';
import { minVotesFor } from './vote';
import { DEFAULT_CONTAMINATION_RULE, type ContaminationRule } from './contamination';

export interface RunConfig {
  runId: string;
  domain: DomainPreset;
  /** Pairs wanted: accepted questions whose vote passes the bar (with no bar, every one). */
  targetQuestions: number;
  /** k: samples per question for the majority vote. */
  votes: number;
  /** Reject a question whose nearest accepted neighbour is above this cosine. */
  similarityThreshold: number;
  /** Rewrite requests per rejected bait question (faithful mode: 1, accepted unchecked). */
  maxRewrites: number;
  /**
   * A rewrite is judged this many proposals after the one it rewrites (the paper's code rewrites
   * after its batch of 100). Bait requests never wait on a verdict, so an engine that serves many
   * requests at once keeps them in flight, and the order of verdicts is the same at any
   * concurrency. Unless set, rewriteDelayFor(targetQuestions).
   */
  rewriteDelay: number;
  /** true: the paper's exact cleaning, answer rule, voting and rewrite rules. */
  faithful: boolean;
  seed: number;
  temperature: number;
  topP: number;
  questionMaxTokens: number;
  answerMaxTokens: number;
  /** Let thinking models think before answering (questions never think). */
  thinkAnswers: boolean;
  /** Stop after this many proposals (bait and rewrites together). */
  proposalBudget: number;
  /**
   * Stop when the last `window` bait proposals accepted fewer than `minAcceptance` of them. Bait
   * requests the engine failed on are not proposals of the model and do not count.
   */
  saturationWindow: number;
  saturationMinAcceptance: number;
  /**
   * The quality bar, 0..1: a pair passes when at least ceil(minAgreement x k) of its k samples
   * agree on the winner. 0 is no bar.
   */
  minAgreement: number;
  /** Stop sampling a question once its outcome at the bar cannot change (same result, fewer samples). */
  adaptiveVoting: boolean;
  /** Stop the run when this many requests of one kind (questions, answers) fail in a row. */
  failureStreakLimit: number;
  /** How a question is checked against the run's benchmarks, when it is given any. */
  decontamination: ContaminationRule;
}

/**
 * The rewrite delay a run of `targetQuestions` pairs gets: long enough (up to 64) that a server
 * serving dozens of requests at once never waits on a rewrite, short enough (a quarter of the run)
 * that a small run still rewrites what it rejects. It depends on the recipe alone, never on how
 * many requests are in flight.
 */
export function rewriteDelayFor(targetQuestions: number): number {
  return Math.max(1, Math.min(64, Math.ceil(targetQuestions / 4)));
}

export const DEFAULT_CONFIG: Omit<RunConfig, 'runId'> = {
  domain: MATH_LLAMA3,
  targetQuestions: 100,
  votes: 3,
  similarityThreshold: 0.875,
  maxRewrites: 2,
  rewriteDelay: rewriteDelayFor(100),
  faithful: false,
  seed: 1,
  temperature: 1.0,
  topP: 1.0,
  questionMaxTokens: 512,
  answerMaxTokens: 2048,
  thinkAnswers: false,
  proposalBudget: 10_000,
  saturationWindow: 50,
  saturationMinAcceptance: 0.05,
  minAgreement: 0,
  adaptiveVoting: true,
  failureStreakLimit: 5,
  decontamination: DEFAULT_CONTAMINATION_RULE,
};

/** The votes a pair needs to pass the run's bar. */
export function barOf(config: Pick<RunConfig, 'minAgreement' | 'votes'>): number {
  return minVotesFor(config.minAgreement, config.votes);
}

export function makeConfig(runId: string, overrides: Partial<RunConfig> = {}): RunConfig {
  const config = { ...DEFAULT_CONFIG, ...overrides, runId };
  if (overrides.rewriteDelay === undefined) {
    config.rewriteDelay = rewriteDelayFor(config.targetQuestions);
  }
  return config;
}
