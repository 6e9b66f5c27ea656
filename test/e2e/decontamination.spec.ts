// Decontamination from the page: a benchmark file served from loopback, a model that copies one
// of its questions verbatim and once more with only its numbers changed, and a run that rejects
// both, says where they leak from, and rewrites them away from the benchmark question.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { sendJson, startOpenAIServer, type FixtureServer } from '../fixtures/openaiServer';
import { CORS as cors, sendChat } from '../fixtures/scriptedEndpoint';

const GSM8K = readFileSync('../shared/evals/gsm8k_test.jsonl', 'utf8').split('\n').slice(0, 40);
const FIRST = (JSON.parse(GSM8K[0] ?? '{}') as { question: string }).question;
const RENUMBERED = FIRST.replace('16', '23').replace('$2', '$5');

interface ChatBody {
  messages: { role: string; content: string }[];
}

let server: FixtureServer | undefined;
test.afterEach(async () => {
  await server?.close();
  server = undefined;
});

test('a run with a benchmark rejects its question copied verbatim and renumbered, and rewrites both', async ({
  page,
}) => {
  expect(RENUMBERED).not.toBe(FIRST);
  let baits = 0;
  const rewritePrompts: string[] = [];
  const axes = new Map<string, number>();
  server = await startOpenAIServer(async (request, res) => {
    if (request.method === 'OPTIONS') {
      res.writeHead(204, cors);
      return void res.end();
    }
    if (request.path.endsWith('/bench/gsm8k-sample.jsonl')) {
      res.writeHead(200, { ...cors, 'content-type': 'application/jsonl' });
      return void res.end(GSM8K.join('\n'));
    }
    if (request.path.endsWith('/models'))
      return sendJson(res, 200, { data: [{ id: 'tiny-math' }, { id: 'embed' }] }, cors);
    if (request.path.endsWith('/embeddings')) {
      const { input } = request.body as { input: string[] };
      // Each distinct text its own axis: only the n-gram rule can catch the renumbered copy.
      const data = input.map((text, index) => {
        const axis = axes.get(text) ?? axes.size;
        axes.set(text, axis);
        return {
          index,
          embedding: Array.from({ length: 256 }, (_, i) => (i === axis % 256 ? 1 : 0)),
        };
      });
      return sendJson(res, 200, { object: 'list', data }, cors);
    }
    const prompt = (request.body as ChatBody).messages.at(-1)?.content ?? '';
    let content: string;
    if (prompt.includes('step by step')) content = 'Add them.\n\n#### Answer: 12';
    else if (prompt.includes('modify it')) {
      rewritePrompts.push(prompt);
      content = `A baker sells ${rewritePrompts.length + 40} rolls and 12 more. How many rolls are sold?`;
    } else {
      baits++;
      content =
        baits === 1
          ? FIRST
          : baits === 2
            ? RENUMBERED
            : `A farmer has ${baits} sheep and buys 12 more. How many sheep are there?`;
    }
    sendChat(res, content);
  });

  await page.goto('/');
  await page.getByRole('radio', { name: /OpenAI-compatible endpoint/ }).check();
  await page.getByLabel('Base URL').fill(server.baseUrl);
  await page.getByLabel('Base URL').press('Tab');
  await page.getByRole('button', { name: 'List models' }).click();
  await expect(page.getByRole('combobox', { name: /^Model/ })).toHaveValue('tiny-math');
  await page.getByLabel(/The endpoint's/).check();
  await page.getByLabel('Embedding model').fill('embed');
  await page.getByLabel('Questions wanted').fill('3');

  const card = page.getByRole('region', { name: 'Decontamination' });
  await card.getByText('Another benchmark, and the rule').click();
  await card.getByLabel('Name').fill('gsm8k-sample');
  await card.getByLabel('Address (JSON Lines)').fill(`${server.baseUrl}/bench/gsm8k-sample.jsonl`);
  await card.getByRole('button', { name: 'Add address' }).click();
  await expect(card.getByRole('list', { name: 'Other benchmarks' })).toContainText('gsm8k-sample');
  await expect(page.getByTestId('recipe-json')).toContainText('"ngram": 8');

  await page.getByRole('button', { name: 'Start run' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 60_000 });
  await expect(page.getByRole('status').getByText('Target reached')).toBeVisible();

  const feed = page.getByRole('region', { name: 'Latest questions' });
  await expect(feed.getByText('leaks a benchmark question')).toHaveCount(2);
  await expect(
    feed.getByText(/Leaks gsm8k-sample #1, shares “janet s ducks lay # eggs per day”/),
  ).toHaveCount(2);
  // Each copy was rewritten away from the benchmark question it leaked.
  expect(rewritePrompts.length).toBeGreaterThanOrEqual(2);
  expect(rewritePrompts.slice(0, 2).every((p) => p.includes(FIRST))).toBe(true);

  await page.getByRole('button', { name: 'Browse the data' }).click();
  await expect(page.getByText('Showing 3 of 3 pairs.')).toBeVisible();
  await expect(page.getByText('Janet’s ducks')).toHaveCount(0);
  await page.getByRole('tab', { name: /Rejected questions/ }).click();
  await expect(page.getByRole('cell', { name: 'leaks a benchmark question' })).toHaveCount(2);
});
