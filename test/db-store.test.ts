import { Dexie } from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { DexieRunStore } from '../src/lib/db/store';
import {
  applyRunPatch,
  createRun,
  deleteRun,
  getRun,
  listRuns,
  markInterruptedRuns,
  runCounts,
  updateRun,
} from '../src/lib/db/runs';
import { CrescentDb, EMPTY_STATS, type RunRow } from '../src/lib/db/schema';
import { defaultRecipe } from '../src/lib/recipe/defaults';
import { freshDb, pair, question, sample } from './db-fixtures';

let db: CrescentDb;
afterEach(() => db?.close());

describe('the schema', () => {
  it('declares version 4 with the six tables and their keys', async () => {
    db = freshDb();
    await db.open();
    expect(db.verno).toBe(4);
    const keys = Object.fromEntries(db.tables.map((t) => [t.name, t.schema.primKey.keyPath]));
    expect(keys).toEqual({
      runs: 'id',
      questions: ['runId', 'seq'],
      samples: ['runId', 'questionSeq', 'index'],
      pairs: ['runId', 'questionSeq'],
      benchmarks: 'key',
      curation: ['runId', 'questionSeq'],
    });
    const pairIndexes = db.pairs.schema.indexes.map((i) => i.name).sort();
    expect(pairIndexes).toEqual(['agreement', 'runId']);
  });

  it('upgrades pairs of version 1: no bar, and no agreement where sampling stopped early', async () => {
    const indexedDB = new IDBFactory();
    const old = new Dexie('crescent', { indexedDB, IDBKeyRange });
    old.version(1).stores({
      runs: 'id, status, createdAt, updatedAt',
      questions: '[runId+seq], runId, status, [runId+status]',
      samples: '[runId+questionSeq+index], runId',
      pairs: '[runId+questionSeq], runId, agreement',
    });
    const {
      minVotes: _m,
      passes: _p,
      ...early
    } = pair('r', 0, {
      votes: { '1': 2 },
      samples: 2,
      agreement: 2 / 3,
    });
    const {
      minVotes: _m2,
      passes: _p2,
      ...full
    } = pair('r', 1, {
      votes: { '2': 2, '5': 1 },
      samples: 3,
      agreement: 2 / 3,
    });
    await old.table('pairs').bulkPut([early, full]);
    old.close();

    db = new CrescentDb('crescent', { indexedDB, IDBKeyRange });
    const [a, b] = await db.pairs.orderBy('[runId+questionSeq]').toArray();
    expect(a).toMatchObject({ questionSeq: 0, minVotes: 0, passes: true, agreement: null });
    expect(b).toMatchObject({ questionSeq: 1, minVotes: 0, passes: true, agreement: 2 / 3 });
  });
});

describe('durability', () => {
  // A power cut may lose a tail of relaxed writes; a resume redoes it with the same seeds
  // (test/resume.test.ts and the schedule property test stop runs at any write).
  it('asks IndexedDB for relaxed transactions: no disk flush per write', async () => {
    db = freshDb();
    const durability = await db.transaction('rw', db.questions, () => {
      const transaction = Dexie.currentTransaction as unknown as { idbtrans: IDBTransaction };
      return transaction.idbtrans.durability;
    });
    expect(durability).toBe('relaxed');
  });
});

