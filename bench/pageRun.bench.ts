// What a run costs the browser besides the model: the built app in Chromium against a server that
// answers at once, CPU of the page's main thread and of the pipeline worker per pair, at 1,000
// and 10,000 pairs (BENCH_PAGE_PAIRS=300,1000 for a quicker look).
import type { BenchRow } from '../scripts/bench';
import { measurePageRun, previewApp } from './pageRun';

const SIZES = (process.env.BENCH_PAGE_PAIRS ?? '1000,10000').split(',').map(Number);

export default async function (): Promise<BenchRow[]> {
  const app = await previewApp();
  const rows: BenchRow[] = [];
  try {
    for (const pairs of SIZES) {
      const r = await measurePageRun(pairs, 4, app);
      const top = [...r.threads]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([name, s]) => `${name} ${s.toFixed(1)} s`)
        .join(', ');
      rows.push({
        name: `page main thread per pair, ${pairs} pairs`,
        value: (1000 * r.mainSeconds) / pairs,
        unit: 'ms CPU',
        note: `busy ${((100 * r.mainSeconds) / r.seconds).toFixed(0)}% of ${r.seconds.toFixed(0)} s`,
      });
      rows.push({
        name: `pipeline worker per pair, ${pairs} pairs`,
        value: (1000 * r.workerSeconds) / pairs,
        unit: 'ms CPU',
        note: `busy ${((100 * r.workerSeconds) / r.seconds).toFixed(0)}%`,
      });
      rows.push({
        name: `all renderer threads per pair, ${pairs} pairs`,
        value: (1000 * [...r.threads.values()].reduce((a, b) => a + b, 0)) / pairs,
        unit: 'ms CPU',
        note: top,
      });
    }
  } finally {
    app.close();
  }
  return rows;
}
