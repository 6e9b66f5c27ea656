// API keys: a key kept for its tab is asked for again when another tab resumes the run, and no
// key reaches IndexedDB, localStorage, a download, the console or an error message, even when
// the server echoes it back.
import { expect, test, type Download, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { sendJson, type FixtureServer } from '../fixtures/openaiServer';
import { Hold } from '../fixtures/hold';
import { CORS, scriptedEndpoint } from '../fixtures/scriptedEndpoint';

const KEY = 'sk-e2e-secret-4242';
/**
 * Answers only requests carrying KEY; others get a 401 that repeats their Authorization header.
 * `hold` holds bait requests after its first few until released.
 */
function keyedServer(delayMs: number, hold?: Hold): Promise<FixtureServer> {
  let baits = 0;
  return scriptedEndpoint({
    dim: 32,
    guard: (request, res) => {
      const auth = String(request.headers.authorization ?? '');
      if (auth === `Bearer ${KEY}`) return false;
      sendJson(res, 401, { error: { message: `Unknown key: ${auth}` } }, CORS);
      return true;
    },
    chat: async (prompt) => {
      await new Promise((r) => setTimeout(r, delayMs));
      if (prompt.includes('step by step')) return 'Add.\n\n#### Answer: 5';
      const n = ++baits;
      await hold?.pass();
      return `A cart holds ${n} melons and 4 more are added. How many melons now?`;
    },
  });
}

let server: FixtureServer | undefined;
test.afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setUp(page: Page, baseUrl: string, key: string, target: number): Promise<void> {
  await page.goto('/');
  await page.getByRole('radio', { name: /OpenAI-compatible endpoint/ }).check();
  await page.getByLabel('Base URL').fill(baseUrl);
  await page.getByLabel('Base URL').press('Tab');
  await page.getByLabel('API key').fill(key);
  await page.getByRole('textbox', { name: 'Model', exact: true }).fill('tiny');
  await page.getByLabel(/The endpoint's/).check();
  await page.getByLabel('Embedding model').fill('embed');
  await page.getByLabel('Questions wanted').fill(String(target));
}

/** Everything the app keeps in IndexedDB and localStorage, as text. */
function storedText(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('crescent');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const parts: string[] = [];
    for (const name of Array.from(db.objectStoreNames)) {
      const rows = await new Promise<unknown[]>((resolve, reject) => {
        const request = db.transaction(name).objectStore(name).getAll();
        request.onsuccess = () => resolve(request.result as unknown[]);
        request.onerror = () => reject(request.error);
      });
      parts.push(JSON.stringify(rows));
    }
    db.close();
    parts.push(JSON.stringify({ ...localStorage }));
    return parts.join('\n');
  });
}

async function downloaded(page: Page, name: RegExp): Promise<string> {
  const [download]: [Download, void] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name }).click(),
  ]);
  return readFile(await download.path(), 'utf8');
}

test('a key kept for its tab is asked for when another tab resumes, and is stored nowhere', async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  const hold = new Hold(2);
  server = await keyedServer(50, hold);
  const logs: string[] = [];
  context.on('console', (message) => logs.push(message.text()));
  await setUp(page, server.baseUrl, KEY, 6);
  await expect(page.getByText('Kept for this tab only, until it closes')).toBeVisible();
  // One request at a time, so bait requests reach the server in their sequence order: with several
  // in flight, the third could arrive before the second and be let through instead.
  await page.getByLabel('Parallel requests').fill('1');
  await page.getByRole('button', { name: 'Start run' }).click();
  // The server holds every bait request after the second, so the run waits at two pairs.
  await expect(page.getByText('2 of 6 pairs')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('paused', { timeout: 30_000 });
  await page.close();
  hold.release();

  // Another tab of the same browser: same database and localStorage, its own sessionStorage.
  const other = await context.newPage();
  await other.goto('/');
  await other.getByRole('tab', { name: /Runs & data/ }).click();
  await other.getByRole('button', { name: 'Resume' }).click();
  const prompt = other.getByTestId('key-prompt');
  await expect(prompt).toBeVisible();
  await expect(other.getByTestId('run-status')).toHaveCount(0);
  const dir = process.env.KEYS_SHOTS;
  if (dir) {
    for (const width of [1280, 390]) {
      await other.setViewportSize({ width, height: 800 });
      for (const colorScheme of ['light', 'dark'] as const) {
        await other.emulateMedia({ colorScheme });
        await prompt.screenshot({ path: `${dir}/key-prompt-${width}-${colorScheme}.png` });
      }
    }
    await other.setViewportSize({ width: 1280, height: 720 });
  }
  await prompt.getByLabel(`API key for ${server.baseUrl}`).fill(KEY);
  await prompt.getByRole('button', { name: 'Resume with this key' }).click();
  await expect(other.getByTestId('run-status')).toHaveText('done', { timeout: 60_000 });
  await expect(other.getByText('6 of 6 pairs')).toBeVisible();

  expect(await storedText(other)).not.toContain(KEY);
  // Kept for this tab only: in its sessionStorage, nowhere else.
  expect(await other.evaluate(() => JSON.stringify({ ...sessionStorage }))).toContain(KEY);

  await other.getByRole('tab', { name: 'Export & import' }).click();
  await other.locator('input[name="export-format"][value="full"]').check();
  const jsonl = await downloaded(other, /^Download JSONL/);
  expect(jsonl.split('\n').filter(Boolean)).toHaveLength(6);
  expect(jsonl).not.toContain(KEY);
  expect(await downloaded(other, /Download dataset card/)).not.toContain(KEY);
  expect(logs.join('\n')).not.toContain(KEY);
});

test("a refused key's error message does not repeat the key the server echoed", async ({
  page,
}) => {
  server = await keyedServer(0);
  const wrong = 'sk-wrong-key-9191';
  await setUp(page, server.baseUrl, wrong, 2);
  await page.getByRole('button', { name: 'Start run' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('failed', { timeout: 30_000 });
  const notice = page.getByText(/The server refused the request \(401\)/).first();
  await expect(notice).toContainText('Unknown key: Bearer [API key]');
  expect(await page.locator('body').innerText()).not.toContain(wrong);
  expect(await storedText(page)).not.toContain(wrong);
});
