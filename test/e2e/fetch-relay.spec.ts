// The endpoint's requests during a run are made by the tab's fetch relay (a shared worker), so
// Chromium has none of the pipeline worker's requests to report to the page's main thread; where
// a browser has no shared workers, the pipeline worker makes them itself and the run is the same.
import { expect, test, type Page } from '@playwright/test';
import type { FixtureServer } from '../fixtures/openaiServer';
import { scriptedEndpoint } from '../fixtures/scriptedEndpoint';
import { setUpEndpointRun } from './endpointRun';

const servers: FixtureServer[] = [];
test.afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function startServer(): Promise<FixtureServer> {
  let baits = 0;
  const server = await scriptedEndpoint({
    models: ['tiny-math'],
    dim: 16,
    chat: (prompt) =>
      prompt.includes('step by step')
        ? 'Add them.\n\n#### Answer: 9'
        : `A shop has ${++baits} boxes and gets 8 more. How many boxes are there?`,
  });
  servers.push(server);
  return server;
}

/** Runs four questions against the server and returns how many chat and embedding posts it got. */
async function runFour(page: Page, server: FixtureServer): Promise<number> {
  await setUpEndpointRun(page, server.baseUrl, 4);
  await page.getByRole('button', { name: 'Start run' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 60_000 });
  return server.requests.filter((r) => r.method === 'POST').length;
}

/** Requests to `origin` in the pipeline worker's own resource timing. */
async function pipelineRequestsTo(page: Page, origin: string): Promise<number> {
  const pipeline = page.workers().find((w) => w.url().includes('pipeline.worker'));
  if (!pipeline) throw new Error('no pipeline worker');
  return pipeline.evaluate(
    (from) =>
      performance.getEntriesByType('resource').filter((entry) => entry.name.startsWith(from))
        .length,
    origin,
  );
}

test("a run's endpoint requests go out through the relay, not the pipeline worker", async ({
  page,
}) => {
  const server = await startServer();
  const posts = await runFour(page, server);
  expect(posts).toBeGreaterThan(5);
  expect(await pipelineRequestsTo(page, new URL(server.baseUrl).origin)).toBe(0);
});

test('without shared workers the pipeline worker makes the requests itself', async ({ page }) => {
  await page.addInitScript(() => {
    Reflect.deleteProperty(globalThis, 'SharedWorker');
  });
  const server = await startServer();
  const posts = await runFour(page, server);
  expect(posts).toBeGreaterThan(5);
  expect(await pipelineRequestsTo(page, new URL(server.baseUrl).origin)).toBe(posts);
});
