// The endpoint engine against a real OpenAI-compatible server: llama-cpp-python's, serving the
// real SmolLM2-135M, with more requests allowed than it serves at once, streaming, and replies cut
// by the token limit; the embedder is the real MiniLM.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { defaultRecipe } from '../../src/lib/recipe/defaults';
import type { Recipe } from '../../src/lib/recipe/types';
import { startLlamaServer, type LlamaServer } from '../fixtures/llamaServer';
import { modelHost, type ModelHost } from './modelHost';
import { storedDatasets } from './storedRuns';

let server: LlamaServer | undefined;
let host: ModelHost | undefined;
test.afterEach(async () => {
  await server?.close();
  await host?.close();
  server = host = undefined;
});

/**
 * Starts the server on the real SmolLM2 and a run against it (k = 3, answers limited to 48
 * tokens) with the real MiniLM; returns the run's status badge.
 */
async function startRun(
  page: Page,
  serverOptions: Parameters<typeof startLlamaServer>[1],
  concurrency: number,
  targetQuestions: number,
): Promise<Locator> {
  host = await modelHost();
  server = await startLlamaServer(host.gguf, serverOptions);
  const recipe: Recipe = {
    ...defaultRecipe(),
    engine: { kind: 'openai', baseUrl: server.baseUrl, model: server.model, concurrency },
    embedder: { kind: 'transformers', model: host.miniLM.modelId, url: host.miniLMUrl },
    targetQuestions,
    votes: 3,
    questionMaxTokens: 80,
    answerMaxTokens: 48,
  };
  await page.goto(`/#recipe=${encodeURIComponent(JSON.stringify(recipe))}`);
  await page.getByRole('button', { name: 'Start run' }).click();
  return page.getByTestId('run-status');
}

interface StoredReply {
  raw: string;
  text?: string | null;
  status?: string;
  reason?: string;
  finishReason?: string;
  tokens: number;
  error?: { code: string };
}

test('a run through the endpoint engine against llama-cpp-python reaches its target with every reply whole', async ({
  page,
}) => {
  test.setTimeout(900_000);
  // The server queues what it cannot serve at once (its default would stop the reply streaming).
  const status = await startRun(page, { interruptRequests: false }, 4, 2);
  await expect(status).toHaveText(/^(done|failed|paused)$/, { timeout: 600_000 });
  if ((await status.textContent()) !== 'done') {
    const shown = await page.locator('[role="alert"]').allTextContents();
    throw new Error(`the run stopped: ${shown.join(' | ')}\n${server!.log().slice(-2000)}`);
  }
  const run = (await storedDatasets(page))[0]!;
  expect(run.pairs).toHaveLength(2);
  const questions = run.questions as StoredReply[];
  const samples = run.samples as StoredReply[];
  // Every stored reply is the model's text, whole or marked as cut; none is an empty stand-in
  // for a reply the server dropped.
  for (const reply of [...questions, ...samples]) {
    if (reply.error) continue;
    expect(reply.raw.trim().length).toBeGreaterThan(0);
    expect(reply.tokens).toBeGreaterThan(0);
  }
  // Answers limited to 48 tokens: the chatty model runs into the limit, and its samples say so.
  expect(samples.some((s) => s.finishReason === 'length')).toBe(true);
  for (const s of samples) expect(['stop', 'length', 'error']).toContain(s.finishReason);
  console.log(
    JSON.stringify({
      proposals: questions.length,
      reasons: questions.map((q) => q.reason ?? q.status),
      samples: samples.map((s) => [s.finishReason, s.tokens]),
    }),
  );
});

test('with the server dropping the reply it streams for each new request, dropped replies are asked again, never stored, and the stop says why', async ({
  page,
}) => {
  test.setTimeout(600_000);
  const status = await startRun(page, {}, 3, 3);
  await expect(status).toHaveText(/^(done|failed|paused)$/, { timeout: 540_000 });
  const run = (await storedDatasets(page))[0]!;
  const replies = [...run.questions, ...run.samples] as StoredReply[];
  // With three requests in flight the server may drop every reply before one is whole: then
  // nothing is stored and the run cannot be done. Whatever is stored is a whole reply.
  if (replies.length === 0) expect(await status.textContent()).not.toBe('done');
  for (const reply of replies) {
    if (reply.error) continue;
    expect(reply.raw.trim().length).toBeGreaterThan(0);
  }
  // Where the drops outlast the retries, the run stops, resumable, with the cause and the cure.
  if ((await status.textContent()) !== 'done') {
    await expect(page.getByText(/ended replies without finishing them/)).toBeVisible();
    await expect(page.getByText(/--interrupt_requests False/)).toBeVisible();
  }
  console.log(
    JSON.stringify({
      status: await status.textContent(),
      alerts: await page.locator('[role="alert"]').allTextContents(),
      pairs: run.pairs.length,
      errors: replies.filter((r) => r.error).map((r) => r.error?.code),
      replies: replies.length,
    }),
  );
});
