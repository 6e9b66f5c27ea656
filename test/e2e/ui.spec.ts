import { expect, test } from '@playwright/test';

test('the setup form opens with the paper defaults and a start button', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('tab', { name: 'Setup' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByLabel('Votes per question (k)')).toHaveValue('3');
  await expect(page.getByLabel('Similarity threshold')).toHaveValue('0.875');
  await expect(page.getByLabel('Questions wanted')).toHaveValue('100');
  await expect(page.getByTestId('bait-prompt')).toContainText(
    'Use your creativity, create one unique, special, diverse, high school level math word problem.',
  );
  await expect(page.getByRole('button', { name: 'Start run' })).toBeEnabled();
  await page.screenshot({ path: '/tmp/ui-setup.png', fullPage: true });
});

test('a recipe link fills the form and lists the field it could not use', async ({ page }) => {
  const recipe = { votes: 5, seed: 42, targetQuestions: 'many', faithful: true };
  await page.goto(`/#recipe=${encodeURIComponent(JSON.stringify(recipe))}`);
  await expect(page.getByLabel('Votes per question (k)')).toHaveValue('5');
  await expect(page.getByLabel('Seed')).toHaveValue('42');
  await expect(page.getByLabel('Paper-faithful')).toBeChecked();
  // The invalid field keeps its default and is named, not silently dropped.
  await expect(page.getByLabel('Questions wanted')).toHaveValue('100');
  const issues = page.getByTestId('recipe-issues');
  await expect(issues).toContainText('targetQuestions');
  await expect(page.getByTestId('loaded-recipe')).toContainText('1 problem');
  await page.screenshot({ path: '/tmp/ui-link.png' });
});

test('the hardware panel shows the SwiftShader adapter without shader-f16, so q4f32', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByTestId('adapter')).toContainText(/swiftshader/i);
  await expect(page.getByTestId('shader-f16')).toHaveText('no');
  await expect(page.getByTestId('quantization')).toContainText('q4f32_1');
  // The model picker offers the f32 variants this GPU can run.
  await expect(page.getByRole('radio', { name: /Qwen2.5 1.5B Instruct/ })).toHaveValue(
    'Qwen2.5-1.5B-Instruct-q4f32_1-MLC',
  );
});

test('the share link carries the recipe without the API key', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/');
  await page.getByRole('radio', { name: /OpenAI-compatible endpoint/ }).check();
  await page.getByLabel('API key').fill('sk-secret-123');
  await page.getByPlaceholder('e.g. qwen2.5:7b-instruct').fill('qwen2.5:7b');
  await page.getByRole('button', { name: 'Copy share link' }).click();
  const link = await page.getByLabel('Share link').inputValue();
  expect(link).toContain('#recipe=');
  const json = JSON.parse(decodeURIComponent(link.split('#recipe=')[1] ?? '')) as {
    engine: { kind: string; model: string; apiKey?: string };
  };
  expect(json.engine).toMatchObject({ kind: 'openai', model: 'qwen2.5:7b' });
  expect(link).not.toContain('sk-secret-123');
});

test('the other sections render their empty states', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('tab', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'No run in this tab yet' })).toBeVisible();
  await page.getByRole('tab', { name: 'Runs & data' }).click();
  await expect(page.getByText('No runs yet.')).toBeVisible();
  await page.getByRole('tab', { name: 'Export & import' }).click();
  await expect(page.getByRole('heading', { name: 'Storage' })).toBeVisible();
  await page.screenshot({ path: '/tmp/ui-export.png', fullPage: true });
});

test('a model whose weights are in the browser cache is marked cached', async ({ page }) => {
  await page.goto('/');
  await page.evaluate(async () => {
    const base = 'https://huggingface.co/mlc-ai/Qwen2.5-0.5B-Instruct-q4f32_1-MLC/resolve/main/';
    const cache = await caches.open('webllm/model');
    const manifest = { records: [{ dataPath: 'params_shard_0.bin' }] };
    await cache.put(`${base}tensor-cache.json`, new Response(JSON.stringify(manifest)));
    await cache.put(`${base}params_shard_0.bin`, new Response(new Uint8Array(8)));
  });
  await page.reload();
  const cached = page.getByRole('radio', { name: /Qwen2.5 0.5B Instruct.*cached/ });
  await expect(cached).toHaveValue('Qwen2.5-0.5B-Instruct-q4f32_1-MLC');
  await expect(page.getByRole('radio', { name: /Qwen2.5 1.5B Instruct.*cached/ })).toHaveCount(0);
});

