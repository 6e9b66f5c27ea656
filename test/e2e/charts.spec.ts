// The run charts: a short scripted run, then the numbers in each chart's table, live on the Run
// screen and for the selected run on the data screen, and no sideways scrolling at a phone's width.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { deriveSeed } from '../../src/lib/crescent/random';
import { DEFAULT_CONFIG } from '../../src/lib/crescent/config';
import { sendJson, startOpenAIServer, type FixtureServer } from '../fixtures/openaiServer';
import { CORS as cors, sendChat } from '../fixtures/scriptedEndpoint';
import { setUpEndpointRun } from './endpointRun';

/**
 * The n-th bait request of the run, told by its seed: bait requests may arrive in any order when
 * several are in flight, and each reply must depend on the request alone.
 */
const BAIT_BY_SEED = new Map(
  Array.from({ length: 100 }, (_, n) => [deriveSeed(DEFAULT_CONFIG.seed, 'bait', n), n + 1]),
);

/** Every third bait reply repeats the first question (cosine 1); the others are new (cosine 0). */
function scriptedServer(): Promise<FixtureServer> {
  let rewrites = 0;
  const axes = new Map<string, number>();
  return startOpenAIServer(async (request, res) => {
    if (request.method === 'OPTIONS') {
      res.writeHead(204, cors);
      return void res.end();
    }
    if (request.path.endsWith('/models'))
      return sendJson(res, 200, { data: [{ id: 'tiny-math' }, { id: 'embed' }] }, cors);
    if (request.path.endsWith('/embeddings')) {
      const { input } = request.body as { input: string[] };
      const data = input.map((text, index) => {
        const axis = axes.get(text) ?? axes.size;
        axes.set(text, axis);
        return {
          index,
          embedding: Array.from({ length: 64 }, (_, i) => (i === axis % 64 ? 1 : 0)),
        };
      });
      return sendJson(res, 200, { object: 'list', data }, cors);
    }
    const body = request.body as { messages: { content: string }[]; seed?: number };
    const prompt = body.messages.at(-1)?.content ?? '';
    let content: string;
    if (prompt.includes('step by step')) content = 'Add the two amounts.\n\n#### Answer: 12';
    else if (prompt.includes('modify it'))
      content = `A baker sells ${++rewrites + 40} rolls and 12 more. How many rolls are sold?`;
    else {
      const baits = BAIT_BY_SEED.get(body.seed ?? -1) ?? 0;
      content = `A farmer has ${baits % 3 === 0 ? 1 : baits} sheep and buys 12 more. How many sheep now?`;
    }
    sendChat(res, content);
  });
}

let server: FixtureServer | undefined;
test.afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function runFour(page: Page): Promise<void> {
  server = await scriptedServer();
  await setUpEndpointRun(page, server.baseUrl, 4);
  await page.getByRole('button', { name: 'Start run' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 60_000 });
}

/** The rows of one chart's table, each as its cells' text. */
async function tableOf(chart: Locator): Promise<string[][]> {
  await chart.getByText('Numbers behind the chart').click();
  const rows = chart.locator('tbody tr');
  return rows.evaluateAll((trs) =>
    trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent?.trim() ?? '')),
  );
}

async function expectCharts(page: Page): Promise<void> {
  const charts = page.getByTestId('run-charts');
  await expect(charts.locator('svg').first()).toBeVisible();
  await expect(charts.locator('figure svg')).toHaveCount(4);
  // The repeat of the first question sits at cosine 1; every other compared proposal at 0.
  const similarity = await tableOf(charts.getByTestId('chart-similarity'));
  expect(similarity.at(-1)).toEqual(['0.95–1.00', '1']);
  expect(similarity[0]?.[0]).toBe('0.00–0.05');
  // Bait proposals only: the repeat (3rd) is rejected and its accepted rewrite does not count.
  const acceptance = await tableOf(charts.getByTestId('chart-acceptance'));
  expect(acceptance).toEqual([
    ['1', '100%', '100%'],
    ['2', '100%', '100%'],
    ['3', '67%', '67%'],
    ['4', '75%', '75%'],
  ]);
  // All samples agree; adaptive voting stops at 2 of 3, so the share is only known as a range.
  const votes = await tableOf(charts.getByTestId('chart-votes'));
  expect(votes).toEqual([['2–3 of 3', 'yes', '4']]);
  const cost = await tableOf(charts.getByTestId('chart-cost'));
  expect(cost).toHaveLength(4);
  expect(cost.map((row) => row[1])).toEqual(['30', '30', '30', '30']);
}

/** With SHOTS_DIR set, full-page screenshots in light and dark, for a person to look at. */
async function shoot(page: Page, name: string): Promise<void> {
  const dir = process.env.SHOTS_DIR;
  if (!dir) return;
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: `${dir}/${name}-${colorScheme}.png`, fullPage: true });
  }
  await page.emulateMedia({ colorScheme: null });
}

async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
}

test('the charts show the run numbers on the Run screen and on the data screen', async ({
  page,
}) => {
  await runFour(page);
  await expectCharts(page);
  await shoot(page, 'run-desktop');
  await page.getByRole('button', { name: 'Browse the data' }).click();
  await expect(page.getByText('Showing 4 of 4 pairs.')).toBeVisible();
  await expectCharts(page);
  await shoot(page, 'data-desktop');
});

test('at a phone width the data screen and the Run screen do not scroll sideways', async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await runFour(page);
  await expect(page.getByTestId('run-charts').locator('figure svg')).toHaveCount(4);
  await expectNoSidewaysScroll(page);
  await shoot(page, 'run-phone');
  await page.getByRole('button', { name: 'Browse the data' }).click();
  await expect(page.getByText('Showing 4 of 4 pairs.')).toBeVisible();
  await expect(page.getByTestId('run-charts').locator('figure svg')).toHaveCount(4);
  await expectNoSidewaysScroll(page);
  await shoot(page, 'data-phone');
});
