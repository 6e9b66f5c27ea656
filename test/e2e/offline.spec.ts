// Offline after the first visit: the built app (its service worker needs the production build)
// is visited once, then the network is cut; the page still opens, browses, filters and exports.
import { expect, test, type Page } from '@playwright/test';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { appendFile, readFile, readdir, rm } from 'node:fs/promises';
import type { FixtureServer } from '../fixtures/openaiServer';
import { scriptedEndpoint } from '../fixtures/scriptedEndpoint';
import { setUpEndpointRun } from './endpointRun';

const OUT = '.cache/e2e-pwa-dist';
const PORT = Number(process.env.E2E_PORT ?? 5179) + 211;
const URL_ = `http://127.0.0.1:${PORT}/`;
let preview: ChildProcess | undefined;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  await rm(OUT, { recursive: true, force: true });
  execFileSync('npx', ['vite', 'build', '--outDir', OUT, '--logLevel', 'warn'], {
    stdio: 'inherit',
  });
  preview = spawn(
    'npx',
    [
      'vite',
      'preview',
      '--outDir',
      OUT,
      '--host',
      '127.0.0.1',
      '--port',
      String(PORT),
      '--strictPort',
    ],
    { stdio: 'ignore', detached: true },
  );
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(URL_)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 300) throw new Error(`vite preview did not answer on ${URL_}`);
    await new Promise((r) => setTimeout(r, 100));
  }
});

let server: FixtureServer | undefined;
test.afterEach(async () => {
  await server?.close();
  server = undefined;
});

test.afterAll(async () => {
  if (preview?.pid) process.kill(-preview.pid);
  await rm(OUT, { recursive: true, force: true });
});

/** The first visit: the service worker installs with the app shell precached, then controls the reload. */
async function visitUntilControlled(page: Page): Promise<void> {
  await page.goto(URL_);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await expect
    .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null))
    .toBe(true);
}

const lines = [1, 2, 3]
  .map((i) =>
    JSON.stringify({
      question: `Offline question ${i}: how many pears are in ${i} boxes of 6?`,
      answer_text: `${i} boxes of 6.\n#### Answer: ${6 * i}`,
      final_answer: String(6 * i),
    }),
  )
  .join('\n');

test('a visited page opens, browses, filters and exports with the network off', async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  await visitUntilControlled(page);
  await expect(page.getByRole('link', { name: /Nothing leaves your browser/ })).toBeVisible();

  await page.getByRole('tab', { name: 'Export & import' }).click();
  await page.getByLabel('JSONL file').setInputFiles({
    name: 'pears.jsonl',
    mimeType: 'application/jsonl',
    buffer: Buffer.from(lines),
  });
  await page.getByRole('button', { name: 'Import 3 pairs' }).click();
  await expect(page.getByText('Imported 3 pairs')).toBeVisible();

  await context.setOffline(true);
  const cut = await page.evaluate(
    (u) =>
      fetch(`${u}not-cached-${Date.now()}.json`).then(
        () => 'answered',
        () => 'failed',
      ),
    URL_,
  );
  expect(cut).toBe('failed');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Crescent Web' })).toBeVisible();
  await page.getByRole('tab', { name: /Runs & data/ }).click();
  await expect(page.getByText('Showing 3 of 3 pairs.')).toBeVisible();
  await page.getByLabel('Search').fill('2 boxes');
  await expect(page.getByText('Showing 1 of 3 pairs.')).toBeVisible();
  await page.getByLabel('Search').fill('');

  await page.getByRole('tab', { name: 'Export & import' }).click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: /^Download JSONL/ }).click(),
  ]);
  const text = await readFile((await download.path())!, 'utf8');
  expect(text.trim().split('\n')).toHaveLength(3);
  expect(text).toContain('Offline question 2');
});

