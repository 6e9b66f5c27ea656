import { afterEach, describe, expect, it } from 'vitest';
import { countPairs, pairsOfRuns, rejectedQuestions } from '../src/lib/db/read';
import type { CrescentDb } from '../src/lib/db/schema';
import { DexieRunStore } from '../src/lib/db/store';
import { freshDb, pair, question } from './db-fixtures';

let db: CrescentDb;
afterEach(() => db?.close());

async function collect<T>(batches: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const batch of batches) out.push(batch);
  return out;
}

describe('pairsOfRuns', () => {
  it('streams every pair of the runs in batches, run by run and by question', async () => {
    db = freshDb();
    await db.pairs.bulkPut([
      ...Array.from({ length: 1_203 }, (_, i) => pair('a', i)),
      ...Array.from({ length: 5 }, (_, i) => pair('b', 10 + i)),
      pair('c', 0),
    ]);
    const batches = await collect(pairsOfRuns(db, ['b', 'a'], {}, 500));
    expect(batches.map((b) => b.length)).toEqual([5, 500, 500, 203]);
    const flat = batches.flat();
    expect(flat.slice(0, 6).map((p) => `${p.runId}${p.questionSeq}`)).toEqual([
      'b10',
      'b11',
      'b12',
      'b13',
      'b14',
      'a0',
    ]);
    const seqs = flat.filter((p) => p.runId === 'a').map((p) => p.questionSeq);
    expect(seqs).toEqual(Array.from({ length: 1_203 }, (_, i) => i));
  });

  it('keeps only pairs at or above the agreement and with an answer when asked', async () => {
    db = freshDb();
    const rows = Array.from({ length: 30 }, (_, i) =>
      pair('a', i, {
        answer: i % 5 === 0 ? null : String(i),
        votes: { [String(i)]: (i % 3) + 1, other: 2 - (i % 3) },
      }),
    );
    await db.pairs.bulkPut(rows);
    const filter = { minAgreement: 2 / 3, requireAnswer: true };
    const got = (await collect(pairsOfRuns(db, ['a'], filter, 4))).flat();
    const expected = rows.filter((p) => p.questionSeq % 3 > 0 && p.answer !== null);
    expect(got.map((p) => p.questionSeq)).toEqual(expected.map((p) => p.questionSeq));
    expect(expected.length).toBe(16);
    expect(await countPairs(db, ['a'], filter)).toBe(16);
    expect(await countPairs(db, ['a', 'none'])).toBe(30);
  });

  it('yields nothing for runs with no pairs', async () => {
    db = freshDb();
    expect(await collect(pairsOfRuns(db, ['none']))).toEqual([]);
  });
});

describe('rejectedQuestions', () => {
  it("lists one run's rejected questions in proposal order with their reasons", async () => {
    db = freshDb();
    const store = new DexieRunStore(db);
    await store.addQuestion(
      question('a', 5, { status: 'rejected', reason: 'no-question', text: null }),
    );
    await store.addQuestion(question('a', 1, { status: 'accepted' }));
    await store.addQuestion(
      question('a', 2, {
        status: 'rejected',
        reason: 'too-similar',
        nearestSeq: 1,
        similarity: 0.93,
      }),
    );
    await store.addQuestion(question('b', 3, { status: 'rejected', reason: 'too-similar' }));
    const got = await rejectedQuestions(db, 'a');
    expect(got.map((q) => [q.seq, q.reason])).toEqual([
      [2, 'too-similar'],
      [5, 'no-question'],
    ]);
    expect(got[0]?.similarity).toBe(0.93);
  });
});
