// The transformers.js embedder in Chromium: a module worker loads the tiny model from the dev
// server (a self-hosted copy) with the app's own onnxruntime-web files, and nothing else.
import { expect, test, type Page } from '@playwright/test';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmbedRequest, EmbedResult } from './pages/embedder.worker';
import { referenceEmbedding, TINY_DIM, TINY_MODEL_ID, writeTinyModel } from '../fixtures/tinyModel';

const MODELS = '.cache/e2e-models';

const cases = [
  { text: 'The farmer sold 12 apples.', pieces: ['the', 'farmer', 'sold', '12', 'apples', '.'] },
  { text: 'How many are left?', pieces: ['how', 'many', 'are', 'left', '?'] },
  {
    text: 'apples travel, oranges traveled',
    pieces: ['apples', 'travel', ',', 'oranges', 'travel', '##ed'],
  },
];

test.beforeAll(async () => {
  await rm(MODELS, { recursive: true, force: true });
  await writeTinyModel(MODELS);
});

test.afterAll(async () => {
  await rm(MODELS, { recursive: true, force: true });
});

/** Records every request, and refuses (and records) any that leaves the dev server. */
async function watchNetwork(page: Page): Promise<{ outside: string[]; fetched: string[] }> {
  const outside: string[] = [];
  const fetched: string[] = [];
  await page.context().route(
    (url) => url.hostname !== '127.0.0.1',
    (route) => {
      outside.push(route.request().url());
      return route.abort();
    },
  );
  page.on('request', (request) => fetched.push(request.url()));
  return { outside, fetched };
}

async function embedInWorker(
  page: Page,
  options: Pick<EmbedRequest, 'device' | 'appRuntime'>,
): Promise<EmbedResult> {
  const request: EmbedRequest = {
    model: TINY_MODEL_ID,
    url: `/${MODELS}/`,
    texts: cases.map((c) => c.text),
    ...options,
  };
  for (let attempt = 0; ; attempt++) {
    await page.goto('/test/e2e/pages/embedder.html');
    await page.waitForFunction(() => typeof window.embedInWorker === 'function');
    try {
      return await page.evaluate((r) => window.embedInWorker(r), request);
    } catch (error) {
      // The dev server reloads the page once when it first optimises the worker's dependencies.
      if (attempt > 0 || !String(error).includes('Execution context was destroyed')) throw error;
    }
  }
}

for (const device of ['wasm', 'webgpu'] as const) {
  test(`embeds in a worker on ${device} exactly as computed by hand, fetching only from the app`, async ({
    page,
    baseURL,
  }) => {
    const { outside, fetched } = await watchNetwork(page);
    const logs: string[] = [];
    page.on('console', (message) => logs.push(`${message.type()}: ${message.text()}`));
    const result = await embedInWorker(page, { device, appRuntime: true });

    if (!result.ok) throw new Error(`${result.code}: ${result.error}\n${logs.join('\n')}`);
    expect(result.dim).toBe(TINY_DIM);
    result.vectors.forEach((vector, i) => {
      const expected = referenceEmbedding(cases[i]?.pieces ?? []);
      expect(vector).toHaveLength(TINY_DIM);
      vector.forEach((value, d) =>
        expect(Math.abs(value - (expected[d] ?? NaN))).toBeLessThan(1e-5),
      );
    });
    expect(result.progress.at(-1)?.fraction).toBe(1);
    expect(outside).toEqual([]);
    expect(result.wasm.startsWith(`${baseURL}/`)).toBe(true);
    expect(fetched.some((url) => url.includes(join(MODELS, TINY_MODEL_ID, 'onnx')))).toBe(true);
  });
}

test('without the app runtime paths, transformers.js would load onnxruntime from a CDN, which the policy refuses', async ({
  page,
}) => {
  const { outside } = await watchNetwork(page);
  const result = await embedInWorker(page, { device: 'wasm', appRuntime: false });
  expect(result.ok).toBe(false);
  if (result.ok) return;
  // The worker's own content security policy (script-src 'self') stops the import before any
  // request is made, so nothing reaches the network either.
  expect(result.error).toContain('https://cdn.jsdelivr.net/');
  expect(outside).toEqual([]);
});
