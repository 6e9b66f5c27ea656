// The bench page (bench/pages/pipeline.html), built as the app is built and served as a static
// host serves it: the pipeline worker with an instant scripted engine, the app's store and
// exporter, in Debian's Chromium.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { build, preview } from 'vite';
import { CONTENT_SECURITY_POLICY } from '../src/csp';

/** The build, with source maps so a profile names functions as written. */
export const BENCH_PAGES_DIR = 'node_modules/.crescent-bench-pages';

export interface BenchHost {
  url: string;
  close(): Promise<void>;
}

/** Builds once per process; BENCH_NO_BUILD reuses the last build. */
let built = false;
async function buildPages(): Promise<void> {
  if (built || process.env.BENCH_NO_BUILD) return;
  await build({
    configFile: false,
    base: './',
    logLevel: 'error',
    plugins: [svelte()],
    worker: { format: 'es' },
    build: {
      outDir: BENCH_PAGES_DIR,
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: true,
      rollupOptions: { input: 'bench/pages/pipeline.html' },
    },
  });
  built = true;
}

export async function serveBenchPage(port: number): Promise<BenchHost> {
  await buildPages();
  const server = await preview({
    configFile: false,
    base: './',
    logLevel: 'error',
    build: { outDir: BENCH_PAGES_DIR },
    preview: {
      host: '127.0.0.1',
      port,
      strictPort: true,
      headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
    },
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => server.close(),
  };
}

export function benchPageUrl(host: BenchHost, query = ''): string {
  return `${host.url}/bench/pages/pipeline.html${query}`;
}

/** Opens the page and waits until its harness is there. */
export async function openBenchPage(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => window.bench?.ready === true, null, { timeout: 60_000 });
}

/**
 * CPU seconds of every process of the browser started with this profile, by process type
 * (browser, renderer, gpu-process, utility): IndexedDB lives in the browser process, not in the
 * renderer whose threads chromiumThreads reads.
 */
export function processTimes(profile: string): Map<string, number> {
  const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const byType = new Map<string, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    let stat: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    if (!cmdline.includes(profile)) continue;
    const type = /--type=([a-z-]+)/.exec(cmdline)?.[1] ?? 'browser';
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const seconds = (Number(fields[11]) + Number(fields[12])) / ticks;
    byType.set(type, (byType.get(type) ?? 0) + seconds);
  }
  return byType;
}
