// A whole run from the page, against a scripted OpenAI-compatible server on another port:
// setup, start, live progress and feed, the stop reason, then the stored data in the browser.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { sendJson, startOpenAIServer, type FixtureServer } from '../fixtures/openaiServer';
import { CORS as cors, sendChat } from '../fixtures/scriptedEndpoint';
import { Hold } from '../fixtures/hold';
import { setUpEndpointRun } from './endpointRun';
import { seededServer } from '../fixtures/seededServer';
import { storedDatasets } from './storedRuns';

interface ChatBody {
  messages: { role: string; content: string }[];
}

/** Changed by a test while its run goes on. */
interface ServerGate {
  /** Chat replies lack the CORS headers, so the page cannot read them. */
  refuse?: boolean;
  /** Replaces the server's delay for the replies still to come. */
  delayMs?: number;
  /** Holds chat requests after its first few until released. */
  hold?: Hold;
}

/** Every third bait reply repeats the first question, so the run has rejections to show. */
function scriptedServer(delayMs = 0, gate: ServerGate = {}): Promise<FixtureServer> {
  let baits = 0;
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
      // Equal texts share an axis (cosine 1); different texts are orthogonal (cosine 0).
      const data = input.map((text, index) => {
        const axis = axes.get(text) ?? axes.size;
        axes.set(text, axis);
        const embedding = Array.from({ length: 64 }, (_, i) => (i === axis % 64 ? 1 : 0));
        return { index, embedding };
      });
      return sendJson(res, 200, { object: 'list', data }, cors);
    }
    if (gate.refuse) return sendJson(res, 200, { error: 'refused' });
    const delay = gate.delayMs ?? delayMs;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    await gate.hold?.pass();
    const prompt = (request.body as ChatBody).messages.at(-1)?.content ?? '';
    let content: string;
    if (prompt.includes('step by step')) {
      content = 'Add the two amounts.\n\n#### Answer: 12';
    } else if (prompt.includes('modify it')) {
      rewrites++;
      content = `A baker sells ${rewrites + 40} rolls in the morning and 12 more at noon. How many rolls are sold?`;
    } else {
      baits++;
      const n = baits % 3 === 0 ? 1 : baits;
      content = `A farmer has ${n} sheep and buys 12 more. How many sheep does the farmer have now?`;
    }
    sendChat(res, content);
  });
}

let server: FixtureServer | undefined;
const extra: FixtureServer[] = [];
test.afterEach(async () => {
  await server?.close();
  server = undefined;
  await Promise.all(extra.splice(0).map((s) => s.close()));
});

test('a run against an endpoint shows its progress, its feed and its stop reason, and stores the data', async ({
  page,
}) => {
  server = await scriptedServer();
  await setUpEndpointRun(page, server.baseUrl, 4);
  await expect(page.getByText('The endpoint offers 2 models.')).toBeVisible();
  await page.getByRole('button', { name: 'Start run' }).click();

  await expect(page.getByRole('tab', { name: 'Run', exact: true })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 60_000 });
  await expect(page.getByText('Target reached')).toBeVisible();
  await expect(page.getByText('4 of 4 pairs')).toBeVisible();
  const feed = page.getByRole('region', { name: 'Latest questions' });
  await expect(feed.getByText('kept').first()).toBeVisible();
  await expect(feed.getByText('too similar').first()).toBeVisible();
  // The rejected repeat of the first question sits at cosine 1 from it.
  await expect(feed.getByText('similarity 1.000').first()).toBeVisible();
  await page.screenshot({ path: '/tmp/ui-run-done.png', fullPage: true });
  await page.getByRole('button', { name: 'Unload model' }).click();
  await expect(page.getByText('The model is unloaded and its GPU memory is free.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Unload model' })).toHaveCount(0);

  await page.getByRole('button', { name: 'Browse the data' }).click();
  await expect(page.getByText('Showing 4 of 4 pairs.')).toBeVisible();
  await expect(page.getByRole('cell', { name: '12', exact: true }).first()).toBeVisible();
  await page.getByRole('tab', { name: /Rejected questions/ }).click();
  await expect(page.getByRole('cell', { name: 'too similar' }).first()).toBeVisible();
  await page.screenshot({ path: '/tmp/ui-run-data.png', fullPage: true });
});

