// The production pipeline worker with an instant scripted engine (4 requests at once, no latency)
// whose questions stay distinct, and the hashing embedder: everything a run costs but the model.
// The first engine request of this worker is announced on a channel of its own, so a bench can
// time a resume up to the moment the run asks the model for something.
import { runCrescent } from '../../src/lib/crescent/run';
import { CrescentDb } from '../../src/lib/db/schema';
import { HashingEmbedder } from '../../src/lib/engines/doubles/hashingEmbedder';
import { preflight } from '../../src/lib/engines/preflight';
import { exposePipeline } from '../../src/lib/worker/exposePipeline';
import { Pipeline } from '../../src/lib/worker/pipeline';
import { configForRun } from '../../src/lib/worker/runConfig';
import { defaultRunLock } from '../../src/lib/worker/runLock';
import { openRunRecords, type RunRecords } from '../../src/lib/worker/runRecords';
import type { RunStore } from '../../src/lib/crescent/types';
import { distinctScriptedEngine } from '../distinctEngine';
import { BENCH_CHANNEL, ENGINE_CONCURRENCY, type FirstCall } from './protocol';

const channel = new BroadcastChannel(BENCH_CHANNEL);

/**
 * A worker named 'strict' waits for Chromium's disk flush on every write, unlike the app's
 * database: the difference is what such a flush would cost a run.
 */
async function openRecords(): Promise<RunRecords> {
  const db = new CrescentDb();
  if (self.name === 'strict') db._options.chromeTransactionDurability = 'strict';
  const records = await openRunRecords(db);
  // Reading the run back is timed, to tell it from the rest of a resume. The IndexedDB records
  // are a plain object of closures, so a copy with another store works alike.
  const { store } = records;
  const timed: RunStore = {
    load: async (runId) => {
      const t0 = performance.now();
      const snapshot = await store.load(runId);
      loadMs = performance.now() - t0;
      return snapshot;
    },
    addQuestion: (record) => store.addQuestion(record),
    addSample: (record) => store.addSample(record),
    addPair: (record) => store.addPair(record),
    ...(store.addSettlingSample ? { addSettlingSample: store.addSettlingSample.bind(store) } : {}),
  };
  return { ...records, store: timed };
}
let loadMs: number | null = null;
let announced = false;

exposePipeline(
  new Pipeline({
    loadEngine: async () => ({
      engine: distinctScriptedEngine({
        seed: 5,
        concurrency: ENGINE_CONCURRENCY,
        latencyMs: 0,
        onCall: (info) => {
          if (announced) return;
          announced = true;
          const message: FirstCall = {
            at: performance.timeOrigin + performance.now(),
            kind: info.kind,
            loadMs,
          };
          channel.postMessage(message);
        },
      }),
      unload: async () => {},
    }),
    loadEmbedder: async () => new HashingEmbedder(384),
    preflight: () => preflight(),
    modelCache: { isCached: async () => false, deleteCached: async () => {} },
    openRecords,
    lock: defaultRunLock(),
    toConfig: configForRun,
    runCrescent,
  }),
);
