// The "On your GPU" panel in the real app, through the pipeline worker, timing an endpoint that
// streams at a known pace: the first token after PREFILL_MS, then one token every DECODE_MS.
import type { ServerResponse } from 'node:http';
import { expect, test, type Locator } from '@playwright/test';
import { CORS, scriptedEndpoint } from '../fixtures/scriptedEndpoint';
import { chatChunk, type FixtureServer } from '../fixtures/openaiServer';
import { setUpEndpointRun } from './endpointRun';

const PROMPT_TOKENS = 300;
const PREFILL_MS = 300;
const DECODE_MS = 25;
const REPLY_TOKENS = 40;

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function streamPaced(res: ServerResponse, maxTokens: number): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', ...CORS });
  const tokens = Math.min(maxTokens, REPLY_TOKENS);
  await wait(PREFILL_MS);
  for (let i = 0; i < tokens; i++) {
    if (i > 0) await wait(DECODE_MS);
    res.write(`data: ${JSON.stringify(chatChunk({ content: `${i + 1}\n` }))}\n\n`);
  }
  const last = {
    ...(chatChunk({}, tokens === maxTokens ? 'length' : 'stop') as object),
    usage: { prompt_tokens: PROMPT_TOKENS, completion_tokens: tokens },
  };
  res.end(`data: ${JSON.stringify(last)}\n\ndata: [DONE]\n\n`);
}

async function value(cell: Locator): Promise<number> {
  const raw = await cell.getAttribute('data-value');
  if (raw === null) throw new Error('the cell holds no figure');
  return Number(raw);
}

let server: FixtureServer;
const maxTokens: number[] = [];

test.beforeAll(async () => {
  server = await scriptedEndpoint({
    models: ['tiny-math', 'embed'],
    chat: async (_prompt, _n, res, request) => {
      const limit = (request.body as { max_tokens: number }).max_tokens;
      maxTokens.push(limit);
      await streamPaced(res, limit);
      return undefined;
    },
  });
});

test.afterAll(async () => {
  await server.close();
});

test('the panel times an endpoint through the pipeline worker at the pace it streams', async ({
  page,
}) => {
  await setUpEndpointRun(page, server.baseUrl, 10);
  await page.getByText('On your GPU').click();
  const panel = page.getByTestId('machine-panel');
  await panel.getByRole('button', { name: 'Time the model' }).click();
  await expect(panel.getByTestId('decode')).toBeVisible({ timeout: 60_000 });

  // A warm-up and a one-token reply, then the longer one.
  expect(maxTokens.slice(-3)).toEqual([1, 1, 64]);
  await expect(panel.getByTestId('first-token')).toContainText(`${PROMPT_TOKENS} prompt tokens`);
  await expect(panel.getByTestId('decode')).toContainText("the engine's own timing");
  // The endpoint engine times the stream itself: tokens after the first over the time after it.
  const decode = await value(panel.getByTestId('decode'));
  expect(decode).toBeLessThan((1000 / DECODE_MS) * 1.1);
  expect(decode).toBeGreaterThan((1000 / DECODE_MS) * 0.7);
  // The first token comes after the prefill pause, plus the request's own way there and back.
  const prefill = await value(panel.getByTestId('prefill'));
  expect(prefill).toBeLessThanOrEqual(PROMPT_TOKENS / (PREFILL_MS / 1000));
  expect(prefill).toBeGreaterThan((PROMPT_TOKENS / (PREFILL_MS / 1000)) * 0.6);
  await expect(panel.getByTestId('bound')).toContainText('runs on the server');
});
