// What a stored vote says about agreement: exactly at the run's bar, and as a range above it when
// adaptive voting stopped before k samples. No figure here passes a lower bound off as the value.
import { minVotesFor, UNREADABLE_ANSWER_KEY } from './vote';
import type { QaPairRecord } from './types';

/** The fields of a pair a vote summary reads; older rows and imports may lack the bar. */
export type VotedPair = Pick<QaPairRecord, 'votes' | 'answer' | 'samples' | 'k'> &
  Partial<Pick<QaPairRecord, 'minVotes' | 'passes'>>;

export interface VoteSummary {
  k: number;
  /** Samples drawn. */
  drawn: number;
  /** Votes for the winner among the samples drawn. */
  winnerVotes: number;
  minVotes: number;
  /** Whether all k samples pass the bar (always true with no bar). */
  passes: boolean;
  /** The fewest and the most votes the winner of all k samples can have. */
  low: number;
  high: number;
  /** low === high: the k-sample agreement is known. */
  exact: boolean;
}

/** null for a pair without vote data (k 0: imported from a file that carried none). */
export function voteSummary(pair: VotedPair): VoteSummary | null {
  const { k } = pair;
  if (!(k > 0)) return null;
  const drawn = Math.min(pair.samples, k);
  const winnerVotes = pair.votes[pair.answer ?? UNREADABLE_ANSWER_KEY] ?? 0;
  const minVotes = pair.minVotes ?? 0;
  const passes = pair.passes ?? true;
  const most = winnerVotes + (k - drawn);
  // A pass means the winner reaches the bar; a fail means whoever wins stays below it.
  const low = passes ? Math.max(winnerVotes, minVotes) : winnerVotes;
  const high = passes ? most : Math.min(most, minVotes - 1);
  return { k, drawn, winnerVotes, minVotes, passes, low, high, exact: low === high };
}

/** The winner's share of all k samples as [lowest, highest]; null without vote data. */
export function agreementRange(pair: VotedPair): [number, number] | null {
  const s = voteSummary(pair);
  return s && [s.low / s.k, s.high / s.k];
}

/** The k-sample agreement when it is known, else null. */
export function exactAgreement(pair: VotedPair): number | null {
  const s = voteSummary(pair);
  return s && s.exact ? s.low / s.k : null;
}

export type AgreementVerdict = 'yes' | 'no' | 'unknown';

/**
 * Whether all k samples would give the winner at least `minAgreement` of the votes: 'unknown'
 * when sampling stopped before that was decided, or the pair has no vote data. At or below the
 * run's own bar the answer is always known.
 */
export function meetsAgreement(pair: VotedPair, minAgreement: number): AgreementVerdict {
  if (!(minAgreement > 0)) return 'yes';
  const s = voteSummary(pair);
  if (!s) return 'unknown';
  const needed = minVotesFor(minAgreement, s.k);
  if (s.low >= needed) return 'yes';
  if (s.high < needed) return 'no';
  return 'unknown';
}
