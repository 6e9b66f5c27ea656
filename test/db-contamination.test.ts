import { describe, expect, it } from 'vitest';
import { checkRunsForContamination, ngramBenchmarks } from '../src/lib/db/contamination';
import { createRun, getRun } from '../src/lib/db/runs';
import { describeFilter, keepPair } from '../src/lib/export/filter';
import { defaultRecipe } from '../src/lib/recipe/defaults';
import { freshDb, pair } from './db-fixtures';

const GSM = [
  'Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many clips did Natalia sell altogether in April and May?',
  'Weng earns $12 an hour for babysitting. Yesterday, she just did 50 minutes of babysitting. How much did she earn?',
];
const LEAK =
  'Natalia sold clips to 72 of her friends in April, and then she sold half as many clips in May. How many clips did she sell?';

async function seeded() {
  const db = freshDb();
  const a = await createRun(db, defaultRecipe(), 'a', 1_000);
  const b = await createRun(db, defaultRecipe(), 'b', 2_000);
  await db.pairs.bulkPut([
    pair(a, 0, { question: LEAK }),
    pair(a, 1, {
      question: 'A train leaves at noon going 60 km per hour; how far has it gone by 3?',
    }),
    pair(b, 0, { question: LEAK }),
  ]);
  return { db, a, b };
}

describe('checkRunsForContamination', () => {
  it('flags the pairs of the chosen runs that share a number-masked n-gram, and notes the check on the run', async () => {
    const { db, a, b } = await seeded();
    const result = await checkRunsForContamination(
      db,
      [a],
      ngramBenchmarks([{ name: 'gsm8k-test', questions: GSM }], 8),
      8,
      5_000,
    );
    expect(result).toEqual({ checked: 2, flagged: 1, byBenchmark: { 'gsm8k-test': 1 } });
    const leaked = await db.pairs.get([a, 0]);
    expect(leaked?.contamination).toMatchObject({
      benchmark: 'gsm8k-test',
      index: 0,
      question: GSM[0],
      by: 'ngram',
    });
    expect((await db.pairs.get([a, 1]))?.contamination).toBeUndefined();
    // The run that was not chosen is left as it was.
    expect((await db.pairs.get([b, 0]))?.contamination).toBeUndefined();
    expect((await getRun(db, a))?.contaminationCheck).toEqual({
      benchmarks: [{ name: 'gsm8k-test', questions: 2 }],
      ngram: 8,
      checked: 2,
      flagged: 1,
      checkedAt: 5_000,
    });
    expect((await getRun(db, b))?.contaminationCheck).toBeUndefined();
  });

  it('clears an older flag when a later check with another rule no longer matches', async () => {
    const { db, a } = await seeded();
    const benchmarks = [{ name: 'gsm8k-test', questions: GSM }];
    await checkRunsForContamination(db, [a], ngramBenchmarks(benchmarks, 8), 8);
    expect((await db.pairs.get([a, 0]))?.contamination).toBeDefined();
    const strict = await checkRunsForContamination(db, [a], ngramBenchmarks(benchmarks, 30), 30);
    expect(strict.flagged).toBe(0);
    expect((await db.pairs.get([a, 0]))?.contamination).toBeUndefined();
    expect((await getRun(db, a))?.contaminationCheck?.ngram).toBe(30);
  });

  it('sums over several runs and counts by benchmark', async () => {
    const { db, a, b } = await seeded();
    const result = await checkRunsForContamination(
      db,
      [a, b],
      ngramBenchmarks(
        [
          { name: 'other', questions: ['Nothing like any question here at all, truly nothing.'] },
          { name: 'gsm8k-test', questions: GSM },
        ],
        8,
      ),
      8,
    );
    expect(result).toEqual({ checked: 3, flagged: 2, byBenchmark: { 'gsm8k-test': 2 } });
  });
});

describe('export filter for flagged pairs', () => {
  it('leaves out flagged pairs only when asked', () => {
    const flagged = pair('r', 0, {
      contamination: { benchmark: 'gsm8k-test', index: 3, question: 'Q', by: 'ngram' },
    });
    const clean = pair('r', 1);
    expect(keepPair(flagged, { dropContaminated: true })).toBe(false);
    expect(keepPair(clean, { dropContaminated: true })).toBe(true);
    expect(keepPair(flagged, {})).toBe(true);
    expect(describeFilter({ dropContaminated: true })).toEqual([
      'pairs flagged as leaking a benchmark question dropped',
    ]);
  });
});
