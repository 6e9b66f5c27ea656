// A whole run of the built app in Debian's Chromium, started through a recipe link against a
// loopback server that answers at once, so every millisecond measured is the app's own: CPU of
// the page's main thread and of the pipeline worker per pair, read from /proc.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { chromiumArgs } from '../playwright.config';
import { defaultRecipe } from '../src/lib/recipe/defaults';
import type { Recipe } from '../src/lib/recipe/types';
import {
  dedicatedWorkersBetween,
  pageMainBetween,
  sharedWorkersBetween,
  spentBetween,
  threadTimes,
  type ThreadTimes,
} from './chromiumThreads';
import { profileThreads, type ThreadProfile } from './traceProfile';
import { startInstantServer, type InstantServer } from './instantServer';
import { openBarePage } from './bareChromium';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface PageRunResult {
  pairs: number;
  seconds: number;
  /** Sampled mid-run when asked for. */
  profiles: ThreadProfile[];
  /** CPU seconds by thread name over the run, renderer threads only. */
  threads: Map<string, number>;
  /** The page's own main thread (not the service worker's renderer, nor a page left before). */
  mainSeconds: number;
  /** The pipeline worker: the busiest dedicated worker thread. */
  workerSeconds: number;
  /** Other dedicated workers (the question map's projection). */
  otherWorkerSeconds: number;
  /** The fetch relay that makes the endpoint's requests for the pipeline worker. */
  relaySeconds: number;
}

/** Builds the app once per process (vite build), unless BENCH_NO_BUILD is set. */
let built = false;
export function buildApp(): void {
  if (built || (process.env.BENCH_NO_BUILD && existsSync('dist/index.html'))) return;
  // Source maps let the profile name functions as written.
  // NODE_ENV set: a Vite server started earlier in this process leaves it 'development'.
  const r = spawnSync('npx', ['vite', 'build', '--sourcemap', '--logLevel', 'error'], {
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (r.status !== 0) throw new Error('vite build failed');
  built = true;
}

export interface AppHost {
  url: string;
  close(): void;
}

/**
 * `vite preview` of the built app on a loopback port. BENCH_DIST serves another build instead
 * (an earlier version's, to compare).
 */
export async function previewApp(port = 4199): Promise<AppHost> {
  const dist = process.env.BENCH_DIST;
  if (!dist) buildApp();
  const child: ChildProcess = spawn(
    'npx',
    [
      'vite',
      'preview',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--strictPort',
      ...(dist ? ['--outDir', dist] : []),
    ],
    { stdio: 'ignore', detached: true },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    close: () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    },
  };
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  profile: string;
  close(): Promise<void>;
}

export async function openBrowser(): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'crescent-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: chromiumArgs,
    headless: true,
    viewport: { width: 1280, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    profile,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export function endpointRecipe(server: InstantServer, pairs: number, concurrency: number): Recipe {
  return {
    ...defaultRecipe(),
    engine: { kind: 'openai', baseUrl: server.baseUrl, model: 'instant', concurrency },
    embedder: { kind: 'openai', baseUrl: server.baseUrl, model: 'embed' },
    targetQuestions: pairs,
    votes: 3,
    saturationWindow: 100_000,
    proposalBudget: 10 * pairs,
  };
}

/**
 * Starts the run from the recipe link and waits for "Target reached"; with `profileAfterMs`,
 * samples every thread for 5 s from then on (the run must last that long).
 */
export async function runThroughPage(
  session: BrowserSession,
  app: AppHost,
  recipe: Recipe,
  timeoutMs: number,
  profileAfterMs?: number,
): Promise<{
  seconds: number;
  before: ThreadTimes;
  after: ThreadTimes;
  profiles: ThreadProfile[];
}> {
  const { page, profile } = session;
  // A returning visitor: the service worker installed on an earlier visit controls the page, so
  // its install (precaching the app) is not counted and its routing of requests is.
  await page.goto(`${app.url}/`);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.goto(`${app.url}/#recipe=${encodeURIComponent(JSON.stringify(recipe))}`);
  await page.reload();
  if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null)))
    throw new Error('The service worker does not control the page');
  const start = page.getByRole('button', { name: 'Start run' });
  await start.waitFor({ timeout: 30_000 });
  const before = threadTimes(profile);
  const t0 = performance.now();
  await start.click();
  const profiling =
    profileAfterMs === undefined
      ? Promise.resolve([])
      : new Promise<void>((resolve) => setTimeout(resolve, profileAfterMs)).then(() =>
          profileThreads(session.context, page, 5_000, process.env.BENCH_DIST ?? 'dist'),
        );
  await page
    .getByRole('status')
    .filter({ hasText: 'Target reached' })
    .first()
    .waitFor({ timeout: timeoutMs });
  const seconds = (performance.now() - t0) / 1000;
  const after = threadTimes(profile);
  const profiles = await profiling;
  return { seconds, before, after, profiles };
}

