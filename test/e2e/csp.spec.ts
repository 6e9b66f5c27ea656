// The content security policy: a whole run (a loopback endpoint for the model, the tiny ONNX
// embedder through transformers.js and onnxruntime-web in the worker) draws no refusal in the page
// or the worker; an injected inline script and eval are refused, and the network log says so.
import { expect, test, type Page } from '@playwright/test';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultRecipe } from '../../src/lib/recipe/defaults';
import type { Recipe } from '../../src/lib/recipe/types';
import { writeTinyModel } from '../fixtures/tinyModel';

const MINILM = 'Xenova/all-MiniLM-L6-v2';
import type { FixtureServer } from '../fixtures/openaiServer';
import { scriptedEndpoint } from '../fixtures/scriptedEndpoint';

const MODELS = '.cache/e2e-csp-models';
const QUESTIONS = [
  'The farmer sold 12 apples. How many are left?',
  'How many oranges traveled to the market?',
  'Apples travel far. How many apples did the farmer sell?',
  'The farmer sold 12 oranges and 4 apples. How many are left?',
];

let server: FixtureServer | undefined;
/** The app's self-hosted embedder is MiniLM by name: the tiny model is put where MiniLM would be. */
test.beforeAll(async () => {
  await rm(MODELS, { recursive: true, force: true });
  const written = await writeTinyModel(`${MODELS}-tmp`);
  await mkdir(join(MODELS, 'Xenova'), { recursive: true });
  await rename(written, join(MODELS, MINILM));
  await rm(`${MODELS}-tmp`, { recursive: true, force: true });
});
test.afterAll(async () => {
  await rm(MODELS, { recursive: true, force: true });
});
test.afterEach(async () => {
  await server?.close();
  server = undefined;
});

function modelServer(): Promise<FixtureServer> {
  let baits = 0;
  return scriptedEndpoint({
    models: ['tiny'],
    chat: (prompt) =>
      prompt.includes('step by step')
        ? 'Count them.\n\n#### Answer: 8'
        : QUESTIONS[baits++ % QUESTIONS.length],
  });
}

/** Every refusal the page hears, recorded by the test itself from the first script on. */
async function recordRefusals(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { refusals: string[] }).refusals = seen;
    // The dev server sends the policy as a header too, so each refusal is heard once per policy.
    addEventListener('securitypolicyviolation', (e: SecurityPolicyViolationEvent) => {
      const key = `${e.effectiveDirective} ${e.blockedURI || 'inline'}`;
      if (!seen.includes(key)) seen.push(key);
    });
  });
}

const refusals = (page: Page) =>
  page.evaluate(() => (window as unknown as { refusals: string[] }).refusals);

test('a whole run with the ONNX embedder in the worker draws no refusal in the page or the worker', async ({
  page,
  baseURL,
}) => {
  test.setTimeout(120_000);
  server = await modelServer();
  await recordRefusals(page);
  const recipe: Recipe = {
    ...defaultRecipe(),
    engine: { kind: 'openai', baseUrl: server.baseUrl, model: 'tiny' },
    embedder: { kind: 'transformers', model: MINILM, url: `${baseURL}/${MODELS}/` },
    targetQuestions: 3,
    votes: 3,
  };
  await page.goto(`/#recipe=${encodeURIComponent(JSON.stringify(recipe))}`);
  const policy = await page
    .locator('meta[http-equiv="Content-Security-Policy"]')
    .getAttribute('content');
  expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
  const logs: string[] = [];
  page.on('console', (message) => logs.push(`${message.type()}: ${message.text()}`));
  await page.getByRole('button', { name: 'Start run' }).click();
  const status = page.getByTestId('run-status');
  await expect(status).toHaveText(/^(done|failed)$/, { timeout: 90_000 });
  if ((await status.textContent()) !== 'done') {
    const shown = await page.locator('[role="alert"]').allTextContents();
    throw new Error(`the run failed: ${shown.join(' | ')}\n${logs.join('\n')}`);
  }
  expect(await refusals(page)).toEqual([]);

  await page.getByRole('tab', { name: 'Export & import' }).click();
  await expect(page.getByTestId('csp-refusals')).toHaveText(/Nothing refused/);
  await expect(page.getByTestId('network-log')).toContainText("this app's own files");
});

test('an injected inline script and eval are refused, and the network log lists the refusal', async ({
  page,
}) => {
  await recordRefusals(page);
  await page.goto('/');
  const ran = await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.injected = true;';
    document.head.append(script);
    return (window as unknown as { injected?: boolean }).injected ?? false;
  });
  expect(ran).toBe(false);
  const probe = '/test/e2e/pages/cspProbe.ts';
  const blocked = await page.evaluate(async (url) => {
    const m = (await import(/* @vite-ignore */ url)) as {
      tryEval(): string;
      tryNewFunction(): string;
    };
    return [m.tryEval(), m.tryNewFunction()];
  }, probe);
  expect(blocked).toEqual(['EvalError', 'EvalError']);
  await expect.poll(() => refusals(page)).toEqual(['script-src-elem inline', 'script-src eval']);
  await page.getByRole('tab', { name: 'Export & import' }).click();
  const listed = page.getByTestId('csp-refusals');
  await expect(listed).toContainText('In the page: script-src-elem refused inline');
  await expect(listed).toContainText('In the page: script-src refused eval');
});
