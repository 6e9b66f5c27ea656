import { afterEach, describe, expect, it } from 'vitest';
import { createRun, getRun, isResumable, markInterruptedRuns, updateRun } from '../src/lib/db/runs';
import type { CrescentDb, RunRowStatus } from '../src/lib/db/schema';
import { defaultRecipe } from '../src/lib/recipe/defaults';
import { MemoryRunRecords } from '../src/lib/worker/runRecords';
import { freshDb } from './db-fixtures';

let db: CrescentDb | undefined;
afterEach(() => db?.close());

const STATUSES: RunRowStatus[] = [
  'idle',
  'loading',
  'running',
  'paused',
  'interrupted',
  'done',
  'failed',
  'imported',
];

describe('run rows', () => {
  it('call a run resumable exactly when it stopped short: paused, cut off or failed', () => {
    expect(STATUSES.filter(isResumable)).toEqual(['paused', 'interrupted', 'failed']);
  });

  it('are made the same way in memory as in the database, and recovered the same way', async () => {
    db = freshDb();
    const memory = new MemoryRunRecords();
    const recipe = defaultRecipe();
    const now = Date.UTC(2025, 4, 6, 7, 8);

    const stored = await getRun(db, await createRun(db, recipe, undefined, now));
    const kept = await memory.get(await memory.create(recipe, now));
    if (!stored || !kept) throw new Error('a created run is missing');
    expect(stored.id).not.toBe(kept.id);
    expect({ ...kept, id: 'x' }).toEqual({ ...stored, id: 'x' });
    expect(kept.name).toBe('Run 2025-05-06 07:08');

    await updateRun(db, stored.id, { status: 'loading' }, now + 1);
    await memory.update(kept.id, { status: 'loading' }, now + 1);
    const fromDb = await markInterruptedRuns(db, now + 2);
    const fromMemory = await memory.markInterrupted(now + 2);
    expect(fromMemory.map((r) => ({ ...r, id: 'x' }))).toEqual(
      fromDb.map((r) => ({ ...r, id: 'x' })),
    );
    expect(fromMemory.map((r) => r.status)).toEqual(['interrupted']);
  });
});
