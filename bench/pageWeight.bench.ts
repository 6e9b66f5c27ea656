// What the first page costs: the JavaScript and CSS its HTML loads before the first render, and
// everything a first visit fetches before anything is chosen (the pipeline worker, the model
// catalog), gzip as a static host would send it; and the time to first paint in Debian's
// Chromium, each first visit in a fresh profile.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { BenchRow } from '../scripts/bench';
import { openBrowser, previewApp } from './pageRun';

const VISITS = 5;
/** Where the first page's assets must stay as features arrive lazily. */
const BUDGET_KB = 150;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

export default async function (): Promise<BenchRow[]> {
  const app = await previewApp(4198);
  const dist = process.env.BENCH_DIST ?? 'dist';
  const paints: number[] = [];
  const loaded = new Map<string, 'js' | 'css'>();
  try {
    for (let visit = 0; visit < VISITS; visit++) {
      const session = await openBrowser();
      try {
        const seen = new Set<string>();
        // The page and its workers; the service worker's precache downloads are not the page's.
        session.context.on('request', (request) => {
          if (request.serviceWorker()) return;
          const path = new URL(request.url()).pathname;
          if (/\.(m?js|css)$/.test(path)) seen.add(path);
        });
        await session.page.goto(`${app.url}/`, { waitUntil: 'networkidle' });
        await session.page.getByRole('button', { name: 'Start run' }).waitFor();
        const fcp = await session.page.evaluate(
          () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
        );
        paints.push(fcp);
        if (visit === 0)
          for (const path of seen) loaded.set(path, path.endsWith('.css') ? 'css' : 'js');
      } finally {
        await session.close();
      }
    }
  } finally {
    app.close();
  }
  const gzipOf = (path: string) => gzipSync(readFileSync(`${dist}${path}`)).length;
  // What index.html names: the entry script, its preloaded imports and the stylesheet.
  const html = readFileSync(`${dist}/index.html`, 'utf8');
  const initial = [...html.matchAll(/(?:src|href)="\.(\/assets\/[^"]+\.(?:js|css))"/g)].map(
    (m) => m[1] ?? '',
  );
  const gzip = { js: 0, css: 0 };
  for (const path of initial) gzip[path.endsWith('.css') ? 'css' : 'js'] += gzipOf(path);
  const later = [...loaded.keys()].filter((path) => !initial.includes(path));
  const laterSizes = later.map((path) => [path.split('/').pop() ?? path, gzipOf(path)] as const);
  const laterTotal = laterSizes.reduce((sum, [, n]) => sum + n, 0);
  const kb = (n: number) => n / 1000;
  return [
    {
      name: 'first page JS + CSS before first render, gzip',
      value: kb(gzip.js + gzip.css),
      unit: 'KB',
      note: `JS ${kb(gzip.js).toFixed(1)} + CSS ${kb(gzip.css).toFixed(1)} KB in ${initial.length} files; budget ${BUDGET_KB} KB`,
    },
    {
      name: 'fetched after it on a first visit, gzip',
      value: kb(laterTotal),
      unit: 'KB',
      note: laterSizes
        .sort((a, b) => b[1] - a[1])
        .map(([name, n]) => `${name} ${kb(n).toFixed(0)}`)
        .join(', '),
    },
    {
      name: 'first contentful paint, first visit',
      value: median(paints),
      unit: 'ms',
      note: `median of ${VISITS} fresh profiles, min ${Math.min(...paints).toFixed(0)}, max ${Math.max(...paints).toFixed(0)}; vite preview on loopback`,
    },
  ];
}
