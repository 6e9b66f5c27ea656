// Storage in Chromium through the app's own code, on one 10,000-pair run (k = 3):
// (a) its first 200 pairs written record by record through DexieRunStore, in pipeline order, one
//     awaited write at a time (and 200 more with each write waiting for the disk flush);
// (b) "Download JSONL" in the full format (the Exporter the export panel uses), pairs/s and bytes;
// (c) the run, stopped at 10,000 of 20,000 pairs, resumed by the pipeline worker right as the
//     page loads, timed to its first engine request (median of 3 reloads).
// The run itself is made in memory by the core with the scripted engine and hashing embedder,
// so the seeding costs seconds, not a 10,000-pair run through the worker.
import { readFileSync } from 'node:fs';
import type { BenchRow } from '../scripts/bench';
import { benchPageUrl, openBenchPage, processTimes, serveBenchPage } from './benchPage';
import { openBrowser } from './pageRun';

const PAIRS = Number(process.env.BENCH_STORAGE_PAIRS ?? 10_000);
const PORT = 5203;
const RELOADS = 3;
/** Pairs written one record at a time (each way); the rest are written in bulk. */
const TIMED_PAIRS = Number(process.env.BENCH_STORAGE_TIMED ?? 200);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function cpuOf(before: Map<string, number>, after: Map<string, number>): string {
  return [...after]
    .map(([type, s]) => [type, s - (before.get(type) ?? 0)] as const)
    .sort((a, b) => b[1] - a[1])
    .map(([type, s]) => `${type} ${s.toFixed(1)} s`)
    .join(', ');
}

export default async function (): Promise<BenchRow[]> {
  const host = await serveBenchPage(PORT);
  const session = await openBrowser();
  const rows: BenchRow[] = [];
  try {
    const { page, profile } = session;
    await openBenchPage(page, benchPageUrl(host));

    const cpuBefore = processTimes(profile);
    const seed = await page.evaluate(([n, timed]) => window.bench.seedRun(n, 2 * n, timed), [
      PAIRS,
      TIMED_PAIRS,
    ] as const);
    if (seed.pairs < PAIRS || seed.loadedPairs !== seed.pairs)
      throw new Error(`seeded ${seed.pairs} pairs, read back ${seed.loadedPairs}`);
    const perPair = ((seed.questions + seed.samples + seed.pairs) / seed.pairs).toFixed(1);
    rows.push({
      name: `pairs written through DexieRunStore, first ${TIMED_PAIRS}`,
      value: (1000 * TIMED_PAIRS) / seed.appMs,
      unit: 'pairs/s',
      note: `one awaited write at a time (no disk flush), each its own transaction; ${perPair} records a pair`,
    });
    rows.push({
      name: `  the next ${TIMED_PAIRS}, asked without waiting, as a run asks`,
      value: (1000 * TIMED_PAIRS) / seed.askedMs,
      unit: 'pairs/s',
      note: `a pair's records a task apart; ${seed.askedTransactions} transactions for ${TIMED_PAIRS} pairs`,
    });
    rows.push({
      name: `  the next ${TIMED_PAIRS}, each write flushed to disk`,
      value: (1000 * TIMED_PAIRS) / seed.strictMs,
      unit: 'pairs/s',
      note: `time with the flush / without: ${(seed.strictMs / seed.appMs).toFixed(2)}`,
    });
    rows.push({
      name: `  the remaining ${seed.bulkPairs} in one bulkPut transaction`,
      value: (1000 * seed.bulkPairs) / seed.bulkMs,
      unit: 'pairs/s',
      note: `seeding only; ${cpuOf(cpuBefore, processTimes(profile))} for all of the seeding`,
    });
    rows.push({
      name: `  the run read back (store.load), ${seed.pairs} pairs`,
      value: seed.loadMs,
      unit: 'ms',
    });

    const [download, exported] = await Promise.all([
      page.waitForEvent('download'),
      page.evaluate((runId) => window.bench.exportRun(runId), seed.runId),
    ]);
    if (exported.error || !exported.done)
      throw new Error(`export failed: ${exported.error?.message}`);
    const file = readFileSync(await download.path());
    const lines = file.toString('utf8').split('\n').filter(Boolean).length;
    if (lines !== exported.done.pairs)
      throw new Error(`exported ${exported.done.pairs}, ${lines} lines`);
    rows.push({
      name: `Download JSONL, full format, ${exported.done.pairs} pairs`,
      value: (1000 * exported.done.pairs) / exported.ms,
      unit: 'pairs/s',
      note: `${exported.ms.toFixed(0)} ms, ${download.suggestedFilename()}`,
    });
    rows.push({
      name: `  its file`,
      value: file.length / 2 ** 20,
      unit: 'MiB',
      note: `${(file.length / lines).toFixed(0)} bytes a line`,
    });

    const fromLoad: number[] = [];
    const fromCall: number[] = [];
    const reading: number[] = [];
    for (let i = 0; i < RELOADS; i++) {
      await openBenchPage(page, benchPageUrl(host, `?resume=${seed.runId}`));
      const resumed = await page.evaluate(() => window.bench.resumed);
      if (!resumed || resumed.status !== 'paused')
        throw new Error(`the resumed run ended ${resumed?.status}`);
      fromLoad.push(resumed.firstCallAt - resumed.navigationStart);
      fromCall.push(resumed.firstCallAt - resumed.calledAt);
      reading.push(resumed.loadMs ?? NaN);
    }
    rows.push({
      name: `resume after a reload, page load to first request`,
      value: median(fromLoad),
      unit: 'ms',
      note: `${seed.pairs} pairs stored, of ${RELOADS}: ${fromLoad.map((ms) => ms.toFixed(0)).join(', ')}`,
    });
    rows.push({
      name: `resume after a reload, resume call to first request`,
      value: median(fromCall),
      unit: 'ms',
      note: `of ${RELOADS}: ${fromCall.map((ms) => ms.toFixed(0)).join(', ')}`,
    });
    rows.push({
      name: `  of which the worker reads the run back (store.load)`,
      value: median(reading),
      unit: 'ms',
      note: `of ${RELOADS}: ${reading.map((ms) => ms.toFixed(0)).join(', ')}`,
    });
  } finally {
    await session.close();
    await host.close();
  }
  return rows;
}
