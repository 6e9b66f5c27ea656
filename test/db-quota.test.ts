import { Dexie, type DBCore, type DBCoreMutateRequest } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { CrescentError } from '../src/lib/crescent/errors';
import { importDataset } from '../src/lib/db/import';
import { isQuotaError, toStorageError } from '../src/lib/db/quota';
import type { CrescentDb } from '../src/lib/db/schema';
import { DexieRunStore } from '../src/lib/db/store';
import { freshDb, pair, question, sample } from './db-fixtures';

const domQuota = () => new DOMException('Disk full', 'QuotaExceededError');

describe('isQuotaError', () => {
  it('recognises a QuotaExceededError DOMException', () => {
    expect(isQuotaError(domQuota())).toBe(true);
  });

  it("recognises Dexie's own QuotaExceededError", () => {
    expect(isQuotaError(new Dexie.QuotaExceededError('full'))).toBe(true);
  });

  it('recognises an AbortError whose inner error or cause is a quota error', () => {
    expect(isQuotaError(new Dexie.AbortError('Transaction aborted', domQuota()))).toBe(true);
    expect(isQuotaError(new Error('aborted', { cause: domQuota() }))).toBe(true);
  });

  it("recognises Firefox's name and a bulk error with one quota failure", () => {
    expect(isQuotaError({ name: 'NS_ERROR_DOM_QUOTA_REACHED' })).toBe(true);
    const bulk = new Dexie.BulkError('2 of 3 failed', { 0: new Error('x'), 2: domQuota() });
    expect(isQuotaError(bulk)).toBe(true);
  });

  it('rejects other failures, an abort with no quota inside, and cyclic causes', () => {
    expect(isQuotaError(new Dexie.ConstraintError('dup'))).toBe(false);
    expect(isQuotaError(new Dexie.AbortError('aborted', new Error('user')))).toBe(false);
    expect(isQuotaError('QuotaExceededError')).toBe(false);
    const a: { name: string; cause?: unknown } = { name: 'Error' };
    a.cause = { name: 'Error', cause: a };
    expect(isQuotaError(a)).toBe(false);
  });

  it('maps a quota failure to the typed error the UI shows, and other failures to a storage error', () => {
    const typed = toStorageError(new Dexie.AbortError('aborted', domQuota()));
    expect(typed).toBeInstanceOf(CrescentError);
    expect(typed.toInfo()).toMatchObject({
      code: 'quota-exceeded',
      message: 'The browser storage for this site is full.',
      action: 'Free some space (delete old runs or export and delete), then resume the run.',
    });
    expect(toStorageError(new Dexie.ConstraintError('dup')).code).toBe('storage');
  });
});

/** A database whose writes to `table` fail with `makeError()` while `full.on` is set. */
function fullDiskDb(
  table: string,
  makeError: () => unknown,
): { db: CrescentDb; full: { on: boolean } } {
  const full = { on: false };
  const db = freshDb();
  db.use({
    stack: 'dbcore',
    name: 'full-disk',
    create: (down: DBCore): DBCore => ({
      ...down,
      table: (name) => {
        const inner = down.table(name);
        return {
          ...inner,
          mutate: (req: DBCoreMutateRequest) =>
            full.on && name === table ? Promise.reject(makeError()) : inner.mutate(req),
        };
      },
    }),
  });
  return { db, full };
}

let db: CrescentDb | undefined;
afterEach(() => db?.close());

describe('writes when the disk is full', () => {
  const shapes: [string, () => unknown][] = [
    ['a DOMException', domQuota],
    ['an AbortError wrapping one', () => new Dexie.AbortError('Transaction aborted', domQuota())],
  ];
  for (const [label, makeError] of shapes) {
    it(`throw the typed quota error for ${label} and leave earlier rows as they were`, async () => {
      const setup = fullDiskDb('questions', makeError);
      db = setup.db;
      const store = new DexieRunStore(db);
      await store.addQuestion(question('r1', 0));
      setup.full.on = true;
      const error = await store.addQuestion(question('r1', 1)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CrescentError);
      expect((error as CrescentError).code).toBe('quota-exceeded');
      setup.full.on = false;
      const snap = await store.load('r1');
      expect(snap.questions.map((q) => q.seq)).toEqual([0]);
      expect(snap.questions[0]).toEqual(question('r1', 0));
    });
  }

  it('roll back an import whose last table is full, run row included', async () => {
    const setup = fullDiskDb('pairs', domQuota);
    db = setup.db;
    setup.full.on = true;
    const error = await importDataset(db, {
      name: 'big',
      pairs: [pair('x', 0), pair('x', 1)],
      samples: [sample('x', 0, 0)],
    }).catch((e: unknown) => e);
    expect((error as CrescentError).code).toBe('quota-exceeded');
    const counts = [db.runs, db.questions, db.samples, db.pairs].map((t) => t.count());
    expect(await Promise.all(counts)).toEqual([0, 0, 0, 0]);
  });
});
