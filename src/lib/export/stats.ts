// Figures for the dataset card: a tally of the pairs as they are exported (one pass, no
// second read of the store) and a summary of the runs' proposals.
import type { QaPairRecord, QuestionRecord, RejectionReason } from '../crescent/types';
import { hasVotes } from './formats';

export interface PairStats {
  pairs: number;
  /** Mean agreement over the exported pairs that were voted on; null when there are none. */
  meanAgreement: number | null;
  /** Agreement rounded to two decimals -> voted pairs, ascending. */
  agreementHistogram: [string, number][];
  /** Pairs imported without vote data: their agreement is unknown, so no figure above counts them. */
  unvoted: number;
  /** Answer samples drawn for the exported pairs. */
  samplesDrawn: number;
  /** Pairs without a readable final answer. */
  unanswered: number;
  models: string[];
}

export class ExportTally {
  #pairs = 0;
  #unvoted = 0;
  #agreementSum = 0;
  #samples = 0;
  #unanswered = 0;
  readonly #histogram = new Map<string, number>();
  readonly #models = new Set<string>();

  add(pair: QaPairRecord): void {
    this.#pairs++;
    this.#samples += pair.samples;
    if (pair.answer === null) this.#unanswered++;
    this.#models.add(pair.model);
    if (!hasVotes(pair)) {
      this.#unvoted++;
      return;
    }
    this.#agreementSum += pair.agreement;
    const bucket = pair.agreement.toFixed(2);
    this.#histogram.set(bucket, (this.#histogram.get(bucket) ?? 0) + 1);
  }

  get pairs(): number {
    return this.#pairs;
  }

  summary(): PairStats {
    const voted = this.#pairs - this.#unvoted;
    return {
      pairs: this.#pairs,
      meanAgreement: voted === 0 ? null : this.#agreementSum / voted,
      agreementHistogram: [...this.#histogram].sort((a, b) => Number(a[0]) - Number(b[0])),
      unvoted: this.#unvoted,
      samplesDrawn: this.#samples,
      unanswered: this.#unanswered,
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
