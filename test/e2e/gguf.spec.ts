// The whole Crescent loop for real, in Chromium: SmolLM2-135M-Instruct through the GGUF engine
// (wllama: llama.cpp in WebAssembly, on the CPU) in the app's pipeline worker, and the real
// all-MiniLM-L6-v2 through transformers.js. What holds for any real run is checked, not whether
// a 135M model gets its sums right.
import { expect, test } from '@playwright/test';
import { env, pipeline } from '@huggingface/transformers';
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { extractQuestion } from '../../src/lib/crescent/extractQuestion';
import { defaultRecipe } from '../../src/lib/recipe/defaults';
import type { Recipe } from '../../src/lib/recipe/types';
import { readWithHuggingFace } from '../fixtures/hfDatasets';
import { modelHost, type ModelHost } from './modelHost';
import { storedDatasets } from './storedRuns';

interface StoredQuestion {
  seq: number;
  raw: string;
  text: string | null;
  status: string;
  reason?: string;
  tokens: number;
  similarity?: number | null;
  embedding?: number[];
}
interface StoredSample {
  questionSeq: number;
  raw: string;
  tokens: number;
  finishReason: string;
}
interface StoredPair {
  questionSeq: number;
  question: string;
  votes: Record<string, number> | unknown;
  samplesDrawn?: number;
}

const cosine = (a: readonly number[], b: readonly number[]) =>
  a.reduce((sum, x, i) => sum + x * b[i]!, 0);

let host: ModelHost | undefined;
test.afterEach(async () => {
  await host?.close();
  host = undefined;
});

