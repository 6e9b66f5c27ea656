import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer } from 'node:net';
import { chromium, expect, test, type Page } from '@playwright/test';
import { chromiumArgs } from '../../playwright.config';

const PAGE = '/test/e2e/pages/webgpu.html';

async function openPage(page: Page): Promise<void> {
  await page.goto(PAGE);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
}

/** A port nothing listens on: bound once by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

test('the preflight finds the SwiftShader adapter without shader-f16 and picks q4f32_1', async ({
  page,
}) => {
  await openPage(page);
  const report = await page.evaluate(() => window.webgpuPage.preflight());
  expect(report.webgpu).toBe(true);
  expect(report.problem).toBeUndefined();
  expect(report.adapter?.vendor).toBe('google');
  expect(report.adapter?.architecture).toBe('swiftshader');
  expect(report.shaderF16).toBe(false);
  expect(report.quantization).toBe('q4f32_1');
  expect(report.maxStorageBufferBindingSize).toBeGreaterThanOrEqual(128 * 1024 * 1024);
  expect(report.maxBufferSize).toBeGreaterThanOrEqual(256 * 1024 * 1024);
});

test('without the WebGPU flag the preflight reports the problem instead of throwing', async ({
  baseURL,
}) => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: chromiumArgs.filter((arg) => arg !== '--enable-unsafe-webgpu'),
  });
  try {
    const page = await browser.newPage({ baseURL });
    await openPage(page);
    const report = await page.evaluate(() => window.webgpuPage.preflight());
    expect(report.quantization).toBeNull();
    expect(report.adapter).toBeNull();
    // Linux Chromium keeps navigator.gpu without the flag but hands out no adapter.
    expect(report.webgpu).toBe(true);
    expect(report.problem?.code).toBe('no-adapter');
    expect(report.problem?.action).toContain('chrome://flags/#enable-unsafe-webgpu');
  } finally {
    await browser.close();
  }
});

test('loading a self-hosted model from an unreachable address fails with a typed error, quickly', async ({
  page,
}) => {
  await openPage(page);
  const port = await closedPort();
  const outcome = await page.evaluate(([model, lib]) => window.webgpuPage.loadFrom(model, lib), [
    `http://127.0.0.1:${port}/models/qwen/`,
    `http://127.0.0.1:${port}/libs/qwen.wasm`,
  ] as const);
  expect(outcome.loaded).toBe(false);
  expect(outcome.crescent).toBe(true);
  expect(outcome.code).toBe('model-unreachable');
  expect(outcome.cause).toBe('TypeError: Failed to fetch');
  expect(outcome.retryable).toBe(true);
  expect(outcome.phases[0]).toBe('preflight');
  expect(outcome.elapsedMs).toBeLessThan(15_000);
});

test('a model address that answers 404 is reported unreachable, not as a raw string', async ({
  page,
}) => {
  await openPage(page);
  // CORS headers so the browser sees the 404 itself rather than a blocked request.
  const server: Server = createHttpServer((_request, response) => {
    response.writeHead(404, { 'Access-Control-Allow-Origin': '*' }).end('not here');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const base = `http://127.0.0.1:${address.port}`;
    const outcome = await page.evaluate(([model, lib]) => window.webgpuPage.loadFrom(model, lib), [
      `${base}/models/qwen/`,
      `${base}/libs/qwen.wasm`,
    ] as const);
    expect(outcome.crescent).toBe(true);
    expect(outcome.code).toBe('model-unreachable');
    expect(outcome.cause).toContain('Request failed');
    expect(outcome.elapsedMs).toBeLessThan(15_000);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('the browser cache check answers false for a model never downloaded', async ({ page }) => {
  await openPage(page);
  const cached = await page.evaluate(() =>
    window.webgpuPage.isCached('Qwen2.5-0.5B-Instruct-q4f32_1-MLC'),
  );
  expect(cached).toBe(false);
});

test('offline, a model whose files are in the browser cache loads from the cache without asking the network', async ({
  page,
  context,
}) => {
  await openPage(page);
  const model = 'https://models.crescent.test/qwen/';
  const lib = 'https://models.crescent.test/libs/qwen.wasm';
  await page.evaluate(([m, l]) => window.webgpuPage.seedCache(m, l), [model, lib] as const);
  const asked: string[] = [];
  page.on('request', (request) => {
    if (request.url().startsWith('https://models.crescent.test/')) asked.push(request.url());
  });
  await context.setOffline(true);
  const outcome = await page.evaluate(([m, l]) => window.webgpuPage.loadFrom(m, l), [
    model,
    lib,
  ] as const);
  await context.setOffline(false);
  // Nothing was asked of the network, and the load got as far as starting the model library
  // read from the cache: the empty module has no memory for the runtime to read.
  expect(asked).toEqual([]);
  expect(outcome.loaded).toBe(false);
  expect(outcome.code).toBe('internal');
  expect(outcome.cause).toContain("reading 'buffer'");
});
