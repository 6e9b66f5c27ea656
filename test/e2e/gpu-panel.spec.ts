// The "On your GPU" panel over the scripted page: the bandwidth kernel on SwiftShader, and a paced
// engine whose known speed the shown prefill, decode, bound and questions per hour must match.
import { chromium, expect, test, type Locator, type Page } from '@playwright/test';
import { chromiumArgs } from '../../playwright.config';
import { curatedModels } from '../../src/lib/engines/catalog';
import { PacedChatEngine } from '../../src/lib/engines/doubles/pacedEngine';
import { probePrompt } from '../../src/lib/engines/speedProbe';
import { estimateWeights } from '../../src/lib/gpu/decodeBound';
import { questionRate, recipeCostAtLimits } from '../../src/lib/gpu/questionRate';
import { formatPercent, formatRate } from '../../src/lib/state/format';
import type { Recipe } from '../../src/lib/recipe/types';
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { axeViolations } from './axe';

const PAGE = '/test/e2e/pages/app-scripted.html';

async function openPanel(page: Page): Promise<Locator> {
  await page.goto(PAGE);
  await page.getByText('On your GPU').click();
  const panel = page.getByTestId('machine-panel');
  await expect(panel).toBeVisible();
  return panel;
}

/** The unrounded figure a cell shows, from its data-value. */
async function value(cell: Locator): Promise<number> {
  const raw = await cell.getAttribute('data-value');
  if (raw === null) throw new Error('the cell holds no figure');
  return Number(raw);
}

/** The first number in a cell's text ("1,234.5 tok/s" -> 1234.5). */
async function figure(cell: Locator): Promise<number> {
  const text = (await cell.textContent()) ?? '';
  const match = /[\d,]+(?:\.\d+)?/.exec(text);
  if (!match) throw new Error(`no figure in "${text}"`);
  return Number(match[0].replaceAll(',', ''));
}

async function recipeOf(page: Page): Promise<Recipe> {
  return JSON.parse((await page.getByTestId('recipe-json').textContent()) ?? '{}') as Recipe;
}

