// The pipeline worker in a real browser: module worker, comlink, IndexedDB, Web Locks and
// BroadcastChannel, with the scripted test doubles standing in for the models.
import { expect, test, type Page } from '@playwright/test';
import type { EmbedderSpec, EngineSpec } from '../../src/lib/recipe/types';

const PAGE = '/test/e2e/pages/worker.html';

async function openPage(page: Page): Promise<void> {
  await page.goto(PAGE);
  await page.waitForFunction(() => window.crescent?.ready === true);
}

test('a run started through the client reaches its target, reports progress and is stored in IndexedDB', async ({
  page,
}) => {
  await openPage(page);
  const runId = await page.evaluate(() => window.crescent.runToEnd({ targetQuestions: 3 }));

  const events = await page.evaluate(() => window.crescent.events);
  const statuses = events.flatMap((e) => (e.type === 'status' ? [e.status] : []));
  expect(statuses).toEqual(['loading', 'running', 'done']);
  const progress = events.flatMap((e) => (e.type === 'progress' ? [e.progress] : []));
  expect(progress.length).toBeGreaterThan(0);
  expect(progress.at(-1)?.pairs).toBe(3);
  expect(events.filter((e) => e.type === 'load').map((e) => e.progress.phase)).toEqual([
    'loading',
    'embedder',
    'ready',
  ]);

  const stored = await page.evaluate((id) => window.crescent.stored(id), runId);
  expect(stored.status).toBe('done');
  expect(stored.pairs).toBe(3);
  expect(stored.stats?.pairs).toBe(3);
  expect(stored.questions).toBeGreaterThanOrEqual(3);
});

test('errors thrown in the worker arrive as CrescentErrors with their code', async ({ page }) => {
  await openPage(page);
  expect(await page.evaluate(() => window.crescent.attemptStart({ votes: 0 }))).toMatchObject({
    isCrescentError: true,
    name: 'CrescentError',
    code: 'invalid-recipe',
  });
  expect(await page.evaluate(() => window.crescent.attemptDelete('crescent-error'))).toEqual({
    isCrescentError: true,
    name: 'CrescentError',
    code: 'quota-exceeded',
    message: 'The browser storage for this site is full.',
    action: 'Free some space, then resume the run.',
  });
  expect(await page.evaluate(() => window.crescent.attemptDelete('some-model'))).toMatchObject({
    isCrescentError: true,
    code: 'internal',
    message: 'Cannot delete some-model',
  });
  expect(await page.evaluate(() => window.crescent.attemptResume('no-such-run'))).toMatchObject({
    isCrescentError: true,
    code: 'storage',
  });
});

test('a failure inside the worker that nobody awaits still reaches the page as an error event', async ({
  page,
}) => {
  await openPage(page);
  expect(await page.evaluate(() => window.crescent.attemptDelete('stray-rejection'))).toBeNull();
  await page.waitForFunction(() => window.crescent.events.some((e) => e.type === 'error'));
  const errors = await page.evaluate(() =>
    window.crescent.events.filter((e) => e.type === 'error'),
  );
  expect(errors).toEqual([
    {
      type: 'error',
      runId: null,
      error: expect.objectContaining({
        code: 'internal',
        message: 'A stray failure nobody awaited',
      }),
    },
  ]);
});

test('the preflight reads the real WebGPU adapter from inside the worker', async ({ page }) => {
  await openPage(page);
  const report = await page.evaluate(() => window.crescent.preflight());
  // SwiftShader under --enable-unsafe-webgpu: an adapter, without 16-bit float shaders.
  expect(report.webgpu).toBe(true);
  expect(report.adapter).not.toBeNull();
  expect(report.shaderF16).toBe(false);
  expect(report.quantization).toBe('q4f32_1');
});

test('a second tab is refused while a run goes on in the first, and watches its progress', async ({
  context,
}) => {
  const first = await context.newPage();
  const second = await context.newPage();
  await openPage(first);
  await openPage(second);

  const runId = await first.evaluate(() =>
    window.crescent.start({ targetQuestions: 6 }, 'scripted-slow'),
  );
  await first.evaluate((id) => window.crescent.waitForStatus(id, 'running'), runId);

  expect(await second.evaluate(() => window.crescent.attemptStart({}))).toEqual({
    isCrescentError: true,
    name: 'CrescentError',
    code: 'run-locked',
    message: 'A run is already going in another tab of this browser.',
    action: 'Pause that run first, or wait until it finishes.',
  });

  await second.waitForFunction(
    (id) => window.crescent.events.some((e) => e.type === 'progress' && e.runId === id),
    runId,
  );
  await first.evaluate(() => window.crescent.pause());
  await second.evaluate((id) => window.crescent.waitForStatus(id, 'paused'), runId);
  expect((await second.evaluate((id) => window.crescent.stored(id), runId)).status).toBe('paused');

  // The lock went with the pause: the second tab may now continue the same run.
  await second.evaluate(async (id) => {
    const refused = await window.crescent.attemptResume(id);
    if (refused) throw new Error(`resume refused: ${refused.message}`);
    await window.crescent.waitForStatus(id, 'done');
  }, runId);
  expect((await first.evaluate((id) => window.crescent.stored(id), runId)).pairs).toBe(6);
});

