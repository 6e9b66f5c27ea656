// The map of questions: a scripted run's proposals placed on it, found again by pointer and by
// keyboard, coloured by vote; then twenty thousand stored questions drawn, hovered and opened,
// with model text kept inert, and the map inside a phone's width.
import { expect, test, type Locator, type Page } from '@playwright/test';
import type { FixtureServer } from '../fixtures/openaiServer';
import { scriptedEndpoint } from '../fixtures/scriptedEndpoint';
import { setUpEndpointRun } from './endpointRun';

const QUESTIONS = [
  'A farmer has 7 sheep and buys 12 more. How many sheep now?',
  'A baker bakes 30 rolls and sells 12. How many rolls are left?',
  'A train carries 80 people and 25 get off. How many people remain?',
  'A library holds 300 books and lends 45. How many books stay?',
];

/** Four different questions, then the first again (too similar), each on its own embedding axis. */
function scriptedServer(): Promise<FixtureServer> {
  let baits = 0;
  return scriptedEndpoint({
    models: ['tiny-math', 'embed'],
    dim: 32,
    // Axes of different lengths, so the projection spreads the points out.
    embedding: (axis, dim) =>
      Array.from({ length: dim }, (_, i) => (i === axis ? 1 + axis / 4 : 0)),
    chat: (prompt) => {
      if (prompt.includes('step by step')) return 'Work it out.\n\n#### Answer: 19';
      if (prompt.includes('modify it')) return QUESTIONS[3];
      return QUESTIONS[baits++ % 3];
    },
  });
}

let server: FixtureServer | undefined;
test.afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Where on the page the canvas has drawn something: up to `most` spots, in CSS pixels. */
async function drawnSpots(canvas: Locator, most = 50): Promise<{ x: number; y: number }[]> {
  await canvas.scrollIntoViewIfNeeded();
  const spots = await canvas.evaluate((el: HTMLCanvasElement, most: number) => {
    const ctx = el.getContext('2d')!;
    const { data, width, height } = ctx.getImageData(0, 0, el.width, el.height);
    const ratio = el.width / el.clientWidth;
    const found: { x: number; y: number }[] = [];
    for (let y = 1; y < height - 1 && found.length < most; y += 2) {
      for (let x = 1; x < width - 1 && found.length < most; x += 2) {
        if (data[(y * width + x) * 4 + 3]! > 100) {
          const spot = { x: x / ratio, y: y / ratio };
          if (found.every((f) => Math.hypot(f.x - spot.x, f.y - spot.y) > 10)) found.push(spot);
        }
      }
    }
    return found;
  }, most);
  const box = (await canvas.boundingBox())!;
  return spots.map((s) => ({ x: box.x + s.x, y: box.y + s.y }));
}

/** Share of the canvas's 16 x 16 grid of cells with something drawn in them. */
async function coverage(canvas: Locator): Promise<number> {
  return canvas.evaluate((el: HTMLCanvasElement) => {
    const { data, width, height } = el.getContext('2d')!.getImageData(0, 0, el.width, el.height);
    const hit = new Set<number>();
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        if (data[(y * width + x) * 4 + 3]! > 100)
          hit.add(Math.floor((y / height) * 16) * 16 + Math.floor((x / width) * 16));
    return hit.size / 256;
  });
}

async function runFive(page: Page): Promise<void> {
  server = await scriptedServer();
  await setUpEndpointRun(page, server.baseUrl, 4);
  await page.getByRole('button', { name: 'Start run' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 60_000 });
}

