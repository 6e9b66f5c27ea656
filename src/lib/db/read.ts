// Reading results out for the UI and for export, in batches so ten thousand pairs never sit in
// memory at once and no transaction stays open while the consumer works on a batch.
import { Dexie } from 'dexie';
import { meetsAgreement } from '../crescent/agreement';
import type { AnswerSampleRecord, QaPairRecord, QuestionRecord } from '../crescent/types';
import { withCuration } from './curation';
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
      yield await withCuration(db, batch);
      if (batch.length < batchSize) break;
      after = last.questionSeq;
    }
  }
}

/**
 * The stored samples of a batch of pairs of one run (as pairsOfRuns yields them), in one read
 * over the range of their questions.
 */
export async function samplesOfPairs(
  db: CrescentDb,
  pairs: readonly QaPairRecord[],
): Promise<AnswerSampleRecord[]> {
  const first = pairs[0];
  const last = pairs.at(-1);
  if (!first || !last) return [];
  const wanted = new Set(pairs.map((p) => p.questionSeq));
  const rows = await withStorageErrors(() =>
    db.samples
      .where('[runId+questionSeq+index]')
      .between(
        [first.runId, first.questionSeq, Dexie.minKey],
        [last.runId, last.questionSeq, Dexie.maxKey],
        true,
        true,
      )
      .toArray(),
  );
  return rows.filter((s) => wanted.has(s.questionSeq));
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
