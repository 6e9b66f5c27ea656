import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrescentError } from '../src/lib/crescent/errors';
import {
  DEFAULT_BATCH_SIZE,
  lengthBatches,
  TransformersEmbedder,
} from '../src/lib/engines/transformersEmbedder';
import type { LoadProgress } from '../src/lib/engines/reports';
import { referenceEmbedding, TINY_DIM, TINY_MODEL_ID, writeTinyModel } from './fixtures/tinyModel';

let root = '';
let embedder: TransformersEmbedder;
const progress: LoadProgress[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'crescent-tiny-'));
  await writeTinyModel(root);
  embedder = await TransformersEmbedder.load({
    model: TINY_MODEL_ID,
    localPath: root,
    allowRemote: false,
    onProgress: (p) => progress.push(p),
  });
});

afterAll(async () => {
  await embedder?.dispose();
  await rm(root, { recursive: true, force: true });
});

function dot(a: Float32Array, b: Float32Array): number {
  return a.reduce((sum, v, i) => sum + v * (b[i] ?? 0), 0);
}

describe('TransformersEmbedder on the tiny model (real transformers.js, offline)', () => {
  it('learns the dimension from the model', () => {
    expect(embedder.dim).toBe(TINY_DIM);
    expect(embedder.model).toBe(TINY_MODEL_ID);
  });

  it('equals the mean-pooled, normalised embedding computed by hand', async () => {
    const [vector] = await embedder.embed(['The farmer sold 12 apples.']);
    const expected = referenceEmbedding(['the', 'farmer', 'sold', '12', 'apples', '.']);
    expect(vector).toHaveLength(TINY_DIM);
    expected.forEach((value, d) => expect(vector?.[d]).toBeCloseTo(value, 5));
  });

  it('splits unknown words into word pieces the way the tokenizer.json says', async () => {
    const [vector] = await embedder.embed(['apples travel, oranges traveled']);
    const expected = referenceEmbedding(['apples', 'travel', ',', 'oranges', 'travel', '##ed']);
    expected.forEach((value, d) => expect(vector?.[d]).toBeCloseTo(value, 5));
  });

  it('returns unit vectors, the same for a text alone or padded in a batch', async () => {
    const texts = ['How many apples are left?', 'a', 'The train travels 60 miles per hour.'];
    const batch = await embedder.embed(texts);
    const alone = await Promise.all(texts.map(async (t) => (await embedder.embed([t]))[0]));
    batch.forEach((vector, i) => {
      expect(dot(vector, vector)).toBeCloseTo(1, 5);
      const single = alone[i];
      if (!single) throw new Error('missing vector');
      vector.forEach((value, d) => expect(value).toBeCloseTo(single[d] ?? NaN, 5));
    });
  });

  it('places a reworded problem nearer than an unrelated one', async () => {
    const [base, reworded, other] = await embedder.embed([
      'The farmer has 12 apples. How many are left?',
      'The farmer has 5 apples. How many are left?',
      'What is the sum of 60 and 5?',
    ]);
    if (!base || !reworded || !other) throw new Error('missing vector');
    expect(dot(base, reworded)).toBeGreaterThan(dot(base, other));
  });

  it('reports loading progress ending with ready', () => {
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((p) => p.phase === 'embedder')).toBe(true);
    expect(progress.at(-1)?.fraction).toBe(1);
  });

  it('keeps results in order across several inference batches', async () => {
    const texts = Array.from({ length: 70 }, (_, i) => (i % 2 ? 'apples' : 'the train'));
    const vectors = await embedder.embed(texts);
    const [apples, train] = await embedder.embed(['apples', 'the train']);
    expect(vectors).toHaveLength(70);
    vectors.forEach((v, i) => expect(dot(v, (i % 2 ? apples : train) ?? v)).toBeCloseTo(1, 5));
  });
});

describe('TransformersEmbedder batches', () => {
  type Extract = (texts: string[], options: object) => Promise<unknown>;

  /** Records the texts of every inference call the embedder makes. */
  function recordCalls(target: TransformersEmbedder): { calls: string[][]; restore(): void } {
    const holder = target as unknown as { extract: Extract };
    const inner = holder.extract;
    const calls: string[][] = [];
    holder.extract = (texts, options) => {
      calls.push([...texts]);
      return inner(texts, options);
    };
    return { calls, restore: () => (holder.extract = inner) };
  }

  it('runs 8 texts an inference by default, texts of like length together, in the caller order', async () => {
    const texts = Array.from({ length: 12 }, (_, i) =>
      i % 2 ? `apples ${'and apples '.repeat(i)}` : `the train ${'x '.repeat(i)}`.trim(),
    );
    const alone = await Promise.all(texts.map(async (t) => (await embedder.embed([t]))[0]));
    const recorder = recordCalls(embedder);
    const vectors = await embedder.embed(texts).finally(recorder.restore);

    const byLength = [...texts].sort((a, b) => a.length - b.length);
    expect(DEFAULT_BATCH_SIZE).toBe(8);
    expect(recorder.calls).toEqual([byLength.slice(0, 8), byLength.slice(8)]);
    vectors.forEach((v, i) => expect(dot(v, alone[i] ?? new Float32Array())).toBeCloseTo(1, 5));
  });

  it('groups positions by text length, stable among equal lengths', () => {
    expect(lengthBatches(['ccc', 'a', 'bb', 'd', 'eeee'], 2)).toEqual([[1, 3], [2, 0], [4]]);
    expect(lengthBatches([], 8)).toEqual([]);
  });
});

describe('TransformersEmbedder loading errors', () => {
  it('says the model is unreachable when its files are not where they should be', async () => {
    const error: unknown = await TransformersEmbedder.load({
      model: 'test/missing-model',
      localPath: root,
      allowRemote: false,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrescentError);
    expect((error as CrescentError).code).toBe('model-unreachable');
    expect((error as CrescentError).action).toContain('test/missing-model/config.json');
  });
});

describe('TransformersEmbedder and a stopped run', () => {
  it('does not hand out an embedder once the run was aborted during loading', async () => {
    const controller = new AbortController();
    controller.abort();
    const error: unknown = await TransformersEmbedder.load({
      model: TINY_MODEL_ID,
      localPath: root,
      allowRemote: false,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect((error as CrescentError).code).toBe('aborted');
  });

  it('stops between batches when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const error: unknown = await embedder.embed(['a'], controller.signal).catch((e: unknown) => e);
    expect((error as CrescentError).code).toBe('aborted');
  });
});
