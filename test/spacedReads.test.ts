import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { CrescentDb } from '../src/lib/db/schema';
import { followSpaced } from '../src/lib/state/spacedReads';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean) {
  for (let i = 0; i < 300 && !condition(); i++) await sleep(10);
  expect(condition()).toBe(true);
}

let db: CrescentDb | undefined;
afterEach(async () => {
  db?.close();
  if (db) await db.delete();
  db = undefined;
});

function question(seq: number) {
  return {
    runId: 'r',
    seq,
    origin: 'bait' as const,
    attempt: 0,
    raw: `q${seq}`,
    text: `q${seq}`,
    status: 'accepted' as const,
    tokens: 1,
    createdAt: seq,
  };
}

function follow(database: CrescentDb, spacingMs: number, tables: string[]) {
  const seen: number[] = [];
  let reads = 0;
  const stop = followSpaced({
    query: async () => {
      reads++;
      return database.questions.count();
    },
    spacing: () => spacingMs,
    tables,
    onValue: (n) => seen.push(n),
    onError: (error) => {
      throw error;
    },
  });
  return { seen, stop, reads: () => reads };
}

describe('spaced reads', () => {
  it('follow writes with a read per spacing, not per write, and end on the last write', async () => {
    db = new CrescentDb('spaced-reads-1');
    const f = follow(db, 100, ['questions']);
    await until(() => f.seen.length === 1);
    expect(f.seen).toEqual([0]);
    for (let i = 0; i < 30; i++) await db.questions.add(question(i));
    await until(() => f.seen.at(-1) === 30);
    expect(f.reads()).toBeGreaterThan(1);
    expect(f.reads()).toBeLessThan(12);
    f.stop();
  });

  it('ignore writes to other tables and stop once stopped', async () => {
    db = new CrescentDb('spaced-reads-2');
    const f = follow(db, 10, ['questions']);
    await until(() => f.seen.length >= 1);
    await sleep(80);
    const settled = f.reads();
    await db.runs.put({ id: 'x' } as never);
    await sleep(80);
    expect(f.reads()).toBe(settled);
    await db.questions.add(question(0));
    await until(() => f.seen.at(-1) === 1);
    expect(f.reads()).toBe(settled + 1);
    f.stop();
    await db.questions.add(question(1));
    await sleep(80);
    expect(f.seen.at(-1)).toBe(1);
    expect(f.reads()).toBe(settled + 1);
  });

  it('read at once after a write to an immediate table, however long the spacing', async () => {
    db = new CrescentDb('spaced-reads-3');
    const database = db;
    const seen: number[] = [];
    const stop = followSpaced({
      query: async () => (await database.questions.count()) + (await database.curation.count()),
      spacing: () => 60_000,
      tables: ['questions', 'curation'],
      immediate: ['curation'],
      onValue: (n) => seen.push(n),
      onError: (error) => {
        throw error;
      },
    });
    await until(() => seen.length === 1);
    // A run's write waits for the spacing (a minute here)...
    await db.questions.add(question(0));
    await sleep(150);
    expect(seen).toEqual([0]);
    // ...the user's edit does not, and brings the waiting write with it.
    await db.curation.put({ runId: 'r', questionSeq: 0, deleted: true } as never);
    await until(() => seen.at(-1) === 2);
    stop();
  });
});
