// The page over a scripted pipeline: what it shows for worker events no test machine can make
// for real (a model download with its bytes and time left, a database the browser refused).
import { expect, test, type Page } from '@playwright/test';
import type { PipelineEvent } from '../../src/lib/worker/protocol';

const PAGE = '/test/e2e/pages/app-scripted.html';

async function emit(page: Page, event: PipelineEvent) {
  await page.evaluate((e) => window.scripted.emit(e), event);
}

test('the load panel shows each loading step with its percent, bytes, time left and cache origin', async ({
  page,
}) => {
  await page.goto(PAGE);
  await page.getByRole('button', { name: 'Start run' }).click();
  await expect(page.getByRole('heading', { name: 'Starting the run' })).toBeVisible();
  await emit(page, { type: 'status', runId: 'scripted-run', status: 'loading' });
  await emit(page, {
    type: 'load',
    progress: {
      phase: 'fetching',
      fraction: 0.25,
      text: 'Fetching param cache[5/20]: 250MB fetched.',
      bytesLoaded: 250 * 1024 * 1024,
      bytesTotal: 1000 * 1024 * 1024,
      etaSeconds: 200,
    },
  });
  const panel = page.getByRole('region', { name: 'Downloading the model' });
  await expect(panel.getByText('25%', { exact: true })).toBeVisible();
  await expect(panel.getByText('250 MB of 1000 MB')).toBeVisible();
  await expect(panel.getByText('about 3 min 20 s left')).toBeVisible();
  await expect(panel.getByText('Fetching param cache[5/20]: 250MB fetched.')).toBeVisible();
  await expect(panel.getByText('from cache')).toHaveCount(0);
  await expect(panel.getByRole('progressbar')).toBeVisible();
  await page.screenshot({ path: '/tmp/ui-load-fetching.png', fullPage: true });

  await emit(page, {
    type: 'load',
    progress: { phase: 'loading', fraction: 0.9, text: 'Loading onto the GPU', fromCache: true },
  });
  const loading = page.getByRole('region', { name: 'Loading the model onto the GPU' });
  await expect(loading.getByText('from cache')).toBeVisible();
  await expect(loading.getByText('90%', { exact: true })).toBeVisible();
  await expect(loading.getByText(/ of /)).toHaveCount(0);
  await page.screenshot({ path: '/tmp/ui-load-cache.png', fullPage: true });

  await emit(page, { type: 'status', runId: 'scripted-run', status: 'running' });
  await expect(page.getByRole('region', { name: /Loading the model/ })).toHaveCount(0);
});

test('a run kept in memory only says so, and still runs', async ({ page }) => {
  await page.goto(PAGE);
  await page.getByRole('button', { name: 'Start run' }).click();
  await emit(page, {
    type: 'error',
    runId: 'scripted-run',
    error: {
      code: 'storage',
      message:
        'The browser does not let this site keep a database in this window: private browsing, or site data blocked in its settings (InvalidStateError: A mutation operation was attempted on a database that did not allow mutations). This run is kept in memory only and is lost when the tab closes.',
    },
  });
  await emit(page, { type: 'status', runId: 'scripted-run', status: 'running' });
  const notice = page.getByRole('alert').filter({ hasText: 'Kept in memory only' });
  await expect(notice.getByText('lost when the tab closes')).toBeVisible();
  await expect(page.getByTestId('run-status')).toHaveText('running');
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await page.screenshot({ path: '/tmp/ui-memory-only.png', fullPage: true });
});

test('the run says where the model runs, past the embedder loading after it', async ({ page }) => {
  await page.goto(PAGE);
  await page.getByRole('button', { name: 'Start run' }).click();
  const fallback =
    'on one CPU thread: llama.cpp found no WebGPU device it could use here, so nothing runs on the GPU';
  await emit(page, {
    type: 'load',
    progress: { phase: 'ready', fraction: 1, text: `m is ready, ${fallback}`, place: fallback },
  });
  await emit(page, { type: 'load', progress: { phase: 'embedder', fraction: 0.5, text: 'e' } });
  await emit(page, { type: 'status', runId: 'scripted-run', status: 'running' });
  await expect(page.getByTestId('engine-place')).toHaveText(`Runs ${fallback}.`);
  const dir = process.env.PLACE_SHOTS;
  if (dir) {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 700 });
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        await page.screenshot({ path: `${dir}/place-${width}-${colorScheme}.png` });
      }
    }
  }
});