test('the panel shows the paced engine’s speeds, the bound they reach and the questions per hour they give', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const panel = await openPanel(page);
  const pace = await page.evaluate(() => window.scripted.pace);

  await panel.getByRole('button', { name: 'Measure bandwidth' }).click();
  await expect(panel.getByText('checked, exact')).toBeVisible({ timeout: 120_000 });
  const gbps = await value(panel.getByTestId('bandwidth'));
  expect(gbps).toBeGreaterThan(0);
  await expect(panel.getByTestId('bandwidth')).toContainText(formatRate(gbps, 'GB/s'));

  await panel.getByRole('button', { name: 'Time the model' }).click();
  await expect(panel.getByTestId('decode')).toBeVisible({ timeout: 60_000 });
  expect(await page.evaluate(() => window.scripted.calls)).toContainEqual(
    expect.stringMatching(/^measure /),
  );

  // What the pace implies: the one-token reply takes the prompt and one token; decode is 1 / pace.
  const promptTokens = PacedChatEngine.tokens(probePrompt(1));
  await expect(panel.getByTestId('first-token')).toContainText(`${promptTokens} prompt tokens`);
  const prefill = promptTokens / ((promptTokens * pace.prefillMs + pace.decodeMs) / 1000);
  const decode = 1000 / pace.decodeMs;
  // Timers only ever fire late, and the machine is shared: the figures may be lower (a busy page
  // delays a timer by tens of milliseconds), never higher.
  const shownPrefill = await value(panel.getByTestId('prefill'));
  const shownDecode = await value(panel.getByTestId('decode'));
  expect(shownPrefill).toBeLessThanOrEqual(prefill * 1.01);
  expect(shownPrefill).toBeGreaterThan(prefill * 0.7);
  expect(shownDecode).toBeLessThanOrEqual(decode * 1.01);
  expect(shownDecode).toBeGreaterThan(decode * 0.7);
  await expect(panel.getByTestId('prefill')).toContainText(formatRate(shownPrefill));
  await expect(panel.getByTestId('decode')).toContainText(formatRate(shownDecode));

  // The bound: the bandwidth over the chosen model's weights, and the share decode reaches.
  const recipe = await recipeOf(page);
  const weights = estimateWeights(recipe.engine, curatedModels(prebuiltAppConfig.model_list));
  if (!weights) throw new Error(`no weight estimate for ${recipe.engine.model}`);
  await expect(panel.getByTestId('weights')).toContainText(weights.basis);
  const bound = await value(panel.getByTestId('bound'));
  expect(bound).toBeCloseTo((gbps * 1e9) / weights.bytes, 9);
  await expect(panel.getByTestId('bound')).toContainText(formatRate(bound));
  expect(await value(panel.getByTestId('share'))).toBeCloseTo(shownDecode / bound, 9);
  await expect(panel.getByTestId('share')).toContainText(formatPercent(shownDecode / bound));

  // Questions per hour at the recipe's limits, at half the bait replies kept: exactly what the
  // shown speeds give, and close to what the pace implies.
  const cost = recipeCostAtLimits(recipe, 0.5);
  const shown = questionRate(cost, {
    prefillTokensPerSecond: shownPrefill,
    decodeTokensPerSecond: shownDecode,
  });
  const implied = questionRate(cost, {
    prefillTokensPerSecond: prefill,
    decodeTokensPerSecond: decode,
  });
  expect(await figure(panel.getByTestId('tokens-per-question'))).toBe(
    Math.round(implied.tokensPerQuestion),
  );
  const perHour = await value(panel.getByTestId('questions-per-hour'));
  expect(perHour).toBeCloseTo(shown.questionsPerHour, 9);
  expect(perHour).toBeLessThanOrEqual(implied.questionsPerHour * 1.01);
  expect(perHour).toBeGreaterThan(implied.questionsPerHour * 0.7);

  // Keeping a quarter of the bait replies costs twice the bait tokens.
  await panel.getByLabel('Share of bait replies kept').fill('0.25');
  const quarter = questionRate(recipeCostAtLimits(recipe, 0.25), {
    prefillTokensPerSecond: prefill,
    decodeTokensPerSecond: decode,
  });
  await expect(panel.getByTestId('tokens-per-question')).toHaveText(
    String(Math.round(quarter.tokensPerQuestion)),
  );

  expect(await axeViolations(page, 'gpu panel', ['[data-testid="machine-panel"]'])).toEqual([]);

  const dir = process.env.GPU_PANEL_SHOTS;
  if (dir) {
    const card = page.locator('section.card', { has: panel });
    // The tabs and the start bar stick to the window's edges and would cover the card's picture.
    await page.addStyleTag({ content: 'nav, .card.bar { position: static !important; }' });
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        expect(
          await axeViolations(page, `${width} ${colorScheme}`, ['[data-testid="machine-panel"]']),
        ).toEqual([]);
        await card.screenshot({ path: `${dir}/gpu-panel-${width}-${colorScheme}.png` });
      }
    }
  }
});

test('without WebGPU the bandwidth part says so and the model is still timed', async ({
  baseURL,
}) => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: chromiumArgs.filter((arg) => arg !== '--enable-unsafe-webgpu'),
  });
  try {
    const page = await browser.newPage({ baseURL });
    const panel = await openPanel(page);
    await panel.getByRole('button', { name: 'Measure bandwidth' }).click();
    await expect(panel.getByTestId('bandwidth-missing')).toContainText('WebGPU');
    await panel.getByRole('button', { name: 'Time the model' }).click();
    await expect(panel.getByTestId('decode')).toContainText('tok/s', { timeout: 60_000 });
    await expect(panel.getByTestId('bound')).toContainText(/measure the bandwidth first|CPU/);
    await expect(panel.getByTestId('questions-per-hour')).not.toContainText('time the model');
  } finally {
    await browser.close();
  }
});