describe('DexieRunStore', () => {
  it('reads back exactly what it wrote, Float32Array embeddings included', async () => {
    db = freshDb();
    const store = new DexieRunStore(db);
    const q = question('r1', 0, { parentSeq: 4, nearestSeq: 2, similarity: 0.5 });
    await store.addQuestion(q);
    await store.addSample(sample('r1', 0, 0, { thinking: 'hmm' }));
    await store.addPair(pair('r1', 0));
    const snap = await store.load('r1');
    expect(snap.questions).toEqual([q]);
    const embedding = snap.questions[0]?.embedding;
    expect(embedding).toBeInstanceOf(Float32Array);
    expect(Array.from(embedding ?? [])).toEqual([0, 0.5, -0.25, Math.fround(1 / 3)]);
    expect(snap.samples).toEqual([sample('r1', 0, 0, { thinking: 'hmm' })]);
    expect(snap.pairs).toEqual([pair('r1', 0)]);
  });

  it('keeps one row when the last write is replayed after a resume', async () => {
    db = freshDb();
    const store = new DexieRunStore(db);
    await store.addQuestion(question('r1', 0));
    await store.addQuestion(question('r1', 0));
    await store.addSample(sample('r1', 0, 1));
    await store.addSample(sample('r1', 0, 1));
    await store.addPair(pair('r1', 0));
    await store.addPair(pair('r1', 0));
    const snap = await store.load('r1');
    expect([snap.questions.length, snap.samples.length, snap.pairs.length]).toEqual([1, 1, 1]);
    expect(await db.questions.count()).toBe(1);
  });

  it('writes the sample that settles a vote together with its pair, or neither', async () => {
    db = freshDb();
    const store = new DexieRunStore(db);
    await store.addSettlingSample(sample('r1', 0, 1), pair('r1', 0));
    let snap = await store.load('r1');
    expect([snap.samples, snap.pairs]).toEqual([[sample('r1', 0, 1)], [pair('r1', 0)]]);

    // A pair the database refuses (no key) takes its sample down with it.
    const keyless = { ...pair('r1', 1), questionSeq: undefined } as unknown as ReturnType<
      typeof pair
    >;
    await expect(store.addSettlingSample(sample('r1', 1, 0), keyless)).rejects.toThrow();
    snap = await store.load('r1');
    expect(snap.samples.map((s) => s.questionSeq)).toEqual([0]);
    expect(snap.pairs.map((p) => p.questionSeq)).toEqual([0]);
  });

  it('loads a run in pipeline order whatever order the rows were written in, and only that run', async () => {
    db = freshDb();
    const store = new DexieRunStore(db);
    for (const seq of [10, 2, 7, 0]) await store.addQuestion(question('r1', seq));
    await store.addQuestion(question('other', 1));
    for (const [q, i] of [
      [7, 1],
      [2, 2],
      [7, 0],
      [2, 0],
      [10, 0],
      [2, 1],
    ] as const) {
      await store.addSample(sample('r1', q, i));
    }
    for (const seq of [7, 2, 10]) await store.addPair(pair('r1', seq));
    await store.addPair(pair('other', 1));
    const snap = await store.load('r1');
    expect(snap.questions.map((q) => q.seq)).toEqual([0, 2, 7, 10]);
    expect(snap.samples.map((s) => `${s.questionSeq}.${s.index}`)).toEqual([
      '2.0',
      '2.1',
      '2.2',
      '7.0',
      '7.1',
      '10.0',
    ]);
    expect(snap.pairs.map((p) => p.questionSeq)).toEqual([2, 7, 10]);
    expect(snap.questions.every((q) => q.runId === 'r1')).toBe(true);
  });

  it('writes what is asked at once in one transaction, and what comes meanwhile in the next', async () => {
    db = freshDb();
    await db.open();
    const store = new DexieRunStore(db);
    const first = [
      store.addQuestion(question('r1', 0)),
      store.addSample(sample('r1', 0, 0)),
      store.addSample(sample('r1', 0, 1)),
      store.addSettlingSample(sample('r1', 0, 2), pair('r1', 0)),
    ];
    // Asked after the first group went to IndexedDB, while its transaction is open.
    await Promise.resolve();
    await Promise.resolve();
    const second = [store.addQuestion(question('r1', 1)), store.addQuestion(question('r1', 2))];
    await Promise.all([...first, ...second]);
    expect(store.transactions).toBe(2);
    const snap = await store.load('r1');
    expect(snap.questions.map((q) => q.seq)).toEqual([0, 1, 2]);
    expect(snap.samples).toHaveLength(3);
    expect(snap.pairs).toHaveLength(1);
  });

  it('starts transactions no closer than its spacing, gathering what is asked meanwhile', async () => {
    db = freshDb();
    await db.open();
    const spaced = new DexieRunStore(db, { spacingMs: 1_000 });
    await spaced.addQuestion(question('r1', 0));
    // Asked a moment apart, well within the spacing: one transaction for both.
    const second = spaced.addQuestion(question('r1', 1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const third = spaced.addQuestion(question('r1', 2));
    await Promise.all([second, third]);
    expect(spaced.transactions).toBe(2);
    const unspaced = new DexieRunStore(db);
    await unspaced.addQuestion(question('r2', 0));
    const fourth = unspaced.addQuestion(question('r2', 1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await Promise.all([fourth, unspaced.addQuestion(question('r2', 2))]);
    expect(unspaced.transactions).toBe(3);
    expect((await spaced.load('r1')).questions.map((q) => q.seq)).toEqual([0, 1, 2]);
  });

  it('lets a record written twice in one group end as the later one', async () => {
    db = freshDb();
    const store = new DexieRunStore(db);
    await Promise.all([
      store.addQuestion(question('r1', 0, { text: 'first' })),
      store.addQuestion(question('r1', 0, { text: 'again' })),
    ]);
    expect((await store.load('r1')).questions.map((q) => q.text)).toEqual(['again']);
  });

  it("after a failed write refuses the run's later writes until it is loaded again", async () => {
    db = freshDb();
    await db.open();
    const store = new DexieRunStore(db);
    // A function cannot be stored: the whole group fails, as a full disk would fail it.
    const broken = question('r1', 1, { text: (() => 'x') as unknown as string });
    const failed = store.addQuestion(broken);
    const inGroup = store.addQuestion(question('r1', 0));
    await Promise.resolve();
    await Promise.resolve();
    // Asked while the failing transaction is open: it would land after the loss.
    const meanwhile = store.addQuestion(question('r1', 3));
    await expect(failed).rejects.toThrow();
    await expect(meanwhile).rejects.toThrow();
    await expect(inGroup).rejects.toThrow();
    // Later writes of the run would leave a hole after the lost ones: refused.
    await expect(store.addQuestion(question('r1', 2))).rejects.toThrow();
    await store.addQuestion(question('r2', 0));
    expect((await store.load('r2')).questions).toHaveLength(1);
    expect((await store.load('r1')).questions).toEqual([]);
    // Loaded again, the run continues from what is stored.
    await store.addQuestion(question('r1', 0));
    expect((await store.load('r1')).questions.map((q) => q.seq)).toEqual([0]);
  });

  it('reads a run only after the writes asked before the read', async () => {
    db = freshDb();
    const store = new DexieRunStore(db);
    void store.addQuestion(question('r1', 0));
    void store.addSample(sample('r1', 0, 0));
    const snap = await store.load('r1');
    expect(snap.questions).toHaveLength(1);
    expect(snap.samples).toHaveLength(1);
  });

  it('returns an empty snapshot for a run with no rows', async () => {
    db = freshDb();
    expect(await new DexieRunStore(db).load('nothing')).toEqual({
      questions: [],
      samples: [],
      pairs: [],
    });
  });
});

describe('runs', () => {
  it('creates a run with its recipe, a name and empty stats, and lists newest first', async () => {
    db = freshDb();
    const recipe = defaultRecipe();
    const first = await createRun(db, recipe, 'Algebra', 1_000);
    const second = await createRun(db, recipe, undefined, 2_000);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    const row = await getRun(db, first);
    expect(row?.name).toBe('Algebra');
    expect(row?.recipe).toEqual(recipe);
    expect(row?.status).toBe('idle');
    expect(row?.stats.accepted).toBe(0);
    expect((await getRun(db, second))?.name).toBe('Run 1970-01-01 00:00');
    expect((await listRuns(db)).map((r) => r.id)).toEqual([second, first]);
  });

  it('updates status and merges stats, and clears an error with null', async () => {
    db = freshDb();
    const id = await createRun(db, defaultRecipe(), 'x', 1_000);
    await updateRun(
      db,
      id,
      {
        status: 'failed',
        stats: { accepted: 4, tokens: 90 },
        error: { code: 'storage', message: 'full' },
      },
      2_000,
    );
    let row = await updateRun(db, id, { stats: { rejected: 2 } }, 3_000);
    expect(row?.stats).toMatchObject({ accepted: 4, rejected: 2, tokens: 90, pairs: 0 });
    expect(row?.error?.code).toBe('storage');
    expect(row?.updatedAt).toBe(3_000);
    row = await updateRun(db, id, { status: 'running', error: null, startedAt: 3_500 }, 4_000);
    expect(row?.error).toBeUndefined();
    expect((await getRun(db, id))?.status).toBe('running');
    expect(await updateRun(db, 'missing', { status: 'done' })).toBeUndefined();
  });

  it('applies a patch to a copy: stats merged, an undefined error kept, a null error removed', () => {
    const row: RunRow = {
      id: 'r',
      name: 'Algebra',
      recipe: null,
      status: 'failed',
      createdAt: 1_000,
      updatedAt: 1_000,
      stats: { ...EMPTY_STATS, accepted: 4, tokens: 90 },
      error: { code: 'storage', message: 'full' },
    };
    const kept = applyRunPatch(row, { stats: { rejected: 2 }, name: 'Geometry' }, 2_000);
    expect(kept.stats).toEqual({ ...EMPTY_STATS, accepted: 4, rejected: 2, tokens: 90 });
    expect(kept.name).toBe('Geometry');
    expect(kept.error).toEqual({ code: 'storage', message: 'full' });
    expect(kept.updatedAt).toBe(2_000);
    const cleared = applyRunPatch(
      kept,
      { status: 'running', error: null, startedAt: 2_500 },
      3_000,
    );
    expect('error' in cleared).toBe(false);
    expect(cleared).toMatchObject({ status: 'running', startedAt: 2_500, updatedAt: 3_000 });
    expect(row.stats.rejected).toBe(0);
    expect(row.name).toBe('Algebra');
    expect(row.error?.code).toBe('storage');
  });

  it('marks runs left running or loading as interrupted and leaves the others alone', async () => {
    db = freshDb();
    const ids: Record<string, string> = {};
    for (const status of ['running', 'loading', 'paused', 'done'] as const) {
      ids[status] = await createRun(db, defaultRecipe(), status);
      await updateRun(db, ids[status] ?? '', { status });
    }
    const marked = await markInterruptedRuns(db, 9_000);
    expect(marked.map((r) => r.name).sort()).toEqual(['loading', 'running']);
    expect(marked.every((r) => r.status === 'interrupted' && r.updatedAt === 9_000)).toBe(true);
    const statuses = (await listRuns(db)).map((r) => `${r.name}:${r.status}`).sort();
    expect(statuses).toEqual([
      'done:done',
      'loading:interrupted',
      'paused:paused',
      'running:interrupted',
    ]);
    expect(await markInterruptedRuns(db)).toEqual([]);
  });

  it('deletes every row of one run and nothing of another', async () => {
    db = freshDb();
    const store = new DexieRunStore(db);
    const doomed = await createRun(db, defaultRecipe(), 'doomed');
    const kept = await createRun(db, defaultRecipe(), 'kept');
    for (const runId of [doomed, kept]) {
      await store.addQuestion(question(runId, 0));
      await store.addQuestion(question(runId, 1, { status: 'rejected', reason: 'too-similar' }));
      await store.addSample(sample(runId, 0, 0));
      await store.addPair(pair(runId, 0));
    }
    await deleteRun(db, doomed);
    expect(await getRun(db, doomed)).toBeUndefined();
    expect(await store.load(doomed)).toEqual({ questions: [], samples: [], pairs: [] });
    expect(await runCounts(db, kept)).toEqual({ accepted: 1, rejected: 1, pairs: 1, samples: 1 });
    expect([await db.questions.count(), await db.samples.count(), await db.pairs.count()]).toEqual([
      2, 1, 1,
    ]);
  });
});