test("a run's questions are on the map, found by pointer and by keyboard", async ({ page }) => {
  await runFive(page);
  const map = page.getByTestId('question-map');
  await expect(map.getByText(/PCA of their embeddings/)).toBeVisible({ timeout: 15_000 });
  const legend = map.getByRole('list', { name: 'Legend' });
  await expect(legend).toContainText('accepted (4)');
  await expect(legend).toContainText('rejected: too similar (1)');

  // Four spots: the repeat lies exactly on the question it repeats.
  const canvas = map.locator('canvas');
  const spots = await drawnSpots(canvas);
  expect(spots).toHaveLength(4);

  const seen = new Set<string>();
  for (const spot of spots) {
    await page.mouse.move(spot.x, spot.y);
    const tip = map.getByTestId('map-tip');
    await expect(tip).toBeVisible();
    const text = (await tip.textContent()) ?? '';
    const question = QUESTIONS.find((q) => text.includes(q));
    expect(question, `tooltip "${text}" names a question`).toBeDefined();
    seen.add(question!);
  }
  expect(seen.size).toBe(4);
  await page.mouse.move(0, 0);
  await expect(map.getByTestId('map-tip')).toBeHidden();

  // A click opens the question under the pointer; the repeat is counted on its spot.
  await page.mouse.click(spots[0]!.x, spots[0]!.y);
  const opened = map.getByTestId('map-opened');
  await expect(opened).toBeVisible();
  expect(QUESTIONS).toContain(await opened.locator('.question').textContent());
  await opened.getByRole('button', { name: 'Close' }).click();
  await expect(opened).toBeHidden();

  // Keyboard: focus the map, arrows move between questions, Enter opens, Escape closes.
  const surface = map.getByRole('application');
  await surface.focus();
  await page.keyboard.press('ArrowRight');
  const live = map.locator('[aria-live="polite"]');
  await expect(live).toContainText(/#\d+, (accepted|rejected: too similar): /);
  const first = await live.textContent();
  for (const key of ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown']) {
    await page.keyboard.press(key);
    if ((await live.textContent()) !== first) break;
  }
  const announced = (await live.textContent())!;
  await page.keyboard.press('Enter');
  await expect(opened).toBeVisible();
  const shown = announced.slice(announced.indexOf(': ') + 2);
  await expect(opened.locator('.question')).toHaveText(shown);
  await page.keyboard.press('Escape');
  await expect(opened).toBeHidden();

  // Coloured by vote: adaptive voting stopped at 2 of 3, so no pair is called unanimous.
  await map.getByLabel('Colour by').selectOption('agreement');
  await expect(legend).toContainText('kept, split or stopped early (4)');
  await expect(legend).toContainText('kept, every sample agrees (0)');
  await expect(legend).toContainText('not accepted (1)');

  // The same map for the selected run on the data screen.
  await page.getByRole('button', { name: 'Browse the data' }).click();
  const dataMap = page.getByTestId('question-map');
  await expect(dataMap.getByText(/PCA of their embeddings/)).toBeVisible({ timeout: 15_000 });
  expect(await drawnSpots(dataMap.locator('canvas'))).toHaveLength(4);

  const dir = process.env.MAP_SHOTS;
  if (dir) {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 800 });
      const [spot] = await drawnSpots(dataMap.locator('canvas'), 1);
      await page.mouse.move(spot!.x, spot!.y);
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        await dataMap.screenshot({ path: `${dir}/run-map-${width}-${colorScheme}.png` });
      }
    }
  }
});

const HOSTILE = '<img src=x onerror="window.__mapPwned = 1"> <b>bold</b>';

/** A stored run of n questions in 12 clusters of 384-number embeddings, written straight to the db. */
async function seedQuestions(page: Page, n: number): Promise<void> {
  await page.evaluate(
    async ({ n, hostile }) => {
      const schema = '/src/lib/db/schema.ts';
      const { CrescentDb, EMPTY_STATS } = (await import(/* @vite-ignore */ schema)) as {
        EMPTY_STATS: Record<string, number>;
        CrescentDb: new () => {
          runs: { add(row: Record<string, unknown>): Promise<unknown> };
          questions: { bulkAdd(rows: Record<string, unknown>[]): Promise<unknown> };
          close(): void;
        };
      };
      let state = 7;
      const rand = () => {
        state = (state * 1103515245 + 12345) % 2147483648;
        return state / 2147483648;
      };
      const dim = 384;
      const centres = Array.from({ length: 12 }, () =>
        Float32Array.from({ length: dim }, () => rand() - 0.5),
      );
      const db = new CrescentDb();
      const now = Date.now();
      await db.runs.add({
        id: 'map-run',
        name: 'Twenty thousand questions',
        recipe: null,
        status: 'imported',
        createdAt: now,
        updatedAt: now,
        stats: { ...EMPTY_STATS, proposals: n },
      });
      const rows: Record<string, unknown>[] = [];
      for (let seq = 0; seq < n; seq++) {
        const centre = centres[seq % 12]!;
        const embedding = Float32Array.from(centre, (c) => c + (rand() - 0.5) * 0.3);
        const kind = seq % 20;
        rows.push({
          runId: 'map-run',
          seq,
          origin: 'bait',
          attempt: 0,
          raw: `q${seq}`,
          text: `Stored question ${seq} ${hostile}`,
          status: kind < 14 ? 'accepted' : 'rejected',
          ...(kind >= 14 ? { reason: kind === 19 ? 'contaminated' : 'too-similar' } : {}),
          similarity: rand(),
          embedding,
          tokens: 10,
          createdAt: now + seq,
        });
      }
      await db.questions.bulkAdd(rows);
      db.close();
    },
    { n, hostile: HOSTILE },
  );
}

