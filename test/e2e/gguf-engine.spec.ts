// The GGUF engine alone with the real SmolLM2-135M in Chromium: what a seed gives twice, an
// interrupt, and one thread against two (threads need cross-origin isolation, given here by
// adding COOP/COEP headers to the page's responses, as a host or the service worker would).
import { expect, test, type Page } from '@playwright/test';
import { defaultRecipe } from '../../src/lib/recipe/defaults';
import type { Recipe } from '../../src/lib/recipe/types';
import { modelHost, type ModelHost } from './modelHost';

const PAGE = '/test/e2e/pages/gguf.html';
const PROMPT = 'Write one short math word problem about apples.';

let host: ModelHost | undefined;
test.beforeAll(async () => {
  host = await modelHost();
});
test.afterAll(async () => {
  await host?.close();
});

async function open(page: Page): Promise<void> {
  await page.goto(PAGE);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
}

test('the same seed gives the same reply twice, another seed another, and an interrupt is a stop', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await open(page);
  const loaded = await page.evaluate((url) => window.ggufPage.load(url), host!.ggufUrl);
  // Read from llama.cpp's own load log: where the buffers went.
  expect(loaded.ready).toBe('SmolLM2-135M-Instruct-Q4_1 is ready, on one CPU thread');
  const ask = (seed: number) =>
    page.evaluate(
      ([s]) => window.ggufPage.complete('Write one short math word problem about apples.', s!, 48),
      [seed],
    );
  const first = await ask(7);
  const again = await ask(7);
  const other = await ask(8);
  expect(first.text.length).toBeGreaterThan(0);
  expect(again.text).toBe(first.text);
  expect(other.text).not.toBe(first.text);
  expect(first.usage.completionTokens).toBeGreaterThan(0);
  expect(first.usage.promptTokens).toBeGreaterThan(0);
  expect(first.usage.decodeTokensPerSecond).toBeGreaterThan(0);
  expect(['stop', 'length']).toContain(first.finishReason);
  // A limit of 48 tokens on a chatty model: the reply says it was cut where it was.
  if (first.usage.completionTokens >= 48) expect(first.finishReason).toBe('length');
  expect(await page.evaluate((p) => window.ggufPage.interrupted(p, 400), PROMPT)).toBe('aborted');
  // The engine still answers after the interrupt.
  expect((await ask(7)).text).toBe(first.text);
});

test('with WebGPU asked for, the load message says where llama.cpp put the model', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await open(page);
  const { ready } = await page.evaluate(
    (url) => window.ggufPage.load(url, undefined, 'webgpu'),
    host!.ggufUrl,
  );
  // On a GPU it names llama.cpp's WebGPU backend; where llama.cpp finds no device it can use
  // (SwiftShader here), it says the model stayed on the CPU instead of staying silent.
  expect(ready).toMatch(
    /^SmolLM2-135M-Instruct-Q4_1 is ready, (on WebGPU, with one CPU thread|on one CPU thread: llama\.cpp found no WebGPU device it could use here, so nothing runs on the GPU)$/,
  );
  console.log(JSON.stringify({ webgpuAskedFor: ready }));
  const reply = await page.evaluate(([p]) => window.ggufPage.complete(p!, 7, 16), [PROMPT]);
  expect(reply.usage.completionTokens).toBeGreaterThan(0);
});

test('without JSPI the compat build, served by the app, runs and gives the same reply for a seed', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const ask = () => page.evaluate(([p]) => window.ggufPage.complete(p!, 7, 32), [PROMPT]);
  await open(page);
  await page.evaluate((url) => window.ggufPage.load(url), host!.ggufUrl);
  const usual = await ask();

  // A browser without JSPI (Safari; Chromium before 137): wllama's check finds no
  // WebAssembly.Suspending and switches to the compat build the app gave it.
  await page.addInitScript(() => {
    delete (WebAssembly as { Suspending?: unknown }).Suspending;
  });
  const asked: string[] = [];
  page.on('request', (request) => asked.push(request.url()));
  await open(page);
  expect(await page.evaluate(() => 'Suspending' in WebAssembly)).toBe(false);
  await page.evaluate((url) => window.ggufPage.load(url), host!.ggufUrl);
  const compat = await ask();
  const wasm = asked.filter((url) => url.endsWith('.wasm'));
  expect(wasm.some((url) => url.includes('wllama-compat'))).toBe(true);
  expect(wasm.every((url) => url.startsWith(new URL(page.url()).origin))).toBe(true);
  expect(asked.filter((url) => url.includes('jsdelivr'))).toEqual([]);
  expect(compat.text.length).toBeGreaterThan(0);
  expect(compat.usage.completionTokens).toBeGreaterThan(0);
  expect(compat.text).toBe(usual.text);
  console.log(
    JSON.stringify({
      decodeTokensPerSecond: {
        usual: usual.usage.decodeTokensPerSecond,
        compat: compat.usage.decodeTokensPerSecond,
      },
    }),
  );
});

