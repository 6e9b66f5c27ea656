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
    for (const [i, pairs] of SIZES.entries()) {
      // The first size is also sampled for 5 s mid-run, to say where the time goes.
      const r = await measurePageRun(pairs, 4, app, i === 0 ? 5_000 : undefined);
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
        note: `busy ${((100 * r.workerSeconds) / r.seconds).toFixed(0)}%; the map's projection worker ${r.otherWorkerSeconds.toFixed(1)} s`,
      });
      rows.push({
        name: `all renderer threads per pair, ${pairs} pairs`,
        value: (1000 * [...r.threads.values()].reduce((a, b) => a + b, 0)) / pairs,
        unit: 'ms CPU',
        note: top,
      });
      for (const p of r.profiles) {
        const busy = p.top.filter(([name]) => !/^\((idle|program)\)/.test(name));
        if (busy.length === 0) continue;
        rows.push({
          name: `  where ${p.thread} spends 5 s, ${pairs} pairs`,
          value: busy.reduce((sum, [, ms]) => sum + ms, 0),
          unit: 'ms in JS',
          note: p.top
            .slice(0, 8)
            .map(([name, ms]) => `${name} ${ms.toFixed(0)}`)
            .join('; '),
        });
      }
    }
  } finally {
    app.close();
  }
  return rows;
}
