// A run over replicas of one model, in the browser: two servers answer and a third refuses every
// connection; the requests are spread over the two that answer and the run reaches its target.
import { expect, test } from '@playwright/test';
import type { FixtureServer } from '../fixtures/openaiServer';
import { scriptedEndpoint } from '../fixtures/scriptedEndpoint';

let servers: FixtureServer[] = [];
test.afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

const chats = (server: FixtureServer | undefined): number =>
  server?.requests.filter((r) => r.path.endsWith('/chat/completions')).length ?? 0;

test('a run spreads its requests over the replicas that answer, passing over one that refuses', async ({
  page,
}) => {
  test.setTimeout(120_000);
  let baits = 0;
  const answer = (prompt: string): string =>
    prompt.includes('step by step')
      ? 'Add.\n\n#### Answer: 10'
      : `A crate holds ${++baits} plums and 9 more go in. How many plums are in the crate?`;
  servers = await Promise.all([
    scriptedEndpoint({ chat: answer }),
    scriptedEndpoint({ chat: answer }),
  ]);
  const [first, second] = servers;

  await page.goto('/');
  await page.getByRole('radio', { name: /OpenAI-compatible endpoint/ }).check();
  await page.getByLabel('Base URL').fill(first?.baseUrl ?? '');
  await page.getByLabel('Base URL').press('Tab');
  await page.getByRole('button', { name: 'List models' }).click();
  await expect(page.getByRole('combobox', { name: /^Model/ })).toHaveValue('tiny');
  const replicas = page.getByLabel('Extra replicas');
  await replicas.fill('gpu-2');
  await expect(
    page.getByRole('alert').filter({ hasText: 'gpu-2: Must be a full URL.' }),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start run' })).toBeDisabled();
  // Port 9 (discard) refuses the connection.
  await replicas.fill(`${second?.baseUrl ?? ''}\nhttp://127.0.0.1:9/v1\n`);
  await page.getByLabel('Parallel requests').fill('2');
  await expect(page.getByText('3 replicas, 6 requests in flight at most.')).toBeVisible();
  await page.getByLabel(/The endpoint's/).check();
  await page.getByLabel('Embedding model').fill('embed');
  await page.getByLabel('Questions wanted').fill('4');
  await page.getByRole('button', { name: 'Start run' }).click();

  await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 90_000 });
  await expect(page.getByText('4 of 4 pairs')).toBeVisible();
  expect(chats(first)).toBeGreaterThan(0);
  expect(chats(second)).toBeGreaterThan(0);
});
