// The few interfaces through which the Crescent core talks to the world.
// Engines, embedders and stores live elsewhere; the core only sees these shapes.
import type { ContaminationHit } from './contamination';
import type { ErrorCode } from './errors';

/** The part of AbortSignal the core uses; the DOM's and Node's both satisfy it. */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export type Role = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: Role;
  content: string;
}

export interface SamplingOptions {
  temperature: number;
  topP: number;
  maxTokens: number;
  /** Per-request seed derived from the run seed, so a replayed request gets the same reply. */
  seed?: number;
  /** Qwen3-family models: false asks the model not to think before answering. */
  thinking?: boolean;
}

export interface TokenUsage {
  promptTokens: number;
  /** Every generated token, thinking included. */
  completionTokens: number;
  /** The part of completionTokens spent inside a thinking block, when the engine can tell. */
  thinkingTokens?: number;
  /** Decode speed reported by the engine itself, tokens per second. */
  decodeTokensPerSecond?: number;
}

export type FinishReason = 'stop' | 'length' | 'abort' | 'error';

export interface ChatReply {
  /** The reply with any thinking block removed. */
  text: string;
  /** The thinking block, when the model produced one. */
  thinking?: string;
  usage: TokenUsage;
  finishReason: FinishReason;
}

export interface ChatEngine {
  /** Model id as the engine knows it; stored with every result. */
  readonly model: string;
  /** How many requests the engine serves at once (web-llm: 1). */
  readonly concurrency: number;
  complete(
    messages: readonly ChatMessage[],
    options: SamplingOptions,
    signal?: AbortSignalLike,
  ): Promise<ChatReply>;
}

export interface Embedder {
  readonly model: string;
  readonly dim: number;
  /** One L2-normalised vector per text, in order. */
  embed(texts: readonly string[], signal?: AbortSignalLike): Promise<Float32Array[]>;
}

/** A uniform source of numbers in [0, 1), seeded so a run can be replayed. */
export interface RandomSource {
  next(): number;
}

/** Wall-clock time, injected so tests control rates and ETAs. */
export interface Clock {
  now(): number;
}

export type QuestionOrigin = 'bait' | 'rewrite';

export type QuestionStatus = 'accepted' | 'rejected';

export type RejectionReason =
  /** Nearest accepted question is above the similarity threshold. */
  | 'too-similar'
  /** The reply held no question that could be extracted. */
  | 'no-question'
  /** The reply was cut off by the token limit: part of a question is not a question. */
  | 'truncated'
  /** The engine stopped generating before the reply was complete (the model was unloaded). */
  | 'interrupted'
  /** The engine failed on this request (after its own retries); `error` says why. */
  | 'engine-error'
  /** The question leaks from a public test set; `contamination` says which question and by which rule. */
  | 'contaminated';

/** Why one request failed, kept on the record it produced. */
export interface RequestFailure {
  code: ErrorCode;
  message: string;
  action?: string;
}

/** Every proposal, accepted or not, in the order it was made. */
export interface QuestionRecord {
  runId: string;
  /** 0-based position in the run's proposal sequence. */
  seq: number;
  origin: QuestionOrigin;
  /** For a rewrite: seq of the rejected question it rewrites. */
  parentSeq?: number;
  /** 0 for a bait proposal, n for the n-th rewrite of the same bait. */
  attempt: number;
  /** The model's reply as received. */
  raw: string;
  /** The extracted question, null when none could be read. */
  text: string | null;
  status: QuestionStatus;
  reason?: RejectionReason;
  /** Nearest accepted question at decision time. */
  nearestSeq?: number;
  nearestText?: string;
  similarity?: number;
  /** Present for every question that was embedded. */
  embedding?: Float32Array;
  tokens: number;
  /** Present when the engine failed on this request (reason 'engine-error'). */
  error?: RequestFailure;
  /** Present when the question was rejected as 'contaminated'. */
  contamination?: ContaminationHit;
  createdAt: number;
}

/** One sampled answer to an accepted question. */
export interface AnswerSampleRecord {
  runId: string;
  questionSeq: number;
  /** 0-based sample position for this question. */
  index: number;
  raw: string;
  thinking?: string;
  /**
   * Canonical extracted answer, null when none could be read. A sample without a whole reply
   * (finishReason 'error' or 'abort', or 'length' outside faithful mode) is null and never votes.
   */
  answer: string | null;
  /** Generated tokens, thinking included. */
  tokens: number;
  /** The part of `tokens` spent thinking. */
  thinkingTokens: number;
  finishReason: FinishReason;
  /** Present when the engine failed on this request. */
  error?: RequestFailure;
  createdAt: number;
}

/** What the user changed about a pair after the run: the model's own values stay on the pair. */
export interface PairCuration {
  runId: string;
  questionSeq: number;
  /** Set while the pair is deleted: left out of browsing and every export, restorable. */
  deletedAt?: number;
  /** Corrections; an absent field keeps the model's value. */
  question?: string;
  answer?: string | null;
  answerText?: string;
  editedAt?: number;
}

/** The consensus for one accepted question. */
export interface QaPairRecord {
  runId: string;
  questionSeq: number;
  question: string;
  /** The first reply that agrees with the winner (empty when there is no winner). */
  answerText: string;
  /** Canonical winning answer, null when no sample had a readable answer. */
  answer: string | null;
  /** Canonical answer -> number of samples that gave it. */
  votes: Record<string, number>;
  /** Samples that produced no readable answer. */
  abstained: number;
  /** Samples drawn (adaptive voting may stop before k). */
  samples: number;
  /** Samples the recipe asked for (0 for a pair imported without vote data). */
  k: number;
  /**
   * Winner votes / k when all k samples were drawn. null when sampling stopped early (the share
   * all k would give is then only known to lie in a range: see agreementRange) or is unknown.
   */
  agreement: number | null;
  /** The run's quality bar: the winner needs this many of k votes (0: no bar). */
  minVotes: number;
  /** Whether all k samples pass the bar: exact even when sampling stopped early. */
  passes: boolean;
  model: string;
  /** Set by a decontamination check after the fact: the benchmark question this pair leaks. */
  contamination?: ContaminationHit;
  /**
   * The user's deletion or corrections, attached when pairs are read for browsing and export. Kept
   * in a table of its own, never on the pair row, which stays as the run wrote it.
   */
  curation?: PairCuration;
  createdAt: number;
}

/** Everything a run has produced so far; enough to continue it exactly. */
export interface RunSnapshot {
  questions: QuestionRecord[];
  samples: AnswerSampleRecord[];
  pairs: QaPairRecord[];
}

/**
 * Append-only storage of a run's results. A write has happened when its promise resolves. The
 * run asks for a write without waiting for the ones before it, and the store applies them in the
 * order asked: it may lose a tail of them (a power cut before the disk flush), never one from the
 * middle, and once a write of a run fails, every later write of that run fails too, until the
 * run is loaded again. A resume from any such tail gives the same dataset.
 */
export interface RunStore {
  load(runId: string): Promise<RunSnapshot>;
  addQuestion(record: QuestionRecord): Promise<void>;
  addSample(record: AnswerSampleRecord): Promise<void>;
  addPair(record: QaPairRecord): Promise<void>;
  /**
   * Writes the sample that settles a vote together with the pair it makes: both or neither.
   * Optional; a store that has it saves a write per pair, one without gets the two in turn.
   */
  addSettlingSample?(sample: AnswerSampleRecord, pair: QaPairRecord): Promise<void>;
}