test('the feed holds still while the pointer moves over it, and catches up when it leaves', async ({
  page,
}) => {
  // The server holds every request after the first four until the pointer rests on the feed,
  // so new questions surely arrive while it is there, however loaded the machine.
  const hold = new Hold(4);
  server = await scriptedServer(150, { hold });
  await setUpEndpointRun(page, server.baseUrl, 10);
  await expect(page.getByText('The endpoint offers 2 models.')).toBeVisible();
  await page.getByRole('button', { name: 'Start run' }).click();
  const feed = page.getByRole('region', { name: 'Latest questions' });
  const items = feed.locator('li');
  await expect(items.first()).toBeVisible({ timeout: 30_000 });

  // Onto the list: it keeps what it showed while the run goes on.
  const box = await feed.boundingBox();
  if (!box) throw new Error('the feed has no box');
  await page.mouse.move(box.x + 40, box.y + 40, { steps: 4 });
  const held = await items.first().textContent();
  hold.release();
  await expect(feed.getByTestId('feed-held')).toBeVisible({ timeout: 30_000 });
  expect(await items.first().textContent()).toBe(held);

  // Off it: the newest question is back on top.
  await page.mouse.move(5, 5, { steps: 4 });
  await expect(feed.getByTestId('feed-held')).toHaveCount(0);
  await expect(items.first()).not.toHaveText(held ?? '');
  await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 60_000 });
});

test('a paused run keeps its data, resumes to the target, and gets a dataset card', async ({
  page,
}) => {
  // Six pairs take at least 18 chat requests; after the first fourteen the server holds the rest,
  // by which time the oldest question (answered first) has had all its samples.
  const hold = new Hold(14);
  server = await scriptedServer(50, { hold });
  await setUpEndpointRun(page, server.baseUrl, 6);
  await expect(page.getByText('The endpoint offers 2 models.')).toBeVisible();
  await page.getByRole('button', { name: 'Start run' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('running', { timeout: 30_000 });
  await expect(page.getByText(/^[1-5] of 6 pairs$/)).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('paused', { timeout: 30_000 });
  await expect(page.getByText('Paused. Everything made so far is stored')).toBeVisible();
  hold.release();

  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 60_000 });
  await expect(page.getByText('6 of 6 pairs')).toBeVisible();

  await page.getByRole('tab', { name: 'Export & import' }).click();
  const card = page.getByRole('button', { name: 'Download dataset card (README.md)' });
  const [download] = await Promise.all([page.waitForEvent('download'), card.click()]);
  expect(download.suggestedFilename()).toBe('README.md');
  const text = readFileSync(await download.path(), 'utf8');
  expect(text.startsWith('---\n')).toBe(true);
  expect(text).toContain('tiny-math');
});

