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

/** A file that can only be read as a stream: reading it whole fails the test. */
class StreamOnlyFile extends File {
  override text(): Promise<string> {
    throw new Error('read whole');
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    throw new Error('read whole');
  }
}

describe('the importer reading a file', () => {
  it('reads it as a stream of chunks, never as one string', async () => {
    db = freshDb();
    const importer = new Importer(db);
    const lines = Array.from({ length: 5000 }, (_, i) =>
      JSON.stringify({
        question: `What is ${i} + 1?`,
        answer: `${i} + 1 = ${i + 1}\n#### ${i + 1}`,
      }),
    );
    await importer.check(new StreamOnlyFile([lines.join('\n')], 'sums.jsonl'));
    expect(importer.error).toBeNull();
    expect(importer.preview?.newPairs).toBe(5000);
    expect(importer.preview?.result.rows.at(-1)?.answer).toBe('5000');
  });

  it('shows the bad lines of a broken file and writes nothing when asked to accept it', async () => {
    db = freshDb();
    const importer = new Importer(db);
    await importer.check(jsonlFile('broken.jsonl', [{ question: 'Q?', answer: '1' }, { nope: 1 }]));
    expect(importer.preview?.result.errors.map((e) => e.line)).toEqual([2]);
    expect(importer.canAccept).toBe(false);
    await importer.accept();
    expect(importer.imported).toBeNull();
    expect(await db.runs.count()).toBe(0);
  });

  it('keeps the preview of the file chosen last when an earlier one finishes reading later', async () => {
    db = freshDb();
    const importer = new Importer(db);
    let release = (): void => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow = new ReadableStream<Uint8Array<ArrayBuffer>>({
      async pull(controller) {
        await held;
        controller.enqueue(new TextEncoder().encode('{"question":"Slow?","answer":"1"}'));
        controller.close();
      },
    });
    const slowFile = new File([], 'slow.jsonl');
    slowFile.stream = () => slow;
    const first = importer.check(slowFile);
    await importer.check(jsonlFile('fast.jsonl', [{ question: 'Fast?', answer: '2' }]));
    release();
    await first;
    expect(importer.preview?.fileName).toBe('fast.jsonl');
    expect(importer.reading).toBe(false);
  });
});
