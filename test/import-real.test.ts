// Real datasets from ../shared/evals (GSM8K test set, GSM-Plus near-duplicate pairs), read in
// place: the importer and the duplicate check on text nobody wrote for these tests.
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { extractAnswer } from '../src/lib/crescent/extractAnswer';
import type { QaPairRecord } from '../src/lib/crescent/types';
import {
  EXPORT_FORMATS,
  exportBlobParts,
  normaliseQuestion,
  parseDataset,
  parseDatasetStream,
} from '../src/lib/export';

const EVALS = resolve(__dirname, '../../shared/evals');
const GSM8K = resolve(EVALS, 'gsm8k_test.jsonl');
const NEAR_DUPLICATES = resolve(EVALS, 'neardup_pairs.jsonl');

describe.skipIf(!existsSync(GSM8K))('the GSM8K test set', () => {
  const text = existsSync(GSM8K) ? readFileSync(GSM8K, 'utf8') : '';

  it('imports as 1319 question/answer pairs with no error and no duplicate', () => {
    const result = parseDataset(text);
    expect(result.ok).toBe(true);
    expect(result.format).toBe('question-answer');
    expect(result.rows).toHaveLength(1319);
    expect(result.duplicates).toEqual([]);
    expect(result.rows[0]?.question).toMatch(/^Janet’s ducks lay 16 eggs per day\./);
    expect(result.rows[0]?.answerText).toMatch(/#### 18$/);
  });

  it('gives every row the final answer written after its ####', () => {
    const rows = parseDataset(text).rows;
    const expected = rows.map((r) => extractAnswer(r.answerText.split('####').at(-1) ?? ''));
    expect(expected.filter((a) => a === null)).toEqual([]);
    expect(rows.map((r) => r.answer)).toEqual(expected);
    expect(rows.slice(0, 3).map((r) => r.answer)).toEqual(['18', '3', '70000']);
  });

  it('reads the same from a file stream', async () => {
    const stream = Readable.toWeb(createReadStream(GSM8K, { highWaterMark: 4096 }));
    expect(await parseDatasetStream(stream as ReadableStream<Uint8Array>)).toEqual(
      parseDataset(text),
    );
  });

  it('finds every question again when they are already stored', () => {
    const first = parseDataset(text);
    const again = parseDataset(text, { existingQuestions: first.rows.map((r) => r.question) });
    expect(again.duplicates).toHaveLength(1319);
    expect(again.duplicates.every((d) => d.of === 'existing')).toBe(true);
  });

  it('survives export and re-import in every format', async () => {
    const pairs: QaPairRecord[] = parseDataset(text).rows.map((row, i) => ({
      runId: 'gsm8k',
      questionSeq: i,
      question: row.question,
      answerText: row.answerText,
      answer: row.answerText.split('#### ').at(-1) ?? null,
      votes: {},
      abstained: 0,
      samples: 1,
      k: 1,
      agreement: null,
      minVotes: 0,
      passes: true,
      model: 'reference',
      createdAt: 0,
    }));
    for (const format of EXPORT_FORMATS.filter((f) => f !== 'dpo')) {
      const back = parseDataset((await exportBlobParts(pairs, { format })).join(''));
      expect(back.ok).toBe(true);
      expect(back.rows.map((r) => [r.question, r.answerText])).toEqual(
        pairs.map((p) => [p.question, p.answerText]),
      );
    }
  });
});

describe.skipIf(!existsSync(NEAR_DUPLICATES))('duplicate check on GSM-Plus rewrites', () => {
  const pairs = existsSync(NEAR_DUPLICATES)
    ? readFileSync(NEAR_DUPLICATES, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { a: string; b: string; label: string })
    : [];

  it('never calls two different problems the same question', () => {
    expect(pairs.length).toBeGreaterThan(4000);
    const merged = pairs.filter((p) => normaliseQuestion(p.a) === normaliseQuestion(p.b));
    expect(merged).toEqual([]);
  });

  it('does call a question the same when only its case, spacing or final mark changed', () => {
    for (const { a } of pairs.slice(0, 500)) {
      const retyped = `  ${a.toUpperCase().replace(/ /g, '   ').replace(/[?.]$/, '')} ?!\n`;
      expect(normaliseQuestion(retyped)).toBe(normaliseQuestion(a));
    }
  });
});