test('one thread without cross-origin isolation; two with it, measured', async ({ page }) => {
  test.setTimeout(300_000);
  await open(page);
  expect(await page.evaluate(() => window.ggufPage.isolated())).toBe(false);
  const single = await page.evaluate((url) => window.ggufPage.load(url, 2), host!.ggufUrl);
  expect(single.threads).toBe(1);
  const speed = async () => {
    const replies = [];
    for (const seed of [1, 2, 3]) {
      replies.push(
        await page.evaluate(
          ([s]) => window.ggufPage.complete('Count from one to forty in words.', s!, 96),
          [seed],
        ),
      );
    }
    return replies.map((r) => r.usage.decodeTokensPerSecond ?? 0);
  };
  const one = await speed();

  await page.route('**/*', async (route) => {
    const response = await route.fetch();
    await route.fulfill({
      response,
      headers: {
        ...response.headers(),
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
      },
    });
  });
  await open(page);
  expect(await page.evaluate(() => window.ggufPage.isolated())).toBe(true);
  const isolated = await page.evaluate((url) => window.ggufPage.load(url, 2), host!.ggufUrl);
  expect(isolated.threads).toBe(2);
  const two = await speed();
  console.log(JSON.stringify({ decodeTokensPerSecond: { oneThread: one, twoThreads: two } }));
});

test('a .gguf picked from this computer is kept in the browser and runs without being fetched', async ({
  page,
  baseURL,
}) => {
  test.setTimeout(300_000);
  const { gguf, miniLM: embedder } = host!;
  const name = gguf.split('/').at(-1)!;
  const asked = new Set<string>();
  page.on('request', (request) => asked.add(new URL(request.url()).origin));
  const recipe: Recipe = {
    ...defaultRecipe(),
    engine: { kind: 'wllama', model: 'SmolLM2-135M-Instruct-Q4_1', device: 'wasm' },
    embedder: { kind: 'transformers', model: embedder.modelId, url: host!.miniLMUrl },
    targetQuestions: 1,
    votes: 1,
    questionMaxTokens: 64,
    answerMaxTokens: 96,
  };
  await page.goto(`/#recipe=${encodeURIComponent(JSON.stringify(recipe))}`);
  await page.getByLabel('Or a .gguf from this computer').setInputFiles(gguf);
  const model = page.getByRole('combobox', { name: /^GGUF model/ });
  await expect(model).toHaveValue(`file:${name}`, { timeout: 120_000 });
  await expect(page.getByText('Your own file, kept in this browser')).toBeVisible();
  await page.getByRole('button', { name: 'Start run' }).click();
  const status = page.getByTestId('run-status');
  await expect(status).toHaveText(/^(done|failed|paused)$/, { timeout: 240_000 });
  if ((await status.textContent()) !== 'done') {
    throw new Error((await page.locator('[role="alert"]').allTextContents()).join(' | '));
  }
  // The model came from the browser's own copy: only the app and the embedder's host were asked.
  expect([...asked].sort()).toEqual([new URL(baseURL!).origin, host!.origin].sort());

  // Deleted from the browser, the file is asked for again rather than fetched from anywhere.
  // (A loaded model stays in the worker's memory until the page goes.)
  await page.getByRole('tab', { name: 'Setup' }).click();
  await page.getByRole('button', { name: 'Delete the GGUF models kept in this browser' }).click();
  await expect(page.getByText('Deleted. A run downloads its model again')).toBeVisible();
  // A new page, whose worker holds no model in memory, and the picked file named as the model.
  await page.reload();
  await model.fill(`file:${name}`);
  await page.getByRole('button', { name: 'Start run' }).click();
  await expect(status).toHaveText(/^(failed|paused)$/, { timeout: 60_000 });
  await expect(page.getByText(`${name} is no longer kept in this browser.`)).toBeVisible();
  await expect(page.getByText('Pick the .gguf file again in Setup, then resume.')).toBeVisible();
  expect([...asked].sort()).toEqual([new URL(baseURL!).origin, host!.origin].sort());
});
