import { afterEach, describe, expect, it } from 'vitest';
import { CrescentError } from '../src/lib/crescent/errors';
import { existingQuestionKeys, importDataset } from '../src/lib/db/import';
import { getRun, runCounts } from '../src/lib/db/runs';
import type { CrescentDb } from '../src/lib/db/schema';
import { DexieRunStore } from '../src/lib/db/store';
import { defaultRecipe } from '../src/lib/recipe/defaults';
import { normaliseQuestion, parseDataset } from '../src/lib/export';
import { freshDb, question } from './db-fixtures';

let db: CrescentDb;
afterEach(() => db?.close());

const plain = (q: string, a: string) => ({ question: q, answerText: `So ${a}.`, answer: a });

describe('importDataset', () => {
  it('writes an imported run whose pairs read back in file order with unknown votes', async () => {
    db = freshDb();
    const result = await importDataset(
      db,
      { name: 'gsm', pairs: [plain('One?', '1'), plain('Two?', '2')] },
      5_000,
    );
    expect(result).toMatchObject({ pairs: 2, questions: 2, samples: 0 });
    const run = await getRun(db, result.runId);
    expect(run).toMatchObject({ name: 'gsm', status: 'imported', recipe: null, createdAt: 5_000 });
    expect(run?.stats).toMatchObject({ accepted: 2, rejected: 0, pairs: 2 });
    const snap = await new DexieRunStore(db).load(result.runId);
    expect(snap.pairs.map((p) => [p.questionSeq, p.question, p.answer])).toEqual([
      [0, 'One?', '1'],
      [1, 'Two?', '2'],
    ]);
    expect(snap.pairs[0]).toMatchObject({
      votes: {},
      k: 0,
      samples: 0,
      agreement: null,
      model: 'unknown',
    });
    expect(snap.questions.map((q) => [q.seq, q.text, q.status])).toEqual([
      [0, 'One?', 'accepted'],
      [1, 'Two?', 'accepted'],
    ]);
  });

  it('keeps given seqs, question records and the recipe, and numbers the rest around them', async () => {
    db = freshDb();
    const recipe = defaultRecipe('math-llama2');
    const { runId: _old, ...rejected } = question('src', 1, {
      status: 'rejected',
      reason: 'too-similar',
    });
    const result = await importDataset(db, {
      name: 'full',
      recipe,
      questions: [rejected],
      pairs: [
        plain('A?', 'a'),
        { ...plain('B?', 'b'), questionSeq: 0, k: 3, samples: 3, votes: { b: 2, c: 1 } },
      ],
    });
    expect((await getRun(db, result.runId))?.recipe).toEqual(recipe);
    const snap = await new DexieRunStore(db).load(result.runId);
    expect(snap.pairs.map((p) => [p.questionSeq, p.question])).toEqual([
      [0, 'B?'],
      [2, 'A?'],
    ]);
    expect(snap.questions.map((q) => `${q.seq}:${q.status}`)).toEqual([
      '0:accepted',
      '1:rejected',
      '2:accepted',
    ]);
    expect(snap.questions[1]?.embedding).toBeInstanceOf(Float32Array);
    expect(await runCounts(db, result.runId)).toEqual({
      accepted: 2,
      rejected: 1,
      pairs: 2,
      samples: 0,
    });
  });

  it('writes nothing at all when one row is bad (a repeated seq, or a seq that is no key)', async () => {
    db = freshDb();
    const before = await importDataset(db, { name: 'earlier', pairs: [plain('Old?', '0')] });
    for (const bad of [1, Number.NaN]) {
      const error = await importDataset(db, {
        name: 'broken',
        pairs: [
          { ...plain('A?', 'a'), questionSeq: 1 },
          plain('B?', 'b'),
          { ...plain('C?', 'c'), questionSeq: bad },
        ],
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CrescentError);
      expect((error as CrescentError).code).toBe('storage');
    }
    expect((await db.runs.toArray()).map((r) => r.id)).toEqual([before.runId]);
    expect([await db.questions.count(), await db.pairs.count()]).toEqual([1, 1]);
  });
});

describe('existingQuestionKeys', () => {
  it('finds stored questions whatever their spacing and case, optionally within some runs', async () => {
    db = freshDb();
    const a = await importDataset(db, { name: 'a', pairs: [plain('  What is  2+2? ', '4')] });
    await importDataset(db, { name: 'b', pairs: [plain('Name a prime.', '2')] });
    const all = await existingQuestionKeys(db);
    expect(all.has(normaliseQuestion('what is 2+2'))).toBe(true);
    expect(all.has(normaliseQuestion('NAME A PRIME'))).toBe(true);
    expect(all.size).toBe(2);
    expect([...(await existingQuestionKeys(db, [a.runId]))]).toEqual(['what is 2+2']);
  });

  it('makes the keys the importer compares a file against, so a retyped question is a repeat', async () => {
    db = freshDb();
    await importDataset(db, { name: 'a', pairs: [plain('How many legs has a cat?', '4')] });
    const file = [
      { question: '  HOW many   legs has a cat ', answer: '4' },
      { question: 'Ｈow many legs has a dog!', answer: '4' },
      { question: 'how many legs has a dog', answer: 'four' },
    ]
      .map((line) => JSON.stringify(line))
      .join('\n');
    const result = parseDataset(file, { existingKeys: await existingQuestionKeys(db) });
    expect(result.duplicates).toEqual([
      { line: 1, of: 'existing' },
      { line: 3, of: 2 },
    ]);
  });
});
