// The bench page: drives the pipeline worker through the UI's own client, seeds a stored run
// through the app's store, exports it through the app's exporter, and with `?resume=<run id>`
// resumes that run the moment the page loads and times it to the run's first engine request.
import type {
  AnswerSampleRecord,
  QaPairRecord,
  QuestionRecord,
} from '../../src/lib/crescent/types';
import { MemoryRunStore } from '../../src/lib/crescent/memoryStore';
import { runCrescent } from '../../src/lib/crescent/run';
import { createRun, updateRun } from '../../src/lib/db/runs';
import { CrescentDb } from '../../src/lib/db/schema';
import { DexieRunStore } from '../../src/lib/db/store';
import { HashingEmbedder } from '../../src/lib/engines/doubles/hashingEmbedder';
import { Exporter } from '../../src/lib/state/exporter.svelte';
import { createPipelineClient } from '../../src/lib/worker/client';
import type { PipelineEvent, RunStatus } from '../../src/lib/worker/protocol';
import { configForRun } from '../../src/lib/worker/runConfig';
import { yieldToHost } from '../../src/lib/worker/yieldToHost';
import { distinctScriptedEngine } from '../distinctEngine';
import { BENCH_CHANNEL, benchRecipe, ENGINE_CONCURRENCY, type FirstCall } from './protocol';
import { runEnd } from '../../test/support/runEnd';

const query = new URLSearchParams(location.search);
// `?durability=strict`: each of the worker's writes waits for the disk flush (see the worker).
const client = createPipelineClient(
  new Worker(new URL('./pipeline.worker.ts', import.meta.url), {
    type: 'module',
    name: query.get('durability') === 'strict' ? 'strict' : 'app',
  }),
);
const events: PipelineEvent[] = [];
client.subscribe((event) => {
  if (event.type === 'status' || event.type === 'error') events.push(event);
});

const firstCall = new Promise<FirstCall>((resolve) => {
  const channel = new BroadcastChannel(BENCH_CHANNEL);
  channel.onmessage = (message: MessageEvent<FirstCall>) => resolve(message.data);
});

/** Resolves with the status that ended the run. */
function endOf(runId: string): Promise<RunStatus> {
  return runEnd(client, events, runId);
}

async function withDb<T>(use: (db: CrescentDb) => Promise<T>): Promise<T> {
  const db = new CrescentDb();
  await db.open();
  try {
    return await use(db);
  } finally {
    db.close();
  }
}

/** A whole run in the worker, from the start call to its last status. */
async function runToEnd(pairs: number) {
  const t0 = performance.now();
  const runId = await client.start(benchRecipe(pairs));
  const status = await endOf(runId);
  const ms = performance.now() - t0;
  const row = await withDb((db) => db.runs.get(runId));
  return { runId, status, ms, stats: row?.stats, errors: events.filter((e) => e.type === 'error') };
}

/** One question's records: the question, its samples, its pair when it has one. */
interface Written {
  question: QuestionRecord;
  samples: AnswerSampleRecord[];
  pair: QaPairRecord | undefined;
}

/** The way the pipeline writes them: the sample that settles the vote shares its pair's transaction. */
async function writeThrough(store: DexieRunStore, { question, samples, pair }: Written) {
  await store.addQuestion(question);
  const settling = pair ? samples.at(-1) : undefined;
  for (const sample of samples) if (sample !== settling) await store.addSample(sample);
  if (pair && settling) await store.addSettlingSample(settling, pair);
  else if (pair) await store.addPair(pair);
}

/**
 * The same records asked for as a run asks for them, none waiting for the one before, so the
 * store groups them into as few transactions as its pace allows; resolves with the ms it took.
 */
async function timeAskedWrites(
  store: DexieRunStore,
  queue: Written[],
  pairs: number,
): Promise<{ ms: number; transactions: number }> {
  const t0 = performance.now();
  const before = store.transactions;
  const writes: Promise<void>[] = [];
  let written = 0;
  while (written < pairs) {
    const next = queue.shift();
    if (!next) break;
    const { question, samples, pair } = next;
    writes.push(store.addQuestion(question));
    const settling = pair ? samples.at(-1) : undefined;
    for (const sample of samples) if (sample !== settling) writes.push(store.addSample(sample));
    if (pair && settling) writes.push(store.addSettlingSample(settling, pair));
    else if (pair) writes.push(store.addPair(pair));
    if (pair) written++;
    // A run asks for a pair's records over several tasks, not all at once.
    await yieldToHost();
  }
  await Promise.all(writes);
  return { ms: performance.now() - t0, transactions: store.transactions - before };
}

