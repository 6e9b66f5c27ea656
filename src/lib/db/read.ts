// Reading results out for the UI and for export, in batches so ten thousand pairs never sit in
// memory at once and no transaction stays open while the consumer works on a batch.
import { Dexie } from 'dexie';
import { meetsAgreement } from '../crescent/agreement';
import type { QaPairRecord, QuestionRecord } from '../crescent/types';
import { withStorageErrors } from './quota';
import type { CrescentDb } from './schema';

export interface PairFilter {
  /** Keep pairs whose k-sample agreement is known to be at least this (0..1). */
  minAgreement?: number;
  /** Keep only pairs with a winning answer. */
  requireAnswer?: boolean;
}

const PAIR_BATCH_SIZE = 500;

function pairMatches(pair: QaPairRecord, filter: PairFilter): boolean {
  if (filter.requireAnswer && pair.answer === null) return false;
  if (filter.minAgreement !== undefined && meetsAgreement(pair, filter.minAgreement) !== 'yes')
    return false;
  return true;
}

/**
 * Yields the pairs of the given runs, run by run in the order given and by question within a run,
 * in batches of at most `batchSize`. Each batch is its own read, resumed after the last key seen.
 */
export async function* pairsOfRuns(
  db: CrescentDb,
  runIds: readonly string[],
  filter: PairFilter = {},
  batchSize: number = PAIR_BATCH_SIZE,
): AsyncGenerator<QaPairRecord[], void, undefined> {
  for (const runId of runIds) {
    let after: number | null = null;
    for (;;) {
      const batch = await withStorageErrors(() =>
        db.pairs
          .where('[runId+questionSeq]')
          .between([runId, after ?? Dexie.minKey], [runId, Dexie.maxKey], after === null, true)
          .filter((pair) => pairMatches(pair, filter))
          .limit(batchSize)
          .toArray(),
      );
      const last = batch.at(-1);
      if (!last) break;
      yield batch;
      if (batch.length < batchSize) break;
      after = last.questionSeq;
    }
  }
}

/** How many pairs of the given runs pass the filter. */
export async function countPairs(
  db: CrescentDb,
  runIds: readonly string[],
  filter: PairFilter = {},
): Promise<number> {
  let total = 0;
  for (const runId of runIds) {
    total += await withStorageErrors(() =>
      db.pairs
        .where('runId')
        .equals(runId)
        .filter((pair) => pairMatches(pair, filter))
        .count(),
    );
  }
  return total;
}

/** The run's rejected questions in proposal order, with reason, nearest neighbour and similarity. */
export function rejectedQuestions(db: CrescentDb, runId: string): Promise<QuestionRecord[]> {
  return withStorageErrors(() =>
    db.questions.where('[runId+status]').equals([runId, 'rejected']).sortBy('seq'),
  );
}
