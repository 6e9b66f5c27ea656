import { afterEach, describe, expect, it } from 'vitest';
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
