// What a run costs the browser besides the model: the built app in Chromium against a server that
// answers at once, CPU of the page's main thread, the pipeline worker and its fetch relay per pair, at 1,000
// and 10,000 pairs (BENCH_PAGE_PAIRS=300,1000 for a quicker look). Each size runs with no driver
// attached (bench/bareChromium.ts); the first runs once more under Playwright, whose network
// instrumentation costs the page's main thread on every request, and is sampled there for 5 s
// mid-run to say where the time goes.
import type { BenchRow } from '../scripts/bench';
import { measureBarePageRun, measurePageRun, previewApp, type PageRunResult } from './pageRun';
import { profileRows } from './traceProfile';

const SIZES = (process.env.BENCH_PAGE_PAIRS ?? '1000,10000').split(',').map(Number);

function rowsOf(r: PageRunResult, how: string): BenchRow[] {
  const { pairs } = r;
  const top = [...r.threads]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([name, s]) => `${name} ${s.toFixed(1)} s`)
    .join(', ');
  const rows: BenchRow[] = [
    {
      name: `page main thread per pair, ${pairs} pairs${how}`,
      value: (1000 * r.mainSeconds) / pairs,
      unit: 'ms CPU',
      note: `busy ${((100 * r.mainSeconds) / r.seconds).toFixed(1)}% of ${r.seconds.toFixed(0)} s`,
    },
    {
      name: `pipeline worker per pair, ${pairs} pairs${how}`,
      value: (1000 * r.workerSeconds) / pairs,
      unit: 'ms CPU',
      note: `busy ${((100 * r.workerSeconds) / r.seconds).toFixed(0)}%; the map's projection worker ${r.otherWorkerSeconds.toFixed(1)} s`,
    },
    {
      name: `fetch relay per pair, ${pairs} pairs${how}`,
      value: (1000 * r.relaySeconds) / pairs,
      unit: 'ms CPU',
      note: `the shared worker that makes the endpoint's requests; with the pipeline worker ${((1000 * (r.workerSeconds + r.relaySeconds)) / pairs).toFixed(2)} ms`,
    },
    {
      name: `all renderer threads per pair, ${pairs} pairs${how}`,
      value: (1000 * [...r.threads.values()].reduce((a, b) => a + b, 0)) / pairs,
      unit: 'ms CPU',
      note: top,
    },
  ];
  rows.push(...profileRows(r.profiles, `${pairs} pairs${how}`, 8));
  return rows;
}

export default async function (): Promise<BenchRow[]> {
  const app = await previewApp();
  const rows: BenchRow[] = [];
  try {
    for (const pairs of SIZES) rows.push(...rowsOf(await measureBarePageRun(pairs, 4, app), ''));
    const first = SIZES[0];
    if (first !== undefined) {
      rows.push(...rowsOf(await measurePageRun(first, 4, app, 5_000), ', under Playwright'));
    }
  } finally {
    app.close();
  }
  return rows;
}
