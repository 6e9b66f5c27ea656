// Majority vote over sampled answers, and the test that lets sampling stop early: a vote is
// settled once no value of the samples still to come can change its outcome at the run's bar.

/**
 * One sample's answer: a canonical string, null when the reply held no readable answer, or
 * undefined when there was no reply at all (the request failed or was cut off). undefined never
 * votes, in any mode.
 */
export type SampledAnswer = string | null | undefined;

export interface VoteOptions {
  /**
   * true: the paper's rule, where an unreadable answer (null) is a candidate like any other and
   * can win. false (default): null answers abstain.
   */
  countNull?: boolean;
  /**
   * The quality bar: the outcome of k samples is `fail` when the winner has fewer votes than this,
   * `pass` otherwise. 0 (default) is no bar: every vote passes with its winner.
   */
  minVotes?: number;
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
  /** Samples that did not vote: unreadable answers (outside countNull mode) and missing replies. */
  abstained: number;
}

/** What all k samples decide at the bar: the winner passes it, or nothing does. */
export type VoteOutcome = { pass: true; winner: string | null } | { pass: false };

/** Key of null answers in VoteResult.counts when they vote; no canonical answer looks like it. */
export const UNREADABLE_ANSWER_KEY = '(unreadable)';

/** Votes a winner needs among k samples to reach an agreement share (0 for no bar). */
export function minVotesFor(minAgreement: number, k: number): number {
  if (!(minAgreement > 0) || k <= 0) return 0;
  return Math.min(k, Math.ceil(minAgreement * k - 1e-9));
}

interface Candidate {
  answer: string | null;
  votes: number;
  first: number;
}

interface Tally {
  /** Candidates in first-seen order; a Map keyed by answer tells null apart. */
  candidates: Map<string | null, Candidate>;
  abstained: number;
  leader: Candidate | null;
}

function tally(answers: ReadonlyArray<SampledAnswer>, countNull: boolean): Tally {
  const candidates = new Map<string | null, Candidate>();
  let abstained = 0;
  let leader: Candidate | null = null;
  answers.forEach((answer, index) => {
    if (answer === undefined || (answer === null && !countNull)) {
      abstained++;
      return;
    }
    let entry = candidates.get(answer);
    if (entry) entry.votes++;
    else candidates.set(answer, (entry = { answer, votes: 1, first: index }));
    // Strictly more votes takes the lead; among equals the earlier first sample keeps it.
    if (
      !leader ||
      entry.votes > leader.votes ||
      (entry.votes === leader.votes && entry.first < leader.first)
    ) {
      leader = entry;
    }
  });
  return { candidates, abstained, leader };
}

export function majorityVote(
  answers: ReadonlyArray<SampledAnswer>,
  options: VoteOptions = {},
): VoteResult {
  const t = tally(answers, options.countNull ?? false);
  const counts: Record<string, number> = {};
  for (const { answer, votes } of t.candidates.values()) {
    counts[answer ?? UNREADABLE_ANSWER_KEY] = votes;
  }
  const total = answers.length;
  const votes = t.leader?.votes ?? 0;
  return {
    winner: t.leader?.answer ?? null,
    votes,
    total,
    agreement: total === 0 ? 0 : votes / total,
    firstIndex: t.leader?.first ?? -1,
    counts,
    abstained: t.abstained,
  };
}

/** The outcome of a complete vote (all k samples drawn) at the bar. */
export function outcomeOf(vote: Pick<VoteResult, 'winner' | 'votes'>, minVotes = 0): VoteOutcome {
  return vote.votes >= minVotes ? { pass: true, winner: vote.winner } : { pass: false };
}

/**
 * The outcome all k samples will give, once the samples drawn so far fix it whatever the rest
 * turn out to be (an answer seen so far, a new answer, null, or no reply); null while some
 * completion could still give another outcome. So sampling can stop at the earliest moment that
 * keeps the outcome identical to drawing all k.
 */
export function settledOutcome(
  answers: ReadonlyArray<SampledAnswer>,
  k: number,
  options: VoteOptions = {},
): VoteOutcome | null {
  const minVotes = Math.max(0, options.minVotes ?? 0);
  const { candidates, leader } = tally(answers, options.countNull ?? false);
  const remaining = k - answers.length;
  if (remaining <= 0) {
    return outcomeOf({ winner: leader?.answer ?? null, votes: leader?.votes ?? 0 }, minVotes);
  }
  // Nobody has voted yet: a run of one new answer passes once it is long enough (and then other
  // runs, or all abstaining, give other outcomes); otherwise no candidate can reach the bar.
  if (leader === null) return remaining >= minVotes ? null : { pass: false };

  const lead = leader.votes;
  // A rival's best chance is every remaining sample: giving them elsewhere only helps the leader
  // or a third candidate no stronger than the rival itself.
  for (const rival of candidates.values()) {
    const reach = rival.votes + remaining;
    const overtakes = reach > lead || (reach === lead && rival.first < leader.first);
    if (rival !== leader && overtakes && reach >= minVotes) return null;
  }
  // A brand-new answer is first seen after every candidate, so it must beat the leader outright.
  if (remaining > lead && remaining >= minVotes) return null;
  const leaderCanPass = lead + remaining >= minVotes;
  // The fewest votes the winner can end with is the leader's now: the rest may all abstain or,
  // where null votes, go one each to new answers.
  const canFail = lead < minVotes;
  if (leaderCanPass && canFail) return null;
  return leaderCanPass ? { pass: true, winner: leader.answer } : { pass: false };
}

/**
 * True iff the outcome of majorityVote over all k samples at the bar (options.minVotes, 0 for no
 * bar: then the outcome is its winner) is already fixed, whatever the remaining samples are.
 */
export function isVoteSettled(
  answers: ReadonlyArray<SampledAnswer>,
  k: number,
  options: VoteOptions = {},
): boolean {
  return settledOutcome(answers, k, options) !== null;
}

/**
 * The fewest further samples that could settle the vote: the best case, where each of them agrees
 * with the leader (towards a pass) or brings no vote (towards a fail at the bar). Every one of them
 * is needed whatever they turn out to be, so an engine that serves several requests at once can
 * ask for all of them together and the outcome stays that of drawing one at a time.
 */
export function samplesBeforeSettled(
  answers: ReadonlyArray<SampledAnswer>,
  k: number,
  options: VoteOptions = {},
): number {
  const remaining = k - answers.length;
  if (remaining <= 0 || isVoteSettled(answers, k, options)) return 0;
  const leader = tally(answers, options.countNull ?? false).leader;
  // With nobody ahead, the best case towards a pass is a run of one new answer.
  const agreeing = leader ? leader.answer : '\u0000best case';
  const until = (next: SampledAnswer): number => {
    const extended: SampledAnswer[] = [...answers];
    for (let extra = 1; extra < remaining; extra++) {
      extended.push(next);
      if (isVoteSettled(extended, k, options)) return extra;
    }
    return remaining;
  };
  return Math.min(until(agreeing), until(undefined));
}

/** Samples adaptive voting did not have to draw. */
export function samplesSaved(k: number, drawn: number): number {
  return Math.max(0, k - drawn);
}
