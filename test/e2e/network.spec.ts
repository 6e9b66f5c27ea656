// The network log: after a run against a loopback endpoint it lists exactly the app's origin and
// the endpoint's, counted from the browser's resource timing of the page and its worker; a fetch
// nothing set up explains is flagged; the header's claim follows the endpoint that is set.
import { expect, test, type Page } from '@playwright/test';
import { sendJson, startOpenAIServer, type FixtureServer } from '../fixtures/openaiServer';
import { CORS, scriptedEndpoint } from '../fixtures/scriptedEndpoint';

function scriptedServer(): Promise<FixtureServer> {
  let baits = 0;
  return scriptedEndpoint({
    dim: 16,
    chat: (prompt) =>
      prompt.includes('step by step')
        ? 'Add them.\n\n#### Answer: 9'
        : `A shop has ${++baits} boxes and gets 8 more. How many boxes are there?`,
  });
}

const servers: FixtureServer[] = [];
test.afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function chooseEndpoint(page: Page, baseUrl: string): Promise<void> {
  await page.getByRole('radio', { name: /OpenAI-compatible endpoint/ }).check();
  await page.getByLabel('Base URL').fill(baseUrl);
  await page.getByLabel('Base URL').press('Tab');
}

/** The log's rows as [origin, requests, why]. */
async function logRows(page: Page): Promise<string[][]> {
  return page
    .getByTestId('network-log')
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((tr) => {
        const cells = Array.from(tr.querySelectorAll('td'), (td) => td.textContent?.trim() ?? '');
        return [cells[0] ?? '', cells[1] ?? '', cells[3] ?? ''];
      }),
    );
}

test('after a run against a loopback endpoint the log lists exactly the app and the endpoint', async ({
  page,
}) => {
  const server = await scriptedServer();
  servers.push(server);
  await page.goto('/');
  const claim = page.getByTestId('privacy-claim');
  await expect(claim).toHaveText('Nothing leaves your browser');
  await chooseEndpoint(page, server.baseUrl);
  await expect(claim).toHaveText('Nothing leaves this computer');
  await page.getByRole('button', { name: 'List models' }).click();
  await expect(page.getByRole('combobox', { name: /^Model/ })).toHaveValue('tiny');
  await page.getByLabel(/The endpoint's/).check();
  await page.getByLabel('Embedding model').fill('embed');
  await page.getByLabel('Questions wanted').fill('4');
  await page.getByRole('button', { name: 'Start run' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 60_000 });

  await claim.click();
  await expect(page.getByRole('tab', { name: 'Export & import' })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await expect(page.locator('#network')).toBeFocused();
  const app = new URL(page.url()).origin;
  const endpoint = new URL(server.baseUrl).origin;
  // The page asked for the model list once; the run's requests came from the worker.
  const chatAndEmbed = server.requests.filter((r) => r.method === 'POST').length;
  expect(chatAndEmbed).toBeGreaterThan(5);
  await expect
    .poll(async () => {
      const rows = await logRows(page);
      return rows.map(([origin, requests, why]) => [
        origin,
        origin === endpoint ? Number(requests) >= chatAndEmbed : Number(requests) > 0,
        why,
      ]);
    })
    .toEqual(
      expect.arrayContaining([
        [app, true, "this app's own files"],
        [endpoint, true, 'the OpenAI-compatible endpoint you set'],
      ]),
    );
  expect(await logRows(page)).toHaveLength(2);
  await expect(page.getByText(/not explained by anything/)).toHaveCount(0);
});

test('a request nothing set up explains is flagged, and the claim names an endpoint elsewhere', async ({
  page,
}) => {
  const stranger = await startOpenAIServer((_request, res) => sendJson(res, 200, {}, CORS));
  servers.push(stranger);
  await page.goto('/');
  await chooseEndpoint(page, 'https://gpu.example.org:8443/v1');
  await expect(page.getByTestId('privacy-claim')).toHaveText(
    'Prompts go only to gpu.example.org:8443',
  );
  // A fetch the app never makes: the log must show it, because it reads the browser's record.
  await page.evaluate((url) => fetch(url).then((r) => r.text()), `${stranger.baseUrl}/beacon`);
  await page.getByTestId('privacy-claim').click();
  const origin = new URL(stranger.baseUrl).origin;
  await expect
    .poll(async () => (await logRows(page)).find((row) => row[0] === origin))
    .toEqual([origin, '1', 'nothing this app sets up explains it']);
  await expect(page.getByText('One address below is not explained')).toBeVisible();

  // At a phone's width the long claim wraps instead of widening the page.
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const dir = process.env.NETWORK_SHOTS;
  if (dir) {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 844 });
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        await page
          .locator('header')
          .screenshot({ path: `${dir}/header-${width}-${colorScheme}.png` });
        await page
          .locator('#network')
          .screenshot({ path: `${dir}/log-${width}-${colorScheme}.png` });
      }
    }
  }
});
