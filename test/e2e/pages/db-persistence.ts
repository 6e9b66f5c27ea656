// Drives the real storage layer in the browser for test/e2e/db-persistence.spec.ts.
import { toErrorInfo, type ErrorInfo } from '../../../src/lib/crescent/errors';
import type { RunSnapshot } from '../../../src/lib/crescent/types';
import { CrescentDb } from '../../../src/lib/db/schema';
import { DexieRunStore } from '../../../src/lib/db/store';
import { importDataset } from '../../../src/lib/db/import';
import { pairsOfRuns } from '../../../src/lib/db/read';
import { createRun, getRun, markInterruptedRuns, updateRun } from '../../../src/lib/db/runs';
import { defaultRecipe } from '../../../src/lib/recipe/defaults';

/** A snapshot in plain JSON, typed arrays tagged so the test can see they survived as such. */
type Described = unknown;

function describe(value: unknown): Described {
  if (value instanceof Float32Array) return { float32: Array.from(value) };
  if (Array.isArray(value)) return value.map(describe);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, describe(v)]));
  }
  return value;
}

function open(): CrescentDb {
  return new CrescentDb();
}

async function writeRun(): Promise<string> {
  const db = open();
  const store = new DexieRunStore(db);
  const runId = await createRun(db, defaultRecipe(), 'persisted');
  await updateRun(db, runId, { status: 'running', stats: { accepted: 1 } });
  const embedding = new Float32Array([0.1, -0.2, 1 / 3, 1e-7]);
  await store.addQuestion({
    runId,
    seq: 1,
    origin: 'bait',
    attempt: 0,
    raw: 'Problem: x?',
    text: 'x?',
    status: 'accepted',
    embedding,
    tokens: 5,
    createdAt: 11,
  });
  await store.addQuestion({
    runId,
    seq: 0,
    origin: 'bait',
    attempt: 0,
    raw: 'junk',
    text: null,
    status: 'rejected',
    reason: 'no-question',
    tokens: 2,
    createdAt: 10,
  });
  await store.addSample({
    runId,
    questionSeq: 1,
    index: 0,
    raw: '#### Answer: 4',
    answer: '4',
    tokens: 9,
    thinkingTokens: 0,
    finishReason: 'stop',
    createdAt: 12,
  });
  await store.addPair({
    runId,
    questionSeq: 1,
    question: 'x?',
    answerText: '#### Answer: 4',
    answer: '4',
    votes: { '4': 1 },
    abstained: 0,
    samples: 1,
    k: 1,
    agreement: 1,
    minVotes: 0,
    passes: true,
    model: 'm',
    createdAt: 13,
  });
  db.close();
  return runId;
}

async function readRun(runId: string): Promise<{ snapshot: Described; status?: string }> {
  const db = open();
  const snapshot: RunSnapshot = await new DexieRunStore(db).load(runId);
  const interrupted = await markInterruptedRuns(db);
  const run = await getRun(db, runId);
  db.close();
  return { snapshot: describe(snapshot), status: `${interrupted.length}:${run?.status}` };
}

/** Random values: IndexedDB compresses large values, so a constant array would barely count. */
function noise(length: number): Float32Array {
  const values = new Float32Array(length);
  for (let i = 0; i < length; i++) values[i] = Math.random();
  return values;
}

/** Writes questions with big embeddings until a write fails; returns the failure and the count written. */
async function fillUntilFull(
  runId: string,
  limit: number,
): Promise<{ written: number; error: ErrorInfo | null; stored: number }> {
  const db = open();
  const store = new DexieRunStore(db);
  let written = 0;
  let error: ErrorInfo | null = null;
  for (let seq = 0; seq < limit; seq++) {
    try {
      await store.addQuestion({
        runId,
        seq,
        origin: 'bait',
        attempt: 0,
        raw: 'r'.repeat(1000),
        text: `q${seq}`,
        status: 'accepted',
        embedding: noise(64 * 1024),
        tokens: 1,
        createdAt: seq,
      });
      written++;
    } catch (e) {
      error = toErrorInfo(e);
      break;
    }
  }
  const stored = (await store.load(runId)).questions.length;
  db.close();
  return { written, error, stored };
}

/** Imports `count` pairs as one run, then streams them back; both timed. */
async function importAndStream(count: number): Promise<{
  importMs: number;
  streamMs: number;
  batches: number;
  pairs: number;
  ordered: boolean;
}> {
  const db = open();
  const rows = Array.from({ length: count }, (_, i) => ({
    question: `Question ${i}: what is ${i} + ${i}?`,
    answerText: `${i} + ${i} = ${2 * i}. #### Answer: ${2 * i}`,
    answer: String(2 * i),
    votes: { [String(2 * i)]: 3 },
    samples: 3,
    k: 3,
    agreement: 1,
    minVotes: 0,
    passes: true,
  }));
  let start = performance.now();
  const { runId } = await importDataset(db, { name: 'big', pairs: rows });
  const importMs = performance.now() - start;
  start = performance.now();
  let batches = 0;
  let pairs = 0;
  let ordered = true;
  for await (const batch of pairsOfRuns(db, [runId], { minAgreement: 0.5 })) {
    for (const pair of batch) ordered &&= pair.questionSeq === pairs++;
    batches++;
  }
  const streamMs = performance.now() - start;
  db.close();
  return { importMs, streamMs, batches, pairs, ordered };
}

declare global {
  interface Window {
    dbPage: {
      writeRun: typeof writeRun;
      readRun: typeof readRun;
      fillUntilFull: typeof fillUntilFull;
      importAndStream: typeof importAndStream;
    };
  }
}

window.dbPage = { writeRun, readRun, fillUntilFull, importAndStream };
document.getElementById('ready')?.replaceChildren('ready');