test('three pairs from SmolLM2 on the CPU with the real MiniLM, resumed after a reload mid-run', async ({
  page,
}) => {
  test.setTimeout(900_000);
  host = await modelHost();
  const embedder = host.miniLM;
  const recipe: Recipe = {
    ...defaultRecipe(),
    engine: {
      kind: 'wllama',
      model: 'SmolLM2-135M-Instruct-Q4_1',
      modelUrl: host.ggufUrl,
      device: 'wasm',
    },
    embedder: {
      kind: 'transformers',
      model: embedder.modelId,
      url: host.miniLMUrl,
      device: 'wasm',
    },
    targetQuestions: 3,
    votes: 3,
    questionMaxTokens: 96,
    answerMaxTokens: 128,
  };
  const logs: string[] = [];
  page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
  await page.goto(`/#recipe=${encodeURIComponent(JSON.stringify(recipe))}`);
  await page.getByRole('button', { name: 'Start run' }).click();
  const status = page.getByTestId('run-status');
  const failure = async () =>
    `the run stopped: ${(await page.locator('[role="alert"]').allTextContents()).join(' | ')}\n${logs.slice(-30).join('\n')}`;

  // A reload once the first pair is stored: the run resumes from what the browser kept.
  await expect
    .poll(async () => (await storedDatasets(page))[0]?.pairs.length ?? 0, {
      timeout: 420_000,
      intervals: [2000],
    })
    .toBeGreaterThanOrEqual(1);
  const beforeReload = (await storedDatasets(page))[0]!;
  await page.reload();
  await page.getByRole('tab', { name: /Runs & data/ }).click();
  await page.getByRole('button', { name: 'Resume' }).click();
  // Read from llama.cpp's load log; the dev server gives no cross-origin isolation, so one thread.
  await expect(page.getByTestId('engine-place')).toHaveText('Runs on one CPU thread.', {
    timeout: 120_000,
  });
  await expect(status).toHaveText(/^(done|failed|paused)$/, { timeout: 600_000 });
  if ((await status.textContent()) !== 'done') throw new Error(await failure());

  const run = (await storedDatasets(page))[0]!;
  const questions = run.questions as StoredQuestion[];
  const samples = run.samples as StoredSample[];
  const pairs = run.pairs as StoredPair[];
  expect(pairs).toHaveLength(3);
  // Nothing stored before the reload was lost or written again.
  for (const q of beforeReload.questions) expect(run.questions).toContainEqual(q);
  for (const s of beforeReload.samples) expect(run.samples).toContainEqual(s);
  expect(new Set(questions.map((q) => q.seq)).size).toBe(questions.length);

  // Each question is the model's own reply as the extractor left it; a reply cut by the token
  // limit is no question at all.
  for (const q of questions) {
    expect(q.tokens).toBeGreaterThan(0);
    if (q.reason === 'truncated') expect(q.text).toBeNull();
    else expect(q.text).toBe(extractQuestion(q.raw));
  }
  const accepted = questions.filter((q) => q.status === 'accepted');
  expect(accepted.length).toBeGreaterThanOrEqual(3);

  // The embeddings are MiniLM's: 384 numbers of unit length, the same as transformers.js in
  // Node gives for the same text, and each similarity is the nearest earlier accepted one's.
  for (const q of accepted) {
    expect(q.embedding).toHaveLength(384);
    expect(Math.abs(cosine(q.embedding!, q.embedding!) - 1)).toBeLessThan(1e-4);
  }
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = embedder.root;
  // The app's setting on WebAssembly: the int8 model. Node's onnxruntime rounds its dynamic
  // quantisation a little differently, so the same text comes out close, not bit-equal.
  const extract = await pipeline('feature-extraction', embedder.modelId, { dtype: 'q8' });
  const embed = async (text: string) =>
    Array.from((await extract(text, { pooling: 'mean', normalize: true })).data as Float32Array);
  const first = accepted[0]!;
  const same = cosine(await embed(first.text!), first.embedding!);
  const unrelated = cosine(
    await embed('The museum opens at nine and closes at five on weekdays.'),
    first.embedding!,
  );
  expect(same).toBeGreaterThan(0.99);
  expect(unrelated).toBeLessThan(same - 0.3);
  for (const [i, q] of accepted.entries()) {
    if (i === 0 || q.similarity === undefined || q.similarity === null) continue;
    const nearest = Math.max(
      ...accepted.slice(0, i).map((p) => cosine(p.embedding!, q.embedding!)),
    );
    expect(q.similarity).toBeCloseTo(nearest, 4);
  }

  // Pairs carry their votes and the samples they came from; every sample says how it ended.
  for (const pair of pairs) {
    const own = samples.filter((s) => s.questionSeq === pair.questionSeq);
    expect(own.length).toBeGreaterThanOrEqual(1);
    expect(own.length).toBeLessThanOrEqual(3);
    expect(pair.votes).toBeDefined();
  }
  for (const s of samples) {
    expect(['stop', 'length']).toContain(s.finishReason);
    expect(s.tokens).toBeGreaterThan(0);
  }

  // The export is valid JSON lines: one per pair the export's default filter keeps (those with
  // an answer), each with its question, votes and samples.
  await page.getByRole('tab', { name: 'Export & import' }).click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: /^Download JSONL/ }).click(),
  ]);
  const lines = (await readFile((await download.path())!, 'utf8')).trim().split('\n');
  expect(lines.length).toBeGreaterThanOrEqual(1);
  expect(lines.length).toBeLessThanOrEqual(3);
  for (const line of lines) {
    const record = JSON.parse(line) as { question: string; votes: object; samples: number };
    expect(pairs.map((p) => p.question)).toContain(record.question);
    expect(record.samples).toBeGreaterThanOrEqual(1);
    expect(typeof record.votes).toBe('object');
  }

  // Every format as its readers see it: Hugging Face `datasets` loads each file with the columns
  // its shape names, and the card's YAML header parses as the Hub reads it.
  const EXPORTS = '.cache/e2e-gguf-exports';
  await rm(EXPORTS, { recursive: true, force: true });
  await mkdir(EXPORTS, { recursive: true });
  const COLUMNS: Record<string, string[]> = {
    openai: ['messages'],
    sharegpt: ['conversations'],
    alpaca: ['instruction', 'input', 'output'],
    dpo: ['prompt', 'chosen', 'rejected'],
  };
  const written: string[] = [];
  const names: string[] = [];
  for (const format of ['full', 'openai', 'sharegpt', 'alpaca', 'dpo']) {
    await page.locator(`input[name="export-format"][value="${format}"]`).check();
    const button = page.getByRole('button', { name: /^Download JSONL/ });
    // A format can hold no line for this run (dpo needs split votes that pass the bar).
    if (await button.isDisabled()) continue;
    const [file] = await Promise.all([page.waitForEvent('download'), button.click()]);
    const path = join(EXPORTS, `${format}.jsonl`);
    await copyFile((await file.path())!, path);
    written.push(path);
    names.push(file.suggestedFilename());
  }
  const [cardFile] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download dataset card (README.md)' }).click(),
  ]);
  const cardPath = join(EXPORTS, 'README.md');
  await copyFile((await cardFile.path())!, cardPath);
  const read = await readWithHuggingFace([...written, cardPath]);
  expect(Object.keys(read.files).length).toBeGreaterThanOrEqual(4);
  for (const [path, { columns, rows }] of Object.entries(read.files)) {
    const format = path.split('/').at(-1)!.replace('.jsonl', '');
    expect(rows).toBe(lines.length);
    if (format === 'full') {
      expect(columns).toEqual(
        expect.arrayContaining([
          'question',
          'answer_text',
          'final_answer',
          'votes',
          'samples',
          'k',
        ]),
      );
    } else expect(columns).toEqual(COLUMNS[format]);
  }
  expect(read.card?.metadata).toBeTruthy();
  // The card names a data file only if it is one of those written (the format last chosen, dpo,
  // has none here).
  const configs = read.card?.metadata['configs'] as { data_files: string }[] | undefined;
  for (const config of configs ?? []) {
    expect(names).toContain(config.data_files);
  }
  expect(read.card?.data).toMatchObject({
    license: 'other',
    size_categories: ['n<1K'],
    task_categories: ['question-answering', 'text-generation'],
    tags: expect.arrayContaining(['synthetic', 'math']),
  });

  const tokens = samples.reduce((sum, s) => sum + s.tokens, 0);
  console.log(
    JSON.stringify({
      same,
      unrelated,
      proposals: questions.length,
      reasons: questions.map((q) => q.reason ?? q.status),
      accepted: accepted.length,
      samples: samples.length,
      tokens,
      finish: samples.map((s) => s.finishReason),
      exported: lines.length,
      hf: read,
      pairs: pairs.map((p) => ({ q: p.question.slice(0, 80), votes: p.votes })),
    }),
  );
});
