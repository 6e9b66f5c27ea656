import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { extractAnswer } from '../src/lib/crescent/extractAnswer';
import { importDataset } from '../src/lib/db/import';
import { pairsOfRuns } from '../src/lib/db/read';
import type { CrescentDb } from '../src/lib/db/schema';
import { Importer } from '../src/lib/state/importer.svelte';
import { freshDb } from './db-fixtures';

let db: CrescentDb;
afterEach(() => db?.close());

function jsonlFile(name: string, lines: readonly object[]): File {
  return new File([lines.map((line) => JSON.stringify(line)).join('\n')], name);
}

async function storedPairs(runId: string) {
  const pairs = [];
  for await (const batch of pairsOfRuns(db, [runId])) pairs.push(...batch);
  return pairs;
}

describe('the importer', () => {
  it('counts a question differing from a stored one or an earlier line only in case, spacing or final punctuation as a repeat', async () => {
    db = freshDb();
    await importDataset(db, {
      name: 'old',
      pairs: [{ question: 'How many legs has a cat?', answerText: '4', answer: '4' }],
    });
    const importer = new Importer(db);
    await importer.check(
      jsonlFile('cats.jsonl', [
        { question: 'how many  LEGS has a cat', answer: '4' },
        { question: 'How many legs has a spider?', answer: '8' },
        { question: ' how many legs has a spider!! ', answer: 'eight' },
      ]),
    );
    expect(importer.error).toBeNull();
    expect(importer.preview?.result.duplicates).toEqual([
      { line: 1, of: 'existing' },
      { line: 3, of: 2 },
    ]);
    expect(importer.preview?.newPairs).toBe(1);
    await importer.accept();
    const runId = importer.imported?.runId ?? '';
    expect((await storedPairs(runId)).map((p) => p.question)).toEqual([
      'How many legs has a spider?',
    ]);
  });
});

const GSM8K = resolve(__dirname, '../../shared/evals/gsm8k_test.jsonl');

describe.skipIf(!existsSync(GSM8K))('the importer on the GSM8K test set', () => {
  it('stores every pair with the final answer after its ####, so "has an answer" keeps all 1319', async () => {
    db = freshDb();
    const importer = new Importer(db);
    await importer.check(new File([readFileSync(GSM8K)], 'gsm8k_test.jsonl'));
    expect(importer.preview?.newPairs).toBe(1319);
    await importer.accept();
    const runId = importer.imported?.runId ?? '';
    const answered = [];
    for await (const batch of pairsOfRuns(db, [runId], { requireAnswer: true }))
      answered.push(...batch);
    expect(answered).toHaveLength(1319);
    expect(answered[0]?.answer).toBe('18');
    const lines = readFileSync(GSM8K, 'utf8').trim().split('\n');
    const gold = lines.map((line) => (JSON.parse(line) as { answer: string }).answer);
    expect(answered.map((p) => p.answer)).toEqual(
      gold.map((a) => extractAnswer(a.split('####').at(-1) ?? '')),
    );
  });
});
