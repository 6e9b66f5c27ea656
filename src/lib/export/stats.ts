// Figures for the dataset card: a tally of the pairs as they are exported (one pass, no
// second read of the store) and a summary of the runs' proposals.
import { isEdited, shownAnswer } from './curated';
import type { QaPairRecord, QuestionRecord, RejectionReason } from '../crescent/types';
import { voteSummary } from '../crescent/agreement';

export interface PairStats {
  pairs: number;
  /** Voted pairs whose k-sample vote passes their run's quality bar. */
  passing: number;
  /**
   * Mean over the voted pairs of the winner's share of all k samples, as [lowest, highest]: the
   * two are equal when every vote was drawn to the end. null when no pair was voted on.
   */
  meanAgreement: [number, number] | null;
  /** Voted pairs whose k-sample agreement is known exactly. */
  exactAgreement: number;
  /** Vote splits -> voted pairs, most agreeing first: what was drawn, and of how many asked. */
  voteSplits: VoteSplit[];
  /** Pairs imported without vote data: their agreement is unknown, so no figure above counts them. */
  unvoted: number;
  /** Answer samples drawn for the exported pairs. */
  samplesDrawn: number;
  /** Pairs without a readable final answer. */
  unanswered: number;
  /** Pairs a decontamination check flagged as leaking a benchmark question. */
  flagged: number;
  /** Pairs the user corrected by hand. */
  edited: number;
  models: string[];
}

export interface VoteSplit {
  /** Votes for the winner among the samples drawn. */
  winnerVotes: number;
  drawn: number;
  k: number;
  passes: boolean;
  pairs: number;
}

export class ExportTally {
  #pairs = 0;
  #unvoted = 0;
  #passing = 0;
  #exact = 0;
  #lowSum = 0;
  #highSum = 0;
  #samples = 0;
  #unanswered = 0;
  #flagged = 0;
  #edited = 0;
  readonly #splits = new Map<string, VoteSplit>();
  readonly #models = new Set<string>();

  add(pair: QaPairRecord): void {
    this.#pairs++;
    this.#samples += pair.samples;
    if (shownAnswer(pair) === null) this.#unanswered++;
    if (pair.contamination) this.#flagged++;
    if (isEdited(pair)) this.#edited++;
    this.#models.add(pair.model);
    const s = voteSummary(pair);
    if (!s) {
      this.#unvoted++;
      return;
    }
    if (s.passes) this.#passing++;
    if (s.exact) this.#exact++;
    this.#lowSum += s.low / s.k;
    this.#highSum += s.high / s.k;
    const key = `${s.winnerVotes}/${s.drawn}/${s.k}/${s.passes}`;
    const split = this.#splits.get(key);
    if (split) split.pairs++;
    else {
      const { winnerVotes, drawn, k, passes } = s;
      this.#splits.set(key, { winnerVotes, drawn, k, passes, pairs: 1 });
    }
  }

  get pairs(): number {
    return this.#pairs;
  }

  summary(): PairStats {
    const voted = this.#pairs - this.#unvoted;
    const splits = [...this.#splits.values()].map((split) => ({ ...split }));
    splits.sort(
      (a, b) =>
        b.winnerVotes / b.k - a.winnerVotes / a.k ||
        a.drawn - b.drawn ||
        a.k - b.k ||
        Number(b.passes) - Number(a.passes),
    );
    return {
      pairs: this.#pairs,
      passing: this.#passing,
      meanAgreement: voted === 0 ? null : [this.#lowSum / voted, this.#highSum / voted],
      exactAgreement: this.#exact,
      voteSplits: splits,
      unvoted: this.#unvoted,
      samplesDrawn: this.#samples,
      unanswered: this.#unanswered,
      flagged: this.#flagged,
      edited: this.#edited,
      models: [...this.#models].sort(),
    };
  }
}

export interface QuestionStats {
  proposed: number;
  accepted: number;
  rejected: number;
  rejectedBy: Partial<Record<RejectionReason, number>>;
  /** Accepted questions that came from a rewrite of a rejected one. */
  acceptedRewrites: number;
  runs: number;
}

export function summariseQuestions(questions: Iterable<QuestionRecord>): QuestionStats {
  const stats: QuestionStats = {
    proposed: 0,
    accepted: 0,
    rejected: 0,
    rejectedBy: {},
    acceptedRewrites: 0,
    runs: 0,
  };
  const runs = new Set<string>();
  for (const q of questions) {
    runs.add(q.runId);
    stats.proposed++;
    if (q.status === 'accepted') {
      stats.accepted++;
      if (q.origin === 'rewrite') stats.acceptedRewrites++;
    } else {
      stats.rejected++;
      if (q.reason) stats.rejectedBy[q.reason] = (stats.rejectedBy[q.reason] ?? 0) + 1;
    }
  }
  stats.runs = runs.size;
  return stats;
}