test('the pipeline worker starts without web-llm or transformers.js, which load only for a run that uses them', async () => {
  const assets = await readdir(`${OUT}/assets`);
  const entry = assets.find((name) => /^pipeline\.worker-.*\.js$/.test(name));
  expect(entry).toBeDefined();
  const code = await readFile(`${OUT}/assets/${entry}`, 'utf8');
  // What loads with the worker, the entry and every chunk it imports statically, is small.
  const staticImports = (text: string) =>
    [...text.matchAll(/\bfrom\s*["'`]\.\/([^"'`]+)["'`]/g)].map((m) => m[1] ?? '');
  const eager = new Map<string, string>([[entry!, code]]);
  for (const [, text] of eager) {
    for (const name of staticImports(text)) {
      if (!eager.has(name)) eager.set(name, await readFile(`${OUT}/assets/${name}`, 'utf8'));
    }
  }
  const eagerBytes = [...eager.values()].reduce((sum, text) => sum + text.length, 0);
  expect(eagerBytes).toBeLessThan(1_000_000);
  const lazy = [...code.matchAll(/import\(\s*["'`]\.\/([^"'`]+)["'`]/g)].map((m) => m[1] ?? '');
  const sizes = await Promise.all(
    [...new Set(lazy)].map(async (name) => (await readFile(`${OUT}/assets/${name}`)).length),
  );
  // web-llm's chunk is megabytes: it is among those loaded on demand.
  expect(Math.max(...sizes)).toBeGreaterThan(2_000_000);
});

test('the service worker makes a visited page and its pipeline worker cross-origin isolated, so threads exist', async ({
  page,
}) => {
  test.setTimeout(120_000);
  // The first visit comes from the host, which sends no isolation headers here.
  await page.goto(URL_);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  await visitUntilControlled(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('function');
  // The pipeline worker, where llama.cpp and onnxruntime start their threads, is isolated too.
  await expect
    .poll(() => page.workers().some((w) => w.url().includes('pipeline.worker')))
    .toBe(true);
  const pipeline = page.workers().find((w) => w.url().includes('pipeline.worker'))!;
  expect(await pipeline.evaluate(() => crossOriginIsolated)).toBe(true);
  // What the service worker served carries the headers (the host's own response did not).
  const headers = await page.evaluate(async () => {
    const response = await fetch(location.href);
    return {
      coop: response.headers.get('Cross-Origin-Opener-Policy'),
      coep: response.headers.get('Cross-Origin-Embedder-Policy'),
    };
  });
  expect(headers).toEqual({ coop: 'same-origin', coep: 'require-corp' });
  const fromHost = await fetch(URL_);
  expect(fromHost.headers.get('Cross-Origin-Embedder-Policy')).toBeNull();
});

/** A deploy: the service worker script changes, and the page looks for it at once. */
async function deploy(page: Page): Promise<void> {
  await appendFile(`${OUT}/sw.js`, `\n// next version ${Date.now()}\n`);
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    await registration?.update();
  });
}

test('a new version is offered in a notice and applied only when the user reloads into it', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await visitUntilControlled(page);
  await expect(page.getByTestId('update-notice')).toHaveCount(0);

  // A deploy: the new service worker installs and waits.
  await deploy(page);
  const notice = page.getByTestId('update-notice');
  await expect(notice).toContainText('A new version of Crescent Web is ready.', {
    timeout: 30_000,
  });
  const waiting = () =>
    page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting !== null);
  expect(await waiting()).toBe(true);
  const dir = process.env.OFFLINE_SHOTS;
  if (dir) {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 700 });
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        await page.screenshot({ path: `${dir}/update-${width}-${colorScheme}.png` });
      }
    }
  }

  await notice.getByRole('button', { name: 'Reload to update' }).click();
  await expect(page.getByTestId('update-notice')).toHaveCount(0, { timeout: 30_000 });
  await expect.poll(waiting).toBe(false);
  await expect(page.getByRole('heading', { name: 'Crescent Web' })).toBeVisible();
});

test('an update arriving mid-run, even one applied in another tab, never reloads the running tab', async ({
  page,
  context,
}) => {
  test.setTimeout(150_000);
  let baits = 0;
  // From the third request on, replies wait until the test lets them go: the run is surely
  // still going while the update arrives and is applied elsewhere.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  server = await scriptedEndpoint({
    chat: async (prompt, n) => {
      if (n >= 3) await held;
      return prompt.includes('step by step')
        ? 'Count.\n\n#### Answer: 9'
        : `A crate holds ${++baits} melons and 8 more arrive. How many melons are there?`;
    },
  });
  await visitUntilControlled(page);
  await setUpEndpointRun(page, server.baseUrl, 4, 'tiny', URL_);
  await page.getByRole('button', { name: 'Start run' }).click();
  const status = page.getByTestId('run-status');
  await expect(status).toHaveText('running', { timeout: 30_000 });
  // Set on this document only: a reload would lose it.
  await page.evaluate(() => Object.assign(window, { sameDocument: true }));

  await deploy(page);
  const notice = page.getByTestId('update-notice');
  await expect(notice).toContainText('It will be offered again once the run in this tab stops.', {
    timeout: 30_000,
  });
  await expect(notice.getByRole('button', { name: 'Reload to update' })).toHaveCount(0);

  // A second tab with no run takes the update; the new version now controls both tabs.
  const other = await context.newPage();
  await other.goto(URL_);
  // The tab that asked reloads into the new version.
  await Promise.all([
    other.waitForEvent('load', { timeout: 30_000 }),
    other
      .getByTestId('update-notice')
      .getByRole('button', { name: 'Reload to update' })
      .click({ timeout: 30_000 }),
  ]);
  await expect
    .poll(() =>
      other.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting),
    )
    .toBeNull();

  const sameDocument = () =>
    page.evaluate(() => (window as { sameDocument?: boolean }).sameDocument === true);
  expect(await sameDocument()).toBe(true);
  await expect(status).toHaveText('running');

  release();
  await expect(status).toHaveText('done', { timeout: 90_000 });
  await expect(page.getByRole('status').filter({ hasText: 'Target reached' })).toBeVisible();
  expect(await sameDocument()).toBe(true);
  // Once the run stopped, this tab is offered the reload into the new version.
  await expect(notice.getByRole('button', { name: 'Reload to update' })).toBeVisible();
});
