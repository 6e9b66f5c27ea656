// Stage 2, rejection sampling on embedding similarity: decide each proposal against the
// accepted set, decide what to propose next, and tell when the domain is saturated.
import type { RunConfig } from './config';
import type { QuestionRecord } from './types';

export interface NearestAccepted {
  seq: number;
  text: string;
  similarity: number;
}

export type Verdict =
  | { status: 'accepted'; nearest: NearestAccepted | null }
  | { status: 'rejected'; reason: 'too-similar'; nearest: NearestAccepted };

/**
 * Paper rule: reject when the nearest accepted neighbour is above the threshold.
 * `unchecked` (the paper's rewrites) accepts whatever the neighbour, but still records it.
 */
export function judge(
  nearest: NearestAccepted | null,
  threshold: number,
  unchecked = false,
): Verdict {
  if (nearest && nearest.similarity > threshold && !unchecked) {
    return { status: 'rejected', reason: 'too-similar', nearest };
  }
  return { status: 'accepted', nearest };
}

export type NextProposal =
  | { kind: 'bait'; attempt: 0 }
  | {
      kind: 'rewrite';
      /** The rejected question being rewritten. */
      parentSeq: number;
      attempt: number;
      rejected: string;
      nearest: string;
    };

/**
 * What to ask for after `last`, read only from stored records so a resumed run asks
 * exactly what the uninterrupted run would have asked. Faithful mode asks for exactly one rewrite
 * of a rejected bait question, whatever comes of it, as the paper's code does.
 */
export function nextProposal(
  last: QuestionRecord | undefined,
  bySeq: (seq: number) => QuestionRecord | undefined,
  config: Pick<RunConfig, 'maxRewrites' | 'faithful'>,
): NextProposal {
  const rewrites = config.faithful ? Math.min(1, config.maxRewrites) : config.maxRewrites;
  if (!last || last.status === 'accepted' || last.attempt >= rewrites) {
    return { kind: 'bait', attempt: 0 };
  }
  // A rewrite that failed to produce a question is retried from the question it rewrote.
  const target =
    last.reason === 'too-similar' || last.reason === 'contaminated'
      ? last
      : last.origin === 'rewrite' && last.parentSeq !== undefined
        ? bySeq(last.parentSeq)
        : undefined;
  // A contaminated question is rewritten away from the benchmark question it leaks.
  const nearest = target?.contamination?.question ?? target?.nearestText;
  if (!target || target.text === null || nearest === undefined) {
    return { kind: 'bait', attempt: 0 };
  }
  return {
    kind: 'rewrite',
    parentSeq: target.seq,
    attempt: last.attempt + 1,
    rejected: target.text,
    nearest,
  };
}

export type RewriteRequest = Extract<NextProposal, { kind: 'rewrite' }>;

/**
 * A place in the run's sequence of proposals, known before its request is sent: the n-th bait
 * request of the run, or a rewrite owed by a stored record, judged at position `due`.
 */
export type ProposalSlot = { kind: 'bait'; bait: number } | (RewriteRequest & { due: number });

/** Names a slot's request: the same slot always has the same key, at any concurrency. */
export function slotKey(slot: ProposalSlot): string {
  return slot.kind === 'bait' ? `bait ${slot.bait}` : `rewrite ${slot.parentSeq}.${slot.attempt}`;
}

/** Whether a proposal counts towards saturation: a bait reply of the model, not an engine failure. */
export function countsTowardsSaturation(q: Pick<QuestionRecord, 'origin' | 'reason'>): boolean {
  return q.origin === 'bait' && q.reason !== 'engine-error';
}

/**
 * Acceptance over the last `size` bait proposals (engine failures left out), kept incrementally:
 * the saturation stop and the "recent acceptance" figure both read it.
 */
export class SaturationWindow {
  readonly #outcomes: Uint8Array;
  #filled = 0;
  #next = 0;
  #accepted = 0;

  constructor(readonly size: number) {
    this.#outcomes = new Uint8Array(Math.max(0, size));
  }

  add(q: Pick<QuestionRecord, 'origin' | 'reason' | 'status'>): void {
    if (!countsTowardsSaturation(q) || this.size <= 0) return;
    const accepted = q.status === 'accepted' ? 1 : 0;
    if (this.#filled === this.size) this.#accepted -= this.#outcomes[this.#next] ?? 0;
    else this.#filled++;
    this.#outcomes[this.#next] = accepted;
    this.#accepted += accepted;
    this.#next = (this.#next + 1) % this.size;
  }

  /** Share accepted over the window so far, null before any bait proposal counted. */
  get acceptance(): number | null {
    return this.#filled === 0 ? null : this.#accepted / this.#filled;
  }

  /** Saturated once a full window accepted less than the minimum share. */
  saturated(minAcceptance: number): boolean {
    return (
      this.size > 0 && this.#filled === this.size && this.#accepted / this.size < minAcceptance
    );
  }
}

function windowOver(questions: readonly QuestionRecord[], size: number): SaturationWindow {
  const w = new SaturationWindow(size);
  for (const q of questions) w.add(q);
  return w;
}

/** Share of accepted bait proposals among the last `window` of them, null before there are any. */
export function recentAcceptance(
  questions: readonly QuestionRecord[],
  window: number,
): number | null {
  return windowOver(questions, window).acceptance;
}

/** Saturated once a full window of bait proposals accepted less than the minimum share. */
export function isSaturated(
  questions: readonly QuestionRecord[],
  config: Pick<RunConfig, 'saturationWindow' | 'saturationMinAcceptance'>,
): boolean {
  return windowOver(questions, config.saturationWindow).saturated(config.saturationMinAcceptance);
}
