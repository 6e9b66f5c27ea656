// Pairs per hour against a simulated batching server at 1, 4, 16 and 64 requests in flight,
// through the real endpoint engine over loopback HTTP: how close the run comes to the server's
// capacity, what speculation wastes, what share of the time the in-order judge takes, and
// whether the dataset is the same at every concurrency (it must be).
import { performance } from 'node:perf_hooks';
import { makeConfig, type RunConfig } from '../src/lib/crescent/config';
import { MemoryRunStore } from '../src/lib/crescent/memoryStore';
import { runCrescent } from '../src/lib/crescent/run';
import type { RunSnapshot } from '../src/lib/crescent/types';
import { HashingEmbedder } from '../src/lib/engines/doubles/hashingEmbedder';
import { OpenAIChatEngine } from '../src/lib/engines/openaiChat';
import type { BenchRow } from '../scripts/bench';
import { startBatchingServer, type BatchingModel } from './batchingServer';

/** A small model on a batching server: ~110 ms a request, 64 sequences at once. */
const MODEL: BatchingModel = { sequences: 64, prefillMs: 50, decodeTokensPerSecond: 500 };

function config(target: number): RunConfig {
  return makeConfig('throughput', {
    targetQuestions: target,
    votes: 3,
    // The scripted model knows a dozen templates; this threshold rejects about a quarter of
    // its questions, so rewrites are part of the run.
    similarityThreshold: 0.97,
    saturationWindow: 0,
    proposalBudget: 50 * target,
  });
}

interface Measured {
  concurrency: number;
  target: number;
  seconds: number;
  pairs: number;
  requests: number;
  wasted: number;
  judgeMs: number;
  snapshot: RunSnapshot;
}

async function measure(concurrency: number, target: number): Promise<Measured> {
  const server = await startBatchingServer(MODEL);
  try {
    const engine = new OpenAIChatEngine({
      baseUrl: server.baseUrl,
      model: 'scripted',
      concurrency,
      pageOrigin: 'http://127.0.0.1',
    });
    const store = new MemoryRunStore();
    const run = config(target);
    const t0 = performance.now();
    const outcome = await runCrescent(
      run,
      { engine, embedder: new HashingEmbedder(384), store },
      { timer: () => performance.now() },
    );
    const seconds = (performance.now() - t0) / 1000;
    if (outcome.stopReason !== 'target') {
      throw new Error(
        `run at ${concurrency} stopped: ${outcome.stopReason} ${outcome.error?.message}`,
      );
    }
    const snapshot = await store.load(run.runId);
    const stored = snapshot.questions.length + snapshot.samples.length;
    return {
      concurrency,
      target,
      seconds,
      pairs: outcome.progress.passing,
      requests: server.requests,
      wasted: server.requests - stored,
      judgeMs: outcome.judgeMs,
      snapshot,
    };
  } finally {
    await server.close();
  }
}

/** A dataset without wall-clock fields, as text, for comparing runs. */
function fingerprint(s: RunSnapshot): string {
  return JSON.stringify({
    questions: s.questions.map(({ createdAt: _, embedding, ...q }) => ({
      ...q,
      embedding: embedding ? Array.from(embedding) : null,
    })),
    samples: s.samples.map(({ createdAt: _, ...r }) => r),
    pairs: s.pairs.map(({ createdAt: _, ...p }) => p),
  });
}

export default async function (): Promise<BenchRow[]> {
  const small = 40;
  const large = 400;
  // The one-at-a-time rate needs no long run; the high ones need one long enough that the
  // start and the last questions' votes do not dominate.
  const runs: Measured[] = [];
  for (const c of [1, 4, 16, 64]) runs.push(await measure(c, small));
  const long = [await measure(16, large), await measure(64, large)];

  const same = new Set(runs.map((r) => fingerprint(r.snapshot))).size === 1;
  const sameLong = new Set(long.map((r) => fingerprint(r.snapshot))).size === 1;
  const perHour = (r: Measured) => (3600 * r.pairs) / r.seconds;
  const base = runs[0];
  if (!base) throw new Error('no baseline run');
  const rows: BenchRow[] = [];
  const rated = [runs[0], runs[1], long[0], long[1]].filter((r): r is Measured => !!r);
  for (const r of rated) {
    rows.push({
      name: `pairs per hour at ${r.concurrency} in flight`,
      value: perHour(r),
      unit: 'pairs/h',
      note:
        `${r.pairs} pairs in ${r.seconds.toFixed(1)} s, x${(perHour(r) / perHour(base)).toFixed(1)} ` +
        `vs 1, ${r.wasted} of ${r.requests} requests wasted, judge ${((100 * r.judgeMs) / (1000 * r.seconds)).toFixed(2)}% of the time`,
    });
  }
  rows.push({
    name: `dataset identical at 1/4/16/64 (${small} pairs)`,
    value: same ? 1 : 0,
    unit: same ? 'yes' : 'NO',
  });
  rows.push({
    name: `dataset identical at 16/64 (${large} pairs)`,
    value: sameLong ? 1 : 0,
    unit: sameLong ? 'yes' : 'NO',
  });
  return rows;
}
