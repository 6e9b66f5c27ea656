// Curation: deleting, restoring and correcting pairs. Changes live in their own table, keyed like
// the pairs, so the run's rows stay exactly as the run wrote them (a resumed run sees its pairs
// unchanged: a deleted pair's question is neither proposed nor answered again) and every change
// can be undone.
import { CrescentError } from '../crescent/errors';
import type { PairCuration, QaPairRecord } from '../crescent/types';
import { withStorageErrors } from './quota';
import type { CrescentDb } from './schema';

export type PairKey = readonly [runId: string, questionSeq: number];

export interface PairCorrection {
  question?: string;
  answer?: string | null;
  answerText?: string;
}

/** The pairs with their curation attached (in the order given). */
export async function withCuration(
  db: CrescentDb,
  pairs: readonly QaPairRecord[],
): Promise<QaPairRecord[]> {
  if (pairs.length === 0) return [];
  const rows = await withStorageErrors(() =>
    db.curation.bulkGet(pairs.map((p) => [p.runId, p.questionSeq])),
  );
  return pairs.map((pair, i) => {
    const curation = rows[i];
    return curation ? { ...pair, curation } : pair;
  });
}

/** Every curation row of the given runs. */
export function curationOfRuns(db: CrescentDb, runIds: readonly string[]): Promise<PairCuration[]> {
  return runIds.length === 0
    ? Promise.resolve([])
    : db.curation
        .where('runId')
        .anyOf([...runIds])
        .toArray();
}

/** Attaches curation rows to pairs read apart from them (both of the same runs). */
export function attachCuration(
  pairs: readonly QaPairRecord[],
  rows: readonly PairCuration[],
): QaPairRecord[] {
  if (rows.length === 0) return [...pairs];
  const byKey = new Map(rows.map((r) => [`${r.runId}\n${r.questionSeq}`, r]));
  return pairs.map((pair) => {
    const curation = byKey.get(`${pair.runId}\n${pair.questionSeq}`);
    return curation ? { ...pair, curation } : pair;
  });
}

async function update(
  db: CrescentDb,
  keys: readonly PairKey[],
  change: (row: PairCuration) => PairCuration,
): Promise<number> {
  return withStorageErrors(() =>
    db.transaction('rw', db.pairs, db.curation, async () => {
      const pairs = await db.pairs.bulkGet(keys.map(([r, q]) => [r, q]));
      const present = keys.filter((_, i) => pairs[i] !== undefined);
      const rows = await db.curation.bulkGet(present.map(([r, q]) => [r, q]));
      const next = present.map(([runId, questionSeq], i) =>
        change(rows[i] ?? { runId, questionSeq }),
      );
      const keep = next.filter(hasContent);
      const drop = next.filter((r) => !hasContent(r));
      await db.curation.bulkPut(keep);
      await db.curation.bulkDelete(drop.map((r) => [r.runId, r.questionSeq]));
      return present.length;
    }),
  );
}

function hasContent(row: PairCuration): boolean {
  return (
    row.deletedAt !== undefined ||
    row.question !== undefined ||
    row.answer !== undefined ||
    row.answerText !== undefined
  );
}

/** Deletes pairs (restorable); returns how many existed. */
export function deletePairs(db: CrescentDb, keys: readonly PairKey[], now = Date.now()) {
  return update(db, keys, (row) => ({ ...row, deletedAt: row.deletedAt ?? now }));
}

export function restorePairs(db: CrescentDb, keys: readonly PairKey[]) {
  return update(db, keys, ({ deletedAt: _, ...row }) => row);
}

/**
 * Corrects a pair. A field equal to the model's own value is dropped, so a correction typed back
 * to the original leaves the pair unedited.
 */
export async function correctPair(
  db: CrescentDb,
  key: PairKey,
  correction: PairCorrection,
  now = Date.now(),
): Promise<void> {
  const pair = await withStorageErrors(() => db.pairs.get([key[0], key[1]]));
  if (!pair) return;
  if (correction.question !== undefined && correction.question.trim() === '')
    throw new CrescentError({
      code: 'invalid-edit',
      message: 'A question cannot be empty.',
      action: 'Type the corrected question, or cancel the edit.',
    });
  await update(db, [key], (row) => {
    const next: PairCuration = { ...row, ...correction };
    if (next.question === pair.question) delete next.question;
    if (next.answer === pair.answer) delete next.answer;
    if (next.answerText === pair.answerText) delete next.answerText;
    if (next.question === undefined && next.answer === undefined && next.answerText === undefined)
      delete next.editedAt;
    else next.editedAt = now;
    return next;
  });
}

/** Takes every correction back: the pair shows the model's values again. */
export function revertPair(db: CrescentDb, key: PairKey) {
  return update(db, [key], (row) => {
    const { runId, questionSeq, deletedAt } = row;
    return deletedAt === undefined ? { runId, questionSeq } : { runId, questionSeq, deletedAt };
  });
}