/** What the run's threads spent between the two readings, as the benches report it. */
function resultOf(
  pairs: number,
  seconds: number,
  before: ThreadTimes,
  after: ThreadTimes,
  profiles: ThreadProfile[],
): PageRunResult {
  const workers = dedicatedWorkersBetween(before, after);
  return {
    pairs,
    seconds,
    profiles,
    threads: spentBetween(before, after),
    mainSeconds: pageMainBetween(before, after),
    workerSeconds: workers[0] ?? 0,
    otherWorkerSeconds: workers.slice(1).reduce((sum, s) => sum + s, 0),
    relaySeconds: sharedWorkersBetween(before, after),
  };
}

export async function measurePageRun(
  pairs: number,
  concurrency: number,
  app: AppHost,
  profileAfterMs?: number,
): Promise<PageRunResult> {
  const server = await startInstantServer();
  const session = await openBrowser();
  try {
    const recipe = endpointRecipe(server, pairs, concurrency);
    const { seconds, before, after, profiles } = await runThroughPage(
      session,
      app,
      recipe,
      40 * 60_000,
      profileAfterMs,
    );
    return resultOf(pairs, seconds, before, after, profiles);
  } finally {
    await session.close();
    await server.close();
  }
}

/**
 * The same run with no Playwright attached (bench/bareChromium.ts): the page opened, its service
 * worker awaited, the recipe link loaded under it, and Start pressed with a mouse click at the
 * button, so the pointer rests where it rests after a user's click. CPU per thread as above.
 */
export async function measureBarePageRun(
  pairs: number,
  concurrency: number,
  app: AppHost,
): Promise<PageRunResult> {
  const server = await startInstantServer();
  const page = await openBarePage(CHROMIUM);
  try {
    const recipe = endpointRecipe(server, pairs, concurrency);
    await page.goto(`${app.url}/`);
    await page.evaluate('navigator.serviceWorker.ready.then(() => true)');
    await page.goto(`${app.url}/#recipe=${encodeURIComponent(JSON.stringify(recipe))}`);
    await page.evaluate('location.reload()');
    const at = await page.poll<{ x: number; y: number }>(
      `(() => {
        if (!navigator.serviceWorker.controller) return null;
        const button = [...document.querySelectorAll('button')].find(
          (b) => b.textContent.trim() === 'Start run' && !b.disabled);
        if (!button) return null;
        const box = button.getBoundingClientRect();
        return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
      })()`,
      100,
      30_000,
    );
    const before = threadTimes(page.profile);
    const t0 = performance.now();
    await page.click(at.x, at.y);
    // One look a second: about 0.1 ms of the main thread's time per look.
    await page.poll<boolean>(
      `[...document.querySelectorAll('[role=status]')].some(
        (e) => e.textContent.includes('Target reached'))`,
      1_000,
      40 * 60_000,
    );
    const seconds = (performance.now() - t0) / 1000;
    return resultOf(pairs, seconds, before, threadTimes(page.profile), []);
  } finally {
    await page.close();
    await server.close();
  }
}