test('a run cut off by a reload is offered for resume and ends with the dataset an uninterrupted run makes', async ({
  page,
}) => {
  // The same recipe twice against servers that answer by prompt and seed: once straight through...
  const whole = await seededServer();
  extra.push(whole);
  await setUpEndpointRun(page, whole.baseUrl, 6);
  await expect(page.getByText('The endpoint offers 2 models.')).toBeVisible();
  await page.getByRole('button', { name: 'Start run' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 60_000 });

  // ...and once cut off by a reload, then resumed.
  // Held after fourteen chat requests (see the pause test), so the reload cuts the run mid-way.
  const hold = new Hold(14);
  const cut = await seededServer(50, hold);
  server = cut;
  await setUpEndpointRun(page, cut.baseUrl, 6);
  await expect(page.getByText('The endpoint offers 2 models.')).toBeVisible();
  await page.getByRole('button', { name: 'Start run' }).click();
  await expect(page.getByText(/^[1-5] of 6 pairs$/)).toBeVisible({ timeout: 30_000 });
  await page.reload();
  hold.release();

  await expect(page.getByRole('tab', { name: /Runs & data.*1 to resume/ })).toBeVisible();
  await page.getByRole('tab', { name: /Runs & data/ }).click();
  await expect(page.getByText('One run was stopped before reaching the target.')).toBeVisible();
  await expect(page.getByText('interrupted', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Resume' }).click();

  await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 60_000 });
  await expect(page.getByText('6 of 6 pairs')).toBeVisible();
  await page.getByRole('button', { name: 'Browse the data' }).click();
  await expect(page.getByText('Showing 6 of 6 pairs.')).toBeVisible();

  const [straight, resumed] = await storedDatasets(page);
  expect(straight?.pairs).toHaveLength(6);
  expect(resumed).toEqual(straight);
  // Nothing stored was asked for again: only what the reload cut off (at most the 4 in flight).
  expect(cut.chatRequests).toBeGreaterThanOrEqual(whole.chatRequests);
  expect(cut.chatRequests - whole.chatRequests).toBeLessThanOrEqual(4);
});

test('a run that fails on an unreachable endpoint is retried and finishes once it answers', async ({
  page,
}) => {
  const gate: ServerGate = { refuse: true };
  server = await scriptedServer(0, gate);
  await setUpEndpointRun(page, server.baseUrl, 3);
  await expect(page.getByText('The endpoint offers 2 models.')).toBeVisible();
  await page.getByRole('button', { name: 'Start run' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('failed', { timeout: 60_000 });
  const notice = page.getByRole('alert').filter({ hasText: 'The run reported an error' });
  await expect(notice.getByText('cors-blocked')).toBeVisible();
  await page.screenshot({ path: '/tmp/ui-run-failed.png', fullPage: true });

  await page.getByRole('tab', { name: /Runs & data/ }).click();
  await expect(page.getByText('failed', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Retry' })).toBeVisible();
  await page.getByRole('tab', { name: 'Run', exact: true }).click();

  gate.refuse = false;
  await notice.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 60_000 });
  await expect(page.getByText('3 of 3 pairs')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Retry' })).toHaveCount(0);
});

test('a second tab shows the run going on in the first, without offering to pause it', async ({
  page,
  context,
}) => {
  // Slow replies until the second page has seen the run, so it is still going when that loads
  // (a first load from a cold dev server takes a while).
  test.setTimeout(150_000);
  const gate: ServerGate = { delayMs: 3000 };
  server = await scriptedServer(0, gate);
  await setUpEndpointRun(page, server.baseUrl, 6);
  await expect(page.getByText('The endpoint offers 2 models.')).toBeVisible();
  await page.getByRole('button', { name: 'Start run' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('running', { timeout: 60_000 });

  const other = await context.newPage();
  await other.goto('/');
  await other.getByRole('tab', { name: 'Run', exact: true }).click();
  await expect(other.getByText('Running in another tab.')).toBeVisible({ timeout: 30_000 });
  await expect(other.getByText(/^[1-5] of 6 pairs$/)).toBeVisible({ timeout: 30_000 });
  await expect(other.getByTestId('run-status')).toHaveText('running');
  await expect(other.getByRole('button', { name: 'Pause' })).toHaveCount(0);
  await other.screenshot({ path: '/tmp/ui-run-other-tab.png', fullPage: true });

  gate.delayMs = 0;
  await expect(other.getByTestId('run-status')).toHaveText('done', { timeout: 60_000 });
  await expect(other.getByText('6 of 6 pairs')).toBeVisible();
  await expect(other.getByText('Running in another tab.')).toHaveCount(0);
  await expect(page.getByTestId('run-status')).toHaveText('done');
});
