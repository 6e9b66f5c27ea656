// Pipeline overhead in the browser: a run in the production pipeline worker with an instant
// scripted engine (4 at a time), the hashing embedder and IndexedDB through DexieRunStore, so
// everything measured is orchestration, search, voting and storage. Wall time of the run and the
// worker thread's CPU per pair at 1,000 and 10,000 pairs, beside the same run in Node on the
// in-memory store, and the first size once more with every write waiting for Chromium's disk
// flush (the app does not wait for it). BENCH_OVERHEAD_PAIRS=300,1000 picks other sizes.
import { performance } from 'node:perf_hooks';
import { MemoryRunStore } from '../src/lib/crescent/memoryStore';
import { runCrescent } from '../src/lib/crescent/run';
import { HashingEmbedder } from '../src/lib/engines/doubles/hashingEmbedder';
import { configForRun } from '../src/lib/worker/runConfig';
import type { BenchRow } from '../scripts/bench';
import {
  BENCH_PAGES_DIR,
  benchPageUrl,
  openBenchPage,
  processTimes,
  serveBenchPage,
} from './benchPage';
import { spentBetween, threadTimes } from './chromiumThreads';
import { distinctScriptedEngine } from './distinctEngine';
import { openBrowser } from './pageRun';
import { profileRows, profileThreads, type ThreadProfile } from './traceProfile';
import { benchRecipe, ENGINE_CONCURRENCY } from './pages/protocol';

const SIZES = (process.env.BENCH_OVERHEAD_PAIRS ?? '1000,10000').split(',').map(Number);
const PORT = 5202;
/** A short run first, so loading the modules and warming the JIT are not counted. */
const WARM_UP_PAIRS = 200;

interface Measured {
  pairs: number;
  /** From the page's start call to the run's last status event. */
  wallMs: number;
  /** The run's own elapsed time, as the worker stores it on the run row. */
  elapsedMs: number;
  workerMs: number;
  proposals: number;
  /** CPU by Chromium process type over the run. */
  processes: Map<string, number>;
  profiles: ThreadProfile[];
  /** CPU by renderer thread name over the run. */
  threads: Map<string, number>;
}

async function inBrowser(url: string, pairs: number): Promise<Measured> {
  const session = await openBrowser();
  try {
    const { page, profile } = session;
    await openBenchPage(page, url);
    await page.evaluate((n) => window.bench.runToEnd(n), WARM_UP_PAIRS);
    const before = threadTimes(profile);
    const processesBefore = processTimes(profile);
    // BENCH_OVERHEAD_PROFILE=1: samples every thread for 5 s, 10 s into the largest run.
    const profiling =
      process.env.BENCH_OVERHEAD_PROFILE && pairs === Math.max(...SIZES)
        ? new Promise((resolve) => setTimeout(resolve, 10_000)).then(() =>
            profileThreads(session.context, page, 5_000, BENCH_PAGES_DIR),
          )
        : Promise.resolve([]);
    const run = await page.evaluate((n) => window.bench.runToEnd(n), pairs);
    const profiles = await profiling;
    const spent = spentBetween(before, threadTimes(profile));
    const processes = new Map(
      [...processTimes(profile)].map(([type, s]) => [type, s - (processesBefore.get(type) ?? 0)]),
    );
    if (run.status !== 'done' || (run.stats?.pairs ?? 0) < pairs)
      throw new Error(`the ${pairs}-pair run ended ${run.status}: ${JSON.stringify(run.errors)}`);
    const workerMs =
      1000 * [...spent].filter(([name]) => /worker/i.test(name)).reduce((sum, [, s]) => sum + s, 0);
    return {
      pairs,
      wallMs: run.ms,
      elapsedMs: run.stats?.elapsedMs ?? NaN,
      workerMs,
      proposals: run.stats?.proposals ?? 0,
      processes,
      profiles,
      threads: spent,
    };
  } finally {
    await session.close();
  }
}

async function inNode(pairs: number): Promise<number> {
  const t0 = performance.now();
  const outcome = await runCrescent(configForRun(benchRecipe(pairs), 'node'), {
    engine: distinctScriptedEngine({ seed: 5, concurrency: ENGINE_CONCURRENCY }),
    embedder: new HashingEmbedder(384),
    store: new MemoryRunStore(),
  });
  if (outcome.progress.passing < pairs) throw new Error(`Node run stopped: ${outcome.stopReason}`);
  return performance.now() - t0;
}

export default async function (): Promise<BenchRow[]> {
  const host = await serveBenchPage(PORT);
  const browser: Measured[] = [];
  let strict: Measured | undefined;
  try {
    for (const pairs of SIZES) browser.push(await inBrowser(benchPageUrl(host), pairs));
    strict = await inBrowser(benchPageUrl(host, '?durability=strict'), SIZES[0] ?? 1000);
  } finally {
    await host.close();
  }
  const rows: BenchRow[] = [];
  for (const m of browser) {
    const nodeMs = await inNode(m.pairs);
    rows.push({
      name: `worker run per pair, ${m.pairs} pairs`,
      value: m.wallMs / m.pairs,
      unit: 'ms wall',
      note: `${(m.wallMs / 1000).toFixed(1)} s (the worker's own count ${(m.elapsedMs / 1000).toFixed(1)} s), ${m.proposals} proposals`,
    });
    rows.push({
      name: `worker thread CPU per pair, ${m.pairs} pairs`,
      value: m.workerMs / m.pairs,
      unit: 'ms CPU',
      note: `busy ${((100 * m.workerMs) / m.wallMs).toFixed(0)}%; renderer threads ${[...m.threads]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 4)
        .map(([name, s]) => `${name} ${((1000 * s) / m.pairs).toFixed(2)}`)
        .join(', ')}`,
    });
    const all = [...m.processes.values()].reduce((a, b) => a + b, 0);
    rows.push({
      name: `all Chromium processes CPU per pair, ${m.pairs} pairs`,
      value: (1000 * all) / m.pairs,
      unit: 'ms CPU',
      note: [...m.processes]
        .sort((a, b) => b[1] - a[1])
        .map(([type, s]) => `${type} ${((1000 * s) / m.pairs).toFixed(2)}`)
        .join(', '),
    });
    rows.push({
      name: `Node, memory store, per pair, ${m.pairs} pairs`,
      value: nodeMs / m.pairs,
      unit: 'ms wall',
      note: `browser run ${(m.wallMs / nodeMs).toFixed(1)}x this`,
    });
  }
  for (const m of browser) rows.push(...profileRows(m.profiles, `${m.pairs} pairs`, 10));
  const [first, last] = [browser[0], browser.at(-1)];
  if (strict && first) {
    rows.push({
      name: `  same, each write flushed to disk, ${strict.pairs} pairs`,
      value: strict.wallMs / strict.pairs,
      unit: 'ms wall',
      note: `worker CPU ${(strict.workerMs / strict.pairs).toFixed(2)} ms; ${(strict.wallMs / strict.pairs / (first.wallMs / first.pairs)).toFixed(1)}x the app's unflushed writes`,
    });
  }
  if (first && last && first !== last) {
    rows.push({
      name: `worker run per pair, ${last.pairs} / ${first.pairs} pairs`,
      value: last.wallMs / last.pairs / (first.wallMs / first.pairs),
      unit: 'ratio',
      note: `CPU ${(last.workerMs / last.pairs / (first.workerMs / first.pairs)).toFixed(2)}`,
    });
  }
  return rows;
}
