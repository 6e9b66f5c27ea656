// Majority vote over sampled answers, and the test that lets sampling stop early:
// a vote is settled once no value of the samples still to come can change its winner.

export interface VoteOptions {
  /**
   * true: the paper's rule, where an unreadable answer (null) is a candidate like any other and
   * can win. false (default): null answers abstain.
   */
  countNull?: boolean;
}

export interface VoteResult {
  /** The plurality answer, ties going to the one seen first; null when nobody voted. */
  winner: string | null;
  /** Samples that gave the winner (in countNull mode a null winner can have votes > 0). */
  votes: number;
  /** Samples considered: answers.length. */
  total: number;
  /** votes / total, 0 when there are no samples. */
  agreement: number;
  /** Position of the first sample equal to the winner, -1 when there is no winner. */
  firstIndex: number;
  /**
   * Answer -> samples that gave it, in first-seen order. In countNull mode null answers are
   * counted under UNREADABLE_ANSWER_KEY; otherwise they are absent. Sum of counts + abstained =
   * total.
   */
  counts: Record<string, number>;
  /** Null answers that did not vote (always 0 in countNull mode, where they do vote). */
  abstained: number;
}

/** Key of null answers in VoteResult.counts when they vote; no canonical answer looks like it. */
export const UNREADABLE_ANSWER_KEY = '(unreadable)';

interface Tally {
  /** Candidate -> [votes, first index]; Map keeps first-seen order and tells null apart. */
  candidates: Map<string | null, { votes: number; first: number }>;
  abstained: number;
}

function tally(answers: ReadonlyArray<string | null>, countNull: boolean): Tally {
  const candidates = new Map<string | null, { votes: number; first: number }>();
  let abstained = 0;
  answers.forEach((answer, index) => {
    if (answer === null && !countNull) {
      abstained++;
      return;
    }
    const entry = candidates.get(answer);
    if (entry) entry.votes++;
    else candidates.set(answer, { votes: 1, first: index });
  });
  return { candidates, abstained };
}

/** The leader of a tally: most votes, earliest first sample among equals. */
function leaderOf(t: Tally): { answer: string | null; votes: number; first: number } | null {
  let leader: { answer: string | null; votes: number; first: number } | null = null;
  // Map iteration is in first-seen order, so a strict > keeps the earliest among equals.
  for (const [answer, { votes, first }] of t.candidates) {
    if (!leader || votes > leader.votes) leader = { answer, votes, first };
  }
  return leader;
}

export function majorityVote(
  answers: ReadonlyArray<string | null>,
  options: VoteOptions = {},
): VoteResult {
  const t = tally(answers, options.countNull ?? false);
  const leader = leaderOf(t);
  const counts: Record<string, number> = {};
  for (const [answer, { votes }] of t.candidates) {
    counts[answer ?? UNREADABLE_ANSWER_KEY] = votes;
  }
  const total = answers.length;
  const votes = leader?.votes ?? 0;
  return {
    winner: leader?.answer ?? null,
    votes,
    total,
    agreement: total === 0 ? 0 : votes / total,
    firstIndex: leader?.first ?? -1,
    counts,
    abstained: t.abstained,
  };
}

/**
 * True iff the winner of majorityVote over all k samples is already fixed, whatever the
 * remaining k - answers.length samples turn out to be (an answer seen so far, a new answer, or
 * null). It is false whenever some completion could still change the winner, so sampling stops
 * at the earliest moment that keeps the result identical to drawing all k.
 */
export function isVoteSettled(
  answers: ReadonlyArray<string | null>,
  k: number,
  options: VoteOptions = {},
): boolean {
  const remaining = k - answers.length;
  if (remaining <= 0) return true;
  const t = tally(answers, options.countNull ?? false);
  const leader = leaderOf(t);
  // Nobody has voted yet: the rest could all be null (no winner, or null winning) or all a new answer.
  if (!leader) return false;
  // A brand-new answer (always possible) is first seen after the leader, so it must overtake it.
  if (remaining > leader.votes) return false;
  // The best chance of any rival is to receive every remaining sample; giving them elsewhere
  // only helps the leader or a third candidate that is no stronger than the rival itself.
  for (const [answer, { votes, first }] of t.candidates) {
    if (answer === leader.answer) continue;
    const reach = votes + remaining;
    if (reach > leader.votes || (reach === leader.votes && first < leader.first)) return false;
  }
  return true;
}

/** Samples adaptive voting did not have to draw. */
export function samplesSaved(k: number, drawn: number): number {
  return Math.max(0, k - drawn);
}
