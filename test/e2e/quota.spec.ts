// The browser's storage filling up mid-run: Chromium's own quota for the origin is set to a few
// pairs' worth (DevTools' Storage.overrideQuotaForOrigin), so the worker's writes fail part way
// as they would on a full disk. The run pauses with the quota message, what was stored stays,
// and once space is given back the run resumes to its target.
import { expect, test } from '@playwright/test';
import type { FixtureServer } from '../fixtures/openaiServer';
import { scriptedEndpoint } from '../fixtures/scriptedEndpoint';
import { setUpEndpointRun } from './endpointRun';
import { storedDatasets, type StoredDataset } from './storedRuns';

const TARGET = 40;
/** Bytes of storage for the site: its boot and a dozen or so pairs. */
const QUOTA = 120_000;

/** A pseudo-random unit-scale vector per axis: far from every other axis's, and incompressible. */
function denseVector(axis: number, dim: number): number[] {
  let state = (axis + 1) * 2654435761;
  return Array.from({ length: dim }, () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 31 - 1;
  });
}

let server: FixtureServer | undefined;
test.afterEach(async () => {
  await server?.close();
  server = undefined;
});

test('a run that fills the storage quota pauses with the quota message, keeps what it wrote, and finishes once space is freed', async ({
  page,
  baseURL,
}) => {
  test.setTimeout(180_000);
  let baits = 0;
  server = await scriptedEndpoint({
    // Wide, dense embeddings: every stored question costs real bytes, as the real ones do.
    dim: 384,
    embedding: (axis, dim) => denseVector(axis, dim),
    chat: async (prompt) => {
      // Slow enough that the quota can be lowered while the run is still far from its target.
      await new Promise((r) => setTimeout(r, 40));
      return prompt.includes('step by step')
        ? 'Add them.\n\n#### Answer: 12'
        : `A shelf holds ${++baits} jars and 11 more are added. How many jars are on the shelf?`;
    },
  });
  const origin = new URL(baseURL!).origin;
  const cdp = await page.context().newCDPSession(page);
  // Chromium applies a quota override to database connections opened after it, so the small
  // disk is in place before the app opens its database: room for a few pairs, not the target.
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: QUOTA });

  await setUpEndpointRun(page, server.baseUrl, TARGET, 'tiny');
  await page.getByRole('button', { name: 'Start run' }).click();
  const status = page.getByTestId('run-status');
  await expect(status).toHaveText('paused', { timeout: 90_000 });
  await expect(page.getByText('The browser storage for this site is full.')).toBeVisible();
  await expect(page.getByText(/Free some space/)).toBeVisible();

  const atPause: StoredDataset = (await storedDatasets(page))[0]!;
  expect(atPause.pairs.length).toBeGreaterThanOrEqual(1);
  expect(atPause.pairs.length).toBeLessThan(TARGET);

  // Space is freed: the override is lifted, and Resume carries on where the run stopped.
  await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(status).toHaveText('done', { timeout: 120_000 });
  await expect(page.getByRole('status').filter({ hasText: 'Target reached' })).toBeVisible();

  const [finished] = await storedDatasets(page);
  expect(finished!.pairs).toHaveLength(TARGET);
  // Nothing written before the pause was lost or rewritten.
  for (const pair of atPause.pairs) expect(finished!.pairs).toContainEqual(pair);
  for (const question of atPause.questions) expect(finished!.questions).toContainEqual(question);
  for (const sample of atPause.samples) expect(finished!.samples).toContainEqual(sample);
});