test('twenty thousand stored questions are drawn, hovered and opened, and their text stays text', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await seedQuestions(page, 20_000);
  await page.reload();
  await page.getByRole('tab', { name: /Runs & data/ }).click();
  const map = page.getByTestId('question-map');
  await expect(map.getByText(/PCA of their embeddings/)).toBeVisible({ timeout: 60_000 });
  const legend = map.getByRole('list', { name: 'Legend' });
  await expect(legend).toContainText('accepted (14000)');
  await expect(legend).toContainText('rejected: too similar (5000)');
  await expect(legend).toContainText('rejected: contaminated (1000)');

  const canvas = map.locator('canvas');
  // Twelve clusters spread over the map, not one blot and not nothing.
  const covered = await coverage(canvas);
  expect(covered).toBeGreaterThan(0.02);
  expect(covered).toBeLessThan(0.9);

  const [spot] = await drawnSpots(canvas, 1);
  await page.mouse.move(spot!.x, spot!.y);
  const tip = map.getByTestId('map-tip');
  await expect(tip).toContainText(/Stored question \d+ <img src=x onerror/);
  await page.mouse.click(spot!.x, spot!.y);
  const opened = map.getByTestId('map-opened');
  await expect(opened.locator('.question')).toContainText(HOSTILE);
  expect(await map.locator('img, b').count()).toBe(0);
  expect(await page.evaluate(() => (window as { __mapPwned?: number }).__mapPwned)).toBeUndefined();

  // The points are redrawn in the dark scheme's colours.
  const spots = await drawnSpots(canvas, 20);
  const probe = spots.at(-1)!;
  const colourAt = () =>
    canvas.evaluate((el: HTMLCanvasElement, at) => {
      const box = el.getBoundingClientRect();
      const ratio = el.width / el.clientWidth;
      const x = Math.round((at.x - box.left) * ratio);
      const y = Math.round((at.y - box.top) * ratio);
      return Array.from(el.getContext('2d')!.getImageData(x, y, 1, 1).data).join(',');
    }, probe);
  await page.emulateMedia({ colorScheme: 'light' });
  const light = await colourAt();
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(colourAt).not.toBe(light);

  const dir = process.env.MAP_SHOTS;
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    if (colorScheme === 'light') await expect.poll(colourAt).toBe(light);
    else await expect.poll(colourAt).not.toBe(light);
    if (dir) await map.screenshot({ path: `${dir}/map-desktop-${colorScheme}.png` });
  }

  // At a phone's width the map narrows with the page: nothing scrolls sideways.
  await page.setViewportSize({ width: 390, height: 800 });
  await expect
    .poll(() => canvas.evaluate((el: HTMLCanvasElement) => el.clientWidth))
    .toBeLessThan(390);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  expect(await coverage(canvas)).toBeGreaterThan(0.02);
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    if (dir) await map.screenshot({ path: `${dir}/map-phone-${colorScheme}.png` });
  }
});

test('a dataset imported without embeddings says why its map is empty', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('tab', { name: /Export & import/ }).click();
  const line = JSON.stringify({
    question: 'How many marbles are in 3 bags of 4?',
    answer_text: '3 bags of 4.\n#### Answer: 12',
    final_answer: '12',
  });
  await page
    .getByLabel('JSONL file')
    .setInputFiles({ name: 'a.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(line) });
  await page.getByRole('button', { name: 'Import 1 pair' }).click();
  await page.getByRole('button', { name: 'Browse them' }).click();
  await expect(page.getByTestId('map-empty')).toContainText('No embeddings are stored');
});
