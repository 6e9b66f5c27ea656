import { describe, expect, it } from 'vitest';
import {
  correctPair,
  deletePairs,
  restorePairs,
  revertPair,
  withCuration,
} from '../src/lib/db/curation';
import { pairsOfRuns } from '../src/lib/db/read';
import { deleteRun } from '../src/lib/db/runs';
import { DexieRunStore } from '../src/lib/db/store';
import { isDeleted, isEdited } from '../src/lib/export/curated';
import { exportLines, ExportTally, keepPair, parseDataset } from '../src/lib/export';
import { filterPairs, EMPTY_QUERY } from '../src/lib/state/pairQuery';
import { freshDb, pair } from './db-fixtures';

async function seeded() {
  const db = freshDb();
  await db.pairs.bulkPut([pair('r', 0), pair('r', 1), pair('r', 2), pair('other', 0)]);
  return db;
}

async function read(db: ReturnType<typeof freshDb>, runId = 'r') {
  const out = [];
  for await (const batch of pairsOfRuns(db, [runId])) out.push(...batch);
  return out;
}

async function lines(pairs: Parameters<typeof exportLines>[0], format: 'full' | 'openai') {
  const out: string[] = [];
  for await (const line of exportLines(pairs, { format })) out.push(line);
  return out;
}

describe('curation', () => {
  it('deletes pairs from browsing and export, restores them, and leaves the run’s rows alone', async () => {
    const db = await seeded();
    const before = await new DexieRunStore(db).load('r');
    expect(
      await deletePairs(
        db,
        [
          ['r', 1],
          ['r', 9],
        ],
        7_000,
      ),
    ).toBe(1);
    const pairs = await read(db);
    expect(pairs.map((p) => [p.questionSeq, isDeleted(p)])).toEqual([
      [0, false],
      [1, true],
      [2, false],
    ]);
    expect(pairs.filter((p) => keepPair(p, {})).map((p) => p.questionSeq)).toEqual([0, 2]);
    expect(filterPairs(pairs, EMPTY_QUERY).map((p) => p.questionSeq)).toEqual([0, 2]);
    expect(filterPairs(pairs, { ...EMPTY_QUERY, deleted: true }).map((p) => p.questionSeq)).toEqual(
      [1],
    );
    // What a resumed run reads is what it wrote: the deleted question stays taken and answered.
    expect(await new DexieRunStore(db).load('r')).toEqual(before);

    await restorePairs(db, [['r', 1]]);
    expect((await read(db)).some(isDeleted)).toBe(false);
    expect(await db.curation.count()).toBe(0);
  });

  it('exports corrections with the model’s text kept in original, and takes them back', async () => {
    const db = await seeded();
    await correctPair(
      db,
      ['r', 0],
      { question: 'What is 0 + 2?', answer: '2', answerText: '0 + 2 = 2\n#### 2' },
      8_000,
    );
    const [edited] = await withCuration(db, [(await db.pairs.get(['r', 0]))!]);
    expect(isEdited(edited!)).toBe(true);
    const [full] = await lines([edited!], 'full');
    const line = JSON.parse(full ?? '') as Record<string, unknown>;
    expect(line).toMatchObject({
      question: 'What is 0 + 2?',
      final_answer: '2',
      answer_text: '0 + 2 = 2\n#### 2',
      votes: { '1': 3 },
      original: { question: 'What is 0 + 1?', final_answer: '1', answer_text: '#### Answer: 1' },
      provenance: { edited: true },
    });
    const [chat] = await lines([edited!], 'openai');
    expect(chat).toContain('What is 0 + 2?');
    // The importer reads the corrected pair.
    expect(parseDataset(full ?? '').rows[0]).toMatchObject({
      question: 'What is 0 + 2?',
      answer: '2',
    });
    const tally = new ExportTally();
    tally.add(edited!);
    expect(tally.summary().edited).toBe(1);

    await revertPair(db, ['r', 0]);
    const [back] = await read(db);
    expect(isEdited(back!)).toBe(false);
    expect(JSON.parse((await lines([back!], 'full'))[0] ?? '')).toMatchObject({
      question: 'What is 0 + 1?',
      original: null,
      provenance: { edited: false },
    });
  });

  it('drops a correction typed back to the model’s value, and refuses an empty question', async () => {
    const db = await seeded();
    await correctPair(db, ['r', 2], { question: 'What is 2 + 1?', answer: '3' });
    expect(await db.curation.count()).toBe(0);
    await expect(correctPair(db, ['r', 2], { question: '  ' })).rejects.toThrow(
      'A question cannot be empty.',
    );
  });

  it('keeps a deletion and a correction apart, and goes with its run', async () => {
    const db = await seeded();
    await correctPair(db, ['r', 0], { answer: '5' });
    await deletePairs(db, [['r', 0]]);
    await revertPair(db, ['r', 0]);
    const [p] = await read(db);
    expect(isDeleted(p!)).toBe(true);
    expect(isEdited(p!)).toBe(false);
    await db.runs.put({
      id: 'r',
      name: 'r',
      recipe: null,
      status: 'done',
      createdAt: 0,
      updatedAt: 0,
      stats: {
        questions: 0,
        accepted: 0,
        rejected: 0,
        pairs: 0,
        samples: 0,
        tokens: 0,
        elapsedMs: 0,
      } as never,
    });
    await deleteRun(db, 'r');
    expect(await db.curation.count()).toBe(0);
  });
});