test('a downloaded model can be removed from the browser, and loses its cached mark', async ({
  page,
}) => {
  await page.goto('/');
  await page.evaluate(async () => {
    const base = 'https://huggingface.co/mlc-ai/Qwen2.5-0.5B-Instruct-q4f32_1-MLC/resolve/main/';
    const cache = await caches.open('webllm/model');
    const manifest = { records: [{ dataPath: 'params_shard_0.bin' }] };
    await cache.put(`${base}tensor-cache.json`, new Response(JSON.stringify(manifest)));
    await cache.put(`${base}params_shard_0.bin`, new Response(new Uint8Array(8)));
  });
  await page.reload();
  const cached = page.getByRole('radio', { name: /Qwen2.5 0.5B Instruct.*cached/ });
  await expect(cached).toHaveCount(1);
  const remove = page.getByRole('button', { name: 'Remove the download of Qwen2.5 0.5B Instruct' });
  await expect(page.getByRole('button', { name: /^Remove the download of/ })).toHaveCount(1);
  await page.screenshot({ path: '/tmp/ui-model-cached.png', fullPage: true });
  await remove.click();
  await expect(cached).toHaveCount(0);
  await expect(remove).toHaveCount(0);
  const left = await page.evaluate(async () =>
    (await (await caches.open('webllm/model')).keys()).map((r) => r.url),
  );
  // The weights are gone; web-llm keeps only the small manifest that lists them.
  expect(left.filter((url) => url.endsWith('.bin'))).toEqual([]);
});

test('an uploaded recipe fills the form and names its file and bad fields', async ({ page }) => {
  await page.goto('/');
  const recipe = { votes: 4, similarityThreshold: 2, domain: 'math-llama2', extra: true };
  await page.getByLabel('Upload a recipe JSON file').setInputFiles({
    name: 'my-recipe.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(recipe)),
  });
  await expect(page.getByLabel('Votes per question (k)')).toHaveValue('4');
  await expect(page.getByLabel('Similarity threshold')).toHaveValue('0.875');
  await expect(page.getByTestId('bait-prompt')).toContainText(
    'create one unique math word problem',
  );
  await expect(page.getByTestId('loaded-recipe')).toContainText('my-recipe.json');
  const issues = page.getByTestId('recipe-issues');
  await expect(issues).toContainText('similarityThreshold');
  await expect(issues).toContainText('extra');
});

test('the section tabs follow the arrow keys', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('tab', { name: 'Setup' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Run', exact: true })).toBeFocused();
  await expect(page.getByRole('tab', { name: 'Run', exact: true })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('tab', { name: 'Export & import' })).toHaveAttribute(
    'aria-selected',
    'true',
  );
});

test('without WebGPU the page says so and offers the GGUF engine on the CPU first, then the endpoint', async ({
  page,
}) => {
  await page.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined });
  });
  await page.goto('/');
  await expect(page.getByText('not available')).toBeVisible();
  await expect(page.getByText('No WebGPU here:')).toBeVisible();
  // The setup already switched to the engine that runs here.
  await expect(page.getByRole('radio', { name: /GGUF model in this browser/ })).toBeChecked();
  await expect(page.getByRole('combobox', { name: /^GGUF model/ })).toHaveValue(
    'SmolLM2-135M-Instruct-Q4_1',
  );
  await expect(page.getByLabel('llama.cpp runs on')).toHaveValue('wasm');
  await page.getByRole('button', { name: 'Use an OpenAI-compatible endpoint' }).click();
  await expect(page.getByRole('radio', { name: /OpenAI-compatible endpoint/ })).toBeChecked();
  await expect(page.getByLabel('Base URL')).toBeVisible();
  await page.getByRole('button', { name: 'Run a GGUF model on the CPU' }).click();
  await expect(page.getByRole('radio', { name: /GGUF model in this browser/ })).toBeChecked();
  await page.screenshot({ path: '/tmp/ui-no-webgpu.png', fullPage: true });
});

test('a browser that refuses the database gets its own reason in the run list', async ({
  page,
}) => {
  await page.addInitScript(() => {
    IDBFactory.prototype.open = () => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    };
  });
  await page.goto('/');
  await page.getByRole('tab', { name: 'Runs & data' }).click();
  const notice = page.getByRole('alert').filter({ hasText: 'The stored runs cannot be read' });
  await expect(notice).toContainText('(SecurityError: The operation is insecure)');
  await expect(notice).toContainText('Use a normal window, or allow site data for this site');
  await expect(page.getByText('Reading the runs…')).toHaveCount(0);
});