test('a tab closed mid-run leaves an interrupted run that the next page recovers and finishes', async ({
  context,
}) => {
  const closing = await context.newPage();
  await openPage(closing);
  const runId = await closing.evaluate(() =>
    window.crescent.start({ targetQuestions: 4 }, 'scripted-slow'),
  );
  await closing.waitForFunction(
    (id) => window.crescent.events.some((e) => e.type === 'progress' && e.runId === id),
    runId,
  );
  await closing.close();

  const next = await context.newPage();
  await openPage(next);
  // The closed tab's worker died with it, and its lock with the worker; the new worker's
  // recovery waits for that if it has to.
  await expect
    .poll(async () => (await next.evaluate((id) => window.crescent.stored(id), runId)).status, {
      // A closed tab's worker can take seconds to be torn down on a loaded machine.
      timeout: 30_000,
    })
    .toBe('interrupted');
  const left = await next.evaluate((id) => window.crescent.stored(id), runId);
  expect(left.pairs).toBeLessThan(4);
  const refused = await next.evaluate((id) => window.crescent.attemptResume(id), runId);
  expect(refused).toBeNull();
  await next.evaluate((id) => window.crescent.waitForStatus(id, 'done'), runId);
  const stored = await next.evaluate((id) => window.crescent.stored(id), runId);
  expect(stored).toMatchObject({ status: 'done', pairs: 4 });
});

/**
 * Runs a recipe in the app's own worker. The dev server reloads the page when a module the worker
 * imports changes on disk or reveals a dependency it had not bundled yet; such a run starts over.
 */
async function runInProductionWorker(page: Page, engine: EngineSpec, embedder?: EmbedderSpec) {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.goto(`${PAGE}?worker=production`);
      await page.waitForFunction(() => window.crescent?.ready === true);
      const outcome = await page.evaluate(
        ({ engine, embedder }) => {
          const recipe = window.crescent.defaultRecipe();
          return window.crescent.runRecipe({
            ...recipe,
            engine,
            embedder: embedder ?? recipe.embedder,
          });
        },
        { engine, embedder },
      );
      const events = await page.evaluate(() => window.crescent.events);
      return { ...outcome, events };
    } catch (error) {
      const reloaded = /Execution context was destroyed|ERR_ABORTED/.test(String(error));
      if (attempt >= 3 || !reloaded) throw error;
    }
  }
}

test('the production worker fails a run on a model web-llm does not know, before any download', async ({
  page,
}) => {
  const outcome = await runInProductionWorker(page, {
    kind: 'webllm',
    model: 'No-Such-Model-q4f32_1-MLC',
  });
  expect(outcome.status).toBe('failed');
  expect(outcome.events.filter((e) => e.type === 'error')).toEqual([
    {
      type: 'error',
      runId: outcome.runId,
      error: expect.objectContaining({ code: 'unknown-model' }),
    },
  ]);
  expect(outcome.events.some((e) => e.type === 'load' && e.progress.phase === 'fetching')).toBe(
    false,
  );
  const stored = await page.evaluate((id) => window.crescent.stored(id), outcome.runId);
  expect(stored.status).toBe('failed');
});

test('the production worker reports an unreachable endpoint as a typed error on the run', async ({
  page,
}) => {
  // Port 9 (discard) refuses connections on the test machine.
  const baseUrl = 'http://127.0.0.1:9/v1';
  const outcome = await runInProductionWorker(
    page,
    { kind: 'openai', baseUrl, model: 'some-model' },
    { kind: 'openai', baseUrl, model: 'some-embedder' },
  );
  const errors = outcome.events.flatMap((e) => (e.type === 'error' ? [e.error] : []));
  // A browser cannot tell a refused connection from a CORS refusal; the message names both.
  expect(errors).toEqual([
    expect.objectContaining({
      code: 'cors-blocked',
      message: expect.stringContaining('http://127.0.0.1:9'),
    }),
  ]);
  expect(outcome.status).toBe('failed');
  const stored = await page.evaluate((id) => window.crescent.stored(id), outcome.runId);
  expect(stored.status).toBe('failed');
});
