import { chromium, expect, test } from '@playwright/test';
import { chromiumArgs } from '../../playwright.config';

const PAGE = '/test/e2e/pages/gpu-bandwidth.html';

test('the copy kernel copies the buffer exactly and gives a positive, finite bandwidth', async ({
  page,
}) => {
  await page.goto(PAGE);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  const result = await page.evaluate(() =>
    window.gpuBandwidth.measure({ bytes: 8 * 1024 * 1024, iterations: 3, verify: true }),
  );
  if (!result.ok) throw new Error(result.reason);
  expect(result.copyCorrect).toBe(true);
  expect(result.bytes).toBe(8 * 1024 * 1024);
  expect(result.seconds).toHaveLength(3);
  for (const gbps of [result.bestGBps, result.medianGBps]) {
    expect(Number.isFinite(gbps)).toBe(true);
    expect(gbps).toBeGreaterThan(0);
  }
  expect(result.bestGBps).toBeGreaterThanOrEqual(result.medianGBps);
  expect(result.adapter).toContain('swiftshader');
  expect(['timestamps', 'submit']).toContain(result.timing);
});

test('at its default size the kernel copies what the adapter binds, up to 256 MiB', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto(PAGE);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  const result = await page.evaluate(() => window.gpuBandwidth.measure({ iterations: 2 }));
  if (!result.ok) throw new Error(result.reason);
  expect(result.bytes).toBeGreaterThanOrEqual(128 * 1024 * 1024);
  expect(result.bytes).toBeLessThanOrEqual(256 * 1024 * 1024);
  expect(result.bestGBps).toBeGreaterThan(0);
  console.log(
    `SwiftShader copy of ${result.bytes / 2 ** 20} MiB: best ${result.bestGBps.toFixed(2)} GB/s, median ${result.medianGBps.toFixed(2)} GB/s, timed by ${result.timing}`,
  );
});

test('without WebGPU the measurement says so instead of failing', async ({ baseURL }) => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: chromiumArgs.filter((arg) => arg !== '--enable-unsafe-webgpu'),
  });
  try {
    const page = await browser.newPage({ baseURL });
    await page.goto(PAGE);
    await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
    const result = await page.evaluate(() => window.gpuBandwidth.measure());
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/WebGPU/);
  } finally {
    await browser.close();
  }
});
