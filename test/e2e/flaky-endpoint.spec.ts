// An endpoint that misbehaves mid-run, in the browser: it drops connections, answers slowly,
// answers garbage (HTML, JSON of the wrong shape, content as an array), then recovers. Failures
// are retried or kept on their records, no garbage becomes a question or an answer, and the run
// reaches its target, resuming if it had to stop.
import { expect, test } from '@playwright/test';
import { sendJson, type FixtureServer } from '../fixtures/openaiServer';
import { CORS, scriptedEndpoint } from '../fixtures/scriptedEndpoint';
import { storedDatasets } from './storedRuns';

function flakyServer(): Promise<FixtureServer> {
  let baits = 0;
  return scriptedEndpoint({
    chat: async (prompt, n, res) => {
      // Requests 4 to 9: connections dropped; 10 to 12: slow; 13 to 16: garbage.
      if (n >= 4 && n <= 9) return void res.socket?.destroy();
      if (n >= 10 && n <= 12) await new Promise((r) => setTimeout(r, 1500));
      if (n === 13) {
        res.writeHead(200, { ...CORS, 'Content-Type': 'text/html' });
        return void res.end('<html><body>502 Bad Gateway</body></html>');
      }
      if (n === 14) return void sendJson(res, 200, { unexpected: true }, CORS);
      if (n === 15 || n === 16) return [{ type: 'text', text: 'How many?' }, { text: 7 }];
      return prompt.includes('step by step')
        ? 'Add.\n\n#### Answer: 10'
        : `A bag holds ${++baits} figs and 9 more go in. How many figs are in the bag?`;
    },
  });
}

let server: FixtureServer | undefined;
test.afterEach(async () => {
  await server?.close();
  server = undefined;
});

test('dropped connections, slow answers and garbage mid-run are retried or recorded, and the run still reaches its target', async ({
  page,
}) => {
  test.setTimeout(180_000);
  server = await flakyServer();
  await page.goto('/');
  await page.getByRole('radio', { name: /OpenAI-compatible endpoint/ }).check();
  await page.getByLabel('Base URL').fill(server.baseUrl);
  await page.getByLabel('Base URL').press('Tab');
  await page.getByRole('button', { name: 'List models' }).click();
  await expect(page.getByRole('combobox', { name: /^Model/ })).toHaveValue('tiny');
  await page.getByLabel(/The endpoint's/).check();
  await page.getByLabel('Embedding model').fill('embed');
  await page.getByLabel('Questions wanted').fill('5');
  await page.getByRole('button', { name: 'Start run' }).click();

  const status = page.getByTestId('run-status');
  let resumes = 0;
  for (;;) {
    await expect(status).toHaveText(/^(done|failed|paused)$/, { timeout: 90_000 });
    if ((await status.textContent()) === 'done') break;
    expect(++resumes, 'the run keeps stopping').toBeLessThan(4);
    await page.getByRole('button', { name: /^(Resume|Retry)$/ }).click();
    await expect(status).not.toHaveText(/^(failed|paused)$/, { timeout: 30_000 });
  }
  await expect(page.getByText('5 of 5 pairs')).toBeVisible();

  const [run] = await storedDatasets(page);
  const records = [...run!.questions, ...run!.samples] as { raw: string; error?: unknown }[];
  // Each failed request was tried again rather than stored: the server answered more chat
  // requests than there are records, and every record that carries an error says what it was.
  const chats = server.requests.filter((r) => r.path.endsWith('/chat/completions')).length;
  expect(chats).toBeGreaterThan(records.length);
  // Replies of the wrong shape are failures of their request, kept on its record.
  const failed = records.filter((r) => r.error !== undefined);
  expect(failed.map((r) => (r.error as { code: string }).code)).toContain('server-error');
  for (const r of failed) {
    expect(r.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  }
  // Garbage never became a question or an answer text.
  const questions = run!.questions as { text: string | null; status: string }[];
  for (const q of questions.filter((q) => q.status === 'accepted')) {
    expect(q.text).toMatch(
      /^A bag holds \d+ figs and 9 more go in\. How many figs are in the bag\?$/,
    );
  }
  expect(JSON.stringify(run)).not.toContain('[object Object]');
  expect(JSON.stringify(run!.pairs)).not.toContain('502 Bad Gateway');
});
