// The endpoint's concurrency field: a llama.cpp server tells its slots on GET /props, beside /v1,
// and the form offers that number; a server without /props leaves the field as it was.
import { expect, test } from '@playwright/test';
import { sendJson, type FixtureServer } from '../fixtures/openaiServer';
import { CORS, scriptedEndpoint } from '../fixtures/scriptedEndpoint';
import { axeViolations } from './axe';

const servers: FixtureServer[] = [];
test.afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A scripted endpoint that answers /props with `slots`, or 404 when there are none. */
async function endpoint(slots: number | null): Promise<FixtureServer> {
  const server = await scriptedEndpoint({
    guard: (request, res) => {
      if (request.method !== 'GET' || request.path !== '/props') return false;
      if (slots === null) sendJson(res, 404, { detail: 'Not Found' }, CORS);
      else sendJson(res, 200, { total_slots: slots, model_path: 'tiny.gguf' }, CORS);
      return true;
    },
    chat: () => 'unused',
  });
  servers.push(server);
  return server;
}

test('a llama.cpp server tells its slots and the field takes them', async ({ page }) => {
  const server = await endpoint(6);
  await page.goto('/');
  await page.getByRole('radio', { name: /OpenAI-compatible endpoint/ }).check();
  await page.getByLabel('Base URL').fill(server.baseUrl);
  await page.getByLabel('Base URL').press('Tab');
  const field = page.getByLabel('Parallel requests');
  await expect(field).toHaveValue('4');
  await expect(field).toHaveAccessibleDescription(/Requests kept in flight at once/);

  await page.getByRole('button', { name: 'List models' }).click();
  await expect(page.getByText('The server serves 6 at once.')).toBeVisible();
  const found: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    found.push(...(await axeViolations(page, colorScheme, ['.grid-fields'])));
  }
  expect(found).toEqual([]);
  await page.getByRole('button', { name: 'Use 6' }).click();
  await expect(field).toHaveValue('6');
  await expect(page.getByRole('button', { name: 'Use 6' })).toHaveCount(0);
  expect(server.requests.filter((r) => r.path === '/props')).toHaveLength(1);

  // Another address: what the old one said is no longer shown.
  await page.getByLabel('Base URL').fill('http://127.0.0.1:9/v1');
  await page.getByLabel('Base URL').press('Tab');
  await expect(page.getByText(/The server serves/)).toHaveCount(0);
});

test('a server without /props leaves the field as it was', async ({ page }) => {
  const server = await endpoint(null);
  await page.goto('/');
  await page.getByRole('radio', { name: /OpenAI-compatible endpoint/ }).check();
  await page.getByLabel('Base URL').fill(server.baseUrl);
  await page.getByLabel('Base URL').press('Tab');
  await page.getByRole('button', { name: 'List models' }).click();
  await expect(page.getByText('The endpoint offers 2 models.')).toBeVisible();
  await expect.poll(() => server.requests.some((r) => r.path === '/props')).toBe(true);
  await expect(page.getByText(/The server serves/)).toHaveCount(0);
  await expect(page.getByLabel('Parallel requests')).toHaveValue('4');
});
