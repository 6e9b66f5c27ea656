import { Dexie } from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { describeOpenFailure } from '../src/lib/db/openFailure';
import { CrescentDb } from '../src/lib/db/schema';
import { defaultRecipe } from '../src/lib/recipe/defaults';
import { storedRunsProblem } from '../src/lib/state/runLibrary.svelte';
import { openRunRecords } from '../src/lib/worker/runRecords';

/** The database as version 1 of the app declared it. */
class FirstVersionDb extends Dexie {
  constructor(indexedDB: IDBFactory) {
    super('crescent', { indexedDB, IDBKeyRange });
    this.version(1).stores({
      runs: 'id, status, createdAt, updatedAt',
      questions: '[runId+seq], runId, status, [runId+status]',
      samples: '[runId+questionSeq+index], runId',
      pairs: '[runId+questionSeq], runId, agreement',
    });
  }
}

/** An IndexedDB whose every open fails the way the browser says, as in a private window. */
class RefusingFactory extends IDBFactory {
  constructor(private readonly refusal: DOMException) {
    super();
  }

  override open(): IDBOpenDBRequest {
    throw this.refusal;
  }
}

const wrapped = (inner: DOMException) => new Dexie.OpenFailedError(inner.message, inner);

describe('a database that will not open', () => {
  it('is named by the error under Dexie’s wrapper, with the browser’s own words', () => {
    const failure = describeOpenFailure(
      wrapped(
        new DOMException(
          'The requested version (10) is less than the existing version (30).',
          'VersionError',
        ),
      ),
    );
    expect(failure).toEqual({
      name: 'VersionError',
      reason:
        'The database in this browser was written by a newer version of the app (VersionError: The requested version (10) is less than the existing version (30)).',
      action: 'Reload the page, and close tabs that still show an older version of the app.',
    });
  });

  it('tells a window that allows no database from a full disk and from an unknown failure', () => {
    const privateWindow = describeOpenFailure(
      wrapped(
        new DOMException(
          'A mutation operation was attempted on a database that did not allow mutations.',
          'InvalidStateError',
        ),
      ),
    );
    expect(privateWindow.name).toBe('InvalidStateError');
    expect(privateWindow.reason).toContain('private browsing, or site data blocked');
    expect(privateWindow.reason).toContain('did not allow mutations');

    const full = describeOpenFailure(
      wrapped(new DOMException('Quota exceeded.', 'QuotaExceededError')),
    );
    expect(full.reason).toContain('storage for this site is full');

    const unknown = describeOpenFailure(
      wrapped(new DOMException('Internal error.', 'UnknownError')),
    );
    expect(unknown.reason).toBe(
      'The browser would not open its database (UnknownError: Internal error).',
    );
  });

  it('keeps the run in memory with the real cause when the browser refuses the database', async () => {
    const refusal = new DOMException(
      'A mutation operation was attempted on a database that did not allow mutations.',
      'InvalidStateError',
    );
    const db = new CrescentDb('crescent', { indexedDB: new RefusingFactory(refusal), IDBKeyRange });
    const records = await openRunRecords(db);

    expect(records.fallback?.code).toBe('storage');
    expect(records.fallback?.message).toContain('(InvalidStateError: A mutation operation');
    expect(records.fallback?.message).toContain(
      'kept in memory only and is lost when the tab closes',
    );
    // Named, not guessed.
    expect(records.fallback?.message).not.toContain('?');
    expect(records.fallback?.action).toContain('Use a normal window');
    // The run still works, in memory.
    const id = await records.create(defaultRecipe(), 5);
    expect((await records.get(id))?.createdAt).toBe(5);
  });

  it('says an upgrade failed, and why, when an old database cannot be upgraded, and leaves it as it was', async () => {
    const indexedDB = new IDBFactory();
    const old = new FirstVersionDb(indexedDB);
    // A row no version of the app writes: the upgrade cannot read its votes.
    await old
      .table('pairs')
      .put({ runId: 'r', questionSeq: 0, answer: '4', votes: null, samples: 3, k: 3 });
    old.close();

    const records = await openRunRecords(new CrescentDb('crescent', { indexedDB, IDBKeyRange }));
    expect(records.fallback?.message).toMatch(
      /^The database could not be upgraded to this version of the app \(UpgradeError: Upgrading to version 2 failed: .*null/,
    );

    const reopened = new FirstVersionDb(indexedDB);
    expect(await reopened.table('pairs').toArray()).toEqual([
      { runId: 'r', questionSeq: 0, answer: '4', votes: null, samples: 3, k: 3 },
    ]);
    reopened.close();
  });

  it('says the browser has no IndexedDB where there is none', async () => {
    const db = new CrescentDb('crescent', {
      indexedDB: undefined as unknown as IDBFactory,
      IDBKeyRange,
    });
    const records = await openRunRecords(db);
    expect(records.fallback?.message).toContain('MissingAPIError');
    expect(records.fallback?.message).toContain('offers no IndexedDB');
  });

  it('tells the run list the real cause when its query meets a database that never opened', async () => {
    const refusal = new DOMException('The operation is insecure.', 'SecurityError');
    const db = new CrescentDb('crescent', { indexedDB: new RefusingFactory(refusal), IDBKeyRange });
    const error: unknown = await db.runs.toArray().catch((e: unknown) => e);

    expect(storedRunsProblem(error)).toEqual({
      code: 'storage',
      message:
        'The browser does not let this site keep a database in this window: private browsing, or site data blocked in its settings (SecurityError: The operation is insecure). Stored runs cannot be shown.',
      action: 'Use a normal window, or allow site data for this site, to keep runs.',
    });
    // The same, straight from db.open(), where a browser may throw the bare DOMException.
    expect(storedRunsProblem(refusal, true)).toEqual(storedRunsProblem(error));
    expect(storedRunsProblem(undefined)).toBeNull();
    expect(storedRunsProblem(new Error('disk on fire'))).toMatchObject({
      code: 'storage',
      message: 'The browser storage failed: disk on fire',
    });
  });
});
