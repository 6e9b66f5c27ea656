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
 * exactly what the uninterrupted run would have asked.
 */
export function nextProposal(
  last: QuestionRecord | undefined,
  bySeq: (seq: number) => QuestionRecord | undefined,
  config: Pick<RunConfig, 'maxRewrites'>,
): NextProposal {
  if (!last || last.status === 'accepted' || last.attempt >= config.maxRewrites) {
    return { kind: 'bait', attempt: 0 };
  }
  // A rewrite that failed to produce a question is retried from the question it rewrote.
  const target =
    last.reason === 'too-similar'
      ? last
      : last.origin === 'rewrite' && last.parentSeq !== undefined
        ? bySeq(last.parentSeq)
        : undefined;
  if (!target || target.text === null || target.nearestText === undefined) {
    return { kind: 'bait', attempt: 0 };
  }
  return {
    kind: 'rewrite',
    parentSeq: target.seq,
    attempt: last.attempt + 1,
    rejected: target.text,
    nearest: target.nearestText,
  };
}

/** Share of accepted proposals among the last `window` proposals, null before there are any. */
export function recentAcceptance(
  questions: readonly QuestionRecord[],
  window: number,
): number | null {
  const recent = questions.slice(-window);
  if (recent.length === 0) return null;
  return recent.filter((q) => q.status === 'accepted').length / recent.length;
}

/** Saturated once a full window of proposals accepted less than the minimum share. */
export function isSaturated(
  questions: readonly QuestionRecord[],
  config: Pick<RunConfig, 'saturationWindow' | 'saturationMinAcceptance'>,
): boolean {
  if (config.saturationWindow <= 0 || questions.length < config.saturationWindow) return false;
  const rate = recentAcceptance(questions, config.saturationWindow);
  return rate !== null && rate < config.saturationMinAcceptance;
}
