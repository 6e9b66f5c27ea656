import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AnswerSampleRecord, QaPairRecord } from '../src/lib/crescent/types';
import { EMPTY_STATS, type RunRow } from '../src/lib/db/schema';
import {
  dpoLine,
  exportStream,
  ExportTally,
  hasPreference,
  keepPair,
  parseDataset,
} from '../src/lib/export';
import { pairsBlob } from '../src/lib/state/exportFiles';
import { freshDb, pair, sample } from './db-fixtures';

const split = (over: Partial<QaPairRecord> = {}) =>
  pair('r', 0, {
    answer: '7',
    answerText: 'Three and four make 7.\n#### 7',
    votes: { '7': 2, '8': 1 },
    agreement: 2 / 3,
    minVotes: 2,
    ...over,
  });

const samples = (): AnswerSampleRecord[] => [
  sample('r', 0, 0, { raw: 'Three and four make 7.\n#### 7', answer: '7' }),
  sample('r', 0, 1, {
    raw: 'Three and four make 8, as far as I can tell.',
    answer: '8',
    finishReason: 'length',
  }),
  sample('r', 0, 2, { raw: 'It is 8.\n#### 8', answer: '8' }),
  sample('r', 0, 3, { raw: 'Seven.\n#### 7', answer: '7' }),
];

describe('preference records from the vote', () => {
  it('pairs the kept reply with a losing reply that ended on its own', () => {
    expect(dpoLine(split(), samples())).toEqual({
      prompt: 'What is 0 + 1?',
      chosen: 'Three and four make 7.\n#### 7',
      rejected: 'It is 8.\n#### 8',
    });
  });

  it('takes a cut-off losing reply only when no other lost', () => {
    const [, cut] = samples();
    expect(dpoLine(split(), [...samples().slice(0, 1), cut!])?.rejected).toBe(
      'Three and four make 8, as far as I can tell.',
    );
  });

  it('gives none for a unanimous vote, a pair below its bar, a pair without a winner, or missing samples', () => {
    expect(dpoLine(split({ votes: { '7': 3 } }), samples())).toBeNull();
    expect(dpoLine(split({ passes: false }), samples())).toBeNull();
    expect(dpoLine(split({ answer: null, votes: { '7': 1, '8': 1 } }), samples())).toBeNull();
    expect(dpoLine(split(), [])).toBeNull();
    // Abstentions are not a losing answer.
    expect(
      dpoLine(split({ votes: { '7': 2 }, abstained: 1 }), [
        ...samples().slice(0, 1),
        sample('r', 0, 1, { raw: 'I am not sure.', answer: null }),
      ]),
    ).toBeNull();
  });

  it('counts from the pair alone exactly the pairs that give a record', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('6', '7', '8'), fc.integer({ min: 1, max: 3 }), {
          maxKeys: 3,
        }),
        fc.boolean(),
        (votes, passes) => {
          const answer = votes['7'] !== undefined ? '7' : (Object.keys(votes)[0] ?? null);
          const p = split({ votes, passes, answer });
          const all = Object.entries(votes).flatMap(([a, n], i) =>
            Array.from({ length: n }, (_, j) =>
              sample('r', 0, i * 3 + j, { raw: `reply ${a}`, answer: a }),
            ),
          );
          expect(hasPreference(p)).toBe(dpoLine(p, all) !== null);
          expect(keepPair(p, { preferencesOnly: true })).toBe(hasPreference(p));
        },
      ),
    );
  });

  it('is read back by the importer as the prompt and its chosen reply', async () => {
    const bytes = await new Response(
      exportStream([split()], { format: 'dpo', samples: () => samples() }),
    ).text();
    const back = parseDataset(bytes);
    expect(back.ok).toBe(true);
    expect(back.format).toBe('dpo');
    expect(back.rows.map((r) => [r.question, r.answerText, r.answer])).toEqual([
      ['What is 0 + 1?', 'Three and four make 7.\n#### 7', '7'],
    ]);
    expect(parseDataset('{"prompt": "Q", "chosen": "A", "rejected": 3}').errors[0]?.reason).toBe(
      'rejected must be a string (found number 3)',
    );
  });

  it('reads each batch’s samples from the database, across runs', async () => {
    const db = freshDb();
    const pairs: QaPairRecord[] = [];
    const rows: AnswerSampleRecord[] = [];
    for (const runId of ['a', 'b'])
      for (let seq = 0; seq < 5; seq++) {
        const splitVote = seq % 2 === 0;
        pairs.push(
          pair(runId, seq, {
            votes: splitVote ? { [String(seq + 1)]: 2, x: 1 } : { [String(seq + 1)]: 3 },
            answerText: `${runId}${seq} right`,
          }),
        );
        rows.push(sample(runId, seq, 0, { raw: `${runId}${seq} right` }));
        rows.push(
          splitVote
            ? sample(runId, seq, 1, { raw: `${runId}${seq} wrong`, answer: 'x' })
            : sample(runId, seq, 1),
        );
      }
    await db.pairs.bulkPut(pairs);
    await db.samples.bulkPut(rows);
    const tally = new ExportTally();
    const blob = await pairsBlob(db, {
      runs: ['a', 'b'].map((id): RunRow => ({
        id,
        name: id,
        recipe: null,
        status: 'done',
        createdAt: 0,
        updatedAt: 0,
        stats: { ...EMPTY_STATS },
      })),
      questions: [],
      format: 'dpo',
      filter: { preferencesOnly: true },
      tally,
    });
    const lines = (await blob.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { chosen: string; rejected: string });
    expect(lines.map((l) => [l.chosen, l.rejected])).toEqual(
      ['a0', 'a2', 'a4', 'b0', 'b2', 'b4'].map((k) => [`${k} right`, `${k} wrong`]),
    );
    expect(tally.summary().pairs).toBe(6);
  });
});