/** Writes records one awaited write at a time until `pairs` pairs are written; resolves with the ms it took. */
async function timeWrites(store: DexieRunStore, queue: Written[], pairs: number): Promise<number> {
  const t0 = performance.now();
  let written = 0;
  while (written < pairs) {
    const next = queue.shift();
    if (!next) break;
    await writeThrough(store, next);
    if (next.pair) written++;
  }
  return performance.now() - t0;
}

/**
 * A run of `storedPairs` pairs made in memory by the core, left paused in IndexedDB with
 * `targetPairs` as its target. The first `timedPairs` pairs are written through the app's store
 * in the order the pipeline writes them, one awaited write at a time; the next `timedPairs` asked
 * without waiting, as a run asks for them; the next `timedPairs` one at a time again on a
 * connection whose writes each wait for Chromium's disk flush; the
 * rest in one bulk transaction, only to have them there.
 */
async function seedRun(storedPairs: number, targetPairs: number, timedPairs: number) {
  return withDb(async (db) => {
    const runId = await createRun(db, benchRecipe(targetPairs));
    const memory = new MemoryRunStore();
    const outcome = await runCrescent(configForRun(benchRecipe(storedPairs), runId), {
      engine: distinctScriptedEngine({ seed: 5, concurrency: ENGINE_CONCURRENCY }),
      embedder: new HashingEmbedder(384),
      store: memory,
    });
    const { questions, samples, pairs } = await memory.load(runId);
    const samplesOf = new Map<number, AnswerSampleRecord[]>();
    for (const s of samples) {
      const list = samplesOf.get(s.questionSeq);
      if (list) list.push(s);
      else samplesOf.set(s.questionSeq, [s]);
    }
    const pairOf = new Map<number, QaPairRecord>(pairs.map((p) => [p.questionSeq, p]));
    const queue: Written[] = questions.map((question) => ({
      question,
      samples: samplesOf.get(question.seq) ?? [],
      pair: pairOf.get(question.seq),
    }));

    const store = new DexieRunStore(db);
    const appMs = await timeWrites(store, queue, timedPairs);
    const asked = await timeAskedWrites(store, queue, timedPairs);
    const strictMs = await withDb(async (strictDb) => {
      strictDb._options.chromeTransactionDurability = 'strict';
      return timeWrites(new DexieRunStore(strictDb), queue, timedPairs);
    });
    const t0 = performance.now();
    await db.transaction('rw', [db.questions, db.samples, db.pairs], async () => {
      await db.questions.bulkPut(queue.map((w) => w.question));
      await db.samples.bulkPut(queue.flatMap((w) => w.samples));
      await db.pairs.bulkPut(queue.flatMap((w) => (w.pair ? [w.pair] : [])));
    });
    const bulkMs = performance.now() - t0;
    const bulkPairs = queue.filter((w) => w.pair).length;

    const t1 = performance.now();
    const loaded = await store.load(runId);
    const loadMs = performance.now() - t1;

    const { proposals, accepted, rejected, samplesSaved, tokens } = outcome.progress;
    await updateRun(db, runId, {
      status: 'paused',
      stopReason: 'paused',
      stats: {
        proposals,
        accepted,
        rejected,
        pairs: pairs.length,
        samples: samples.length,
        samplesSaved,
        tokens,
        elapsedMs: 1000,
      },
    });
    return {
      runId,
      appMs,
      askedMs: asked.ms,
      askedTransactions: asked.transactions,
      strictMs,
      bulkMs,
      bulkPairs,
      loadMs,
      questions: questions.length,
      samples: samples.length,
      pairs: pairs.length,
      loadedPairs: loaded.pairs.length,
    };
  });
}

/** "Download JSONL" in the full format with the panel's default filters. */
async function exportRun(runId: string) {
  return withDb(async (db) => {
    const exporter = new Exporter(
      db,
      () => [runId],
      () => [],
    );
    exporter.format = 'full';
    const t0 = performance.now();
    await exporter.downloadDataset();
    return { ms: performance.now() - t0, done: exporter.done, error: exporter.error };
  });
}

/** `?resume=<run id>`: resumed as soon as the page runs, paused at its first engine request. */
async function resumeOnLoad(runId: string) {
  const calledAt = performance.timeOrigin + performance.now();
  await client.resume(runId);
  const call = await firstCall;
  await client.pause();
  return {
    navigationStart: performance.timeOrigin,
    calledAt,
    firstCallAt: call.at,
    kind: call.kind,
    loadMs: call.loadMs,
    status: await endOf(runId),
  };
}

const resumeId = query.get('resume');

const harness = {
  ready: true,
  runToEnd,
  seedRun,
  exportRun,
  resumed: resumeId ? resumeOnLoad(resumeId) : null,
};

declare global {
  interface Window {
    bench: typeof harness;
  }
}

window.bench = harness;
