import { describe, expect, it } from 'vitest';
import { GSM8K_TEST, benchmarkKey } from '../src/lib/benchmarks/catalog';
import { loadBenchmarks, type StoredBenchmark } from '../src/lib/benchmarks/load';
import { parseBenchmark } from '../src/lib/benchmarks/parse';
import { CrescentError } from '../src/lib/crescent/errors';
import { HashingEmbedder } from '../src/lib/engines/doubles/hashingEmbedder';

const GSM_LINES = [
  { question: 'Janet has 3 ducks. How many legs?', answer: '#### 6' },
  { question: 'A robe takes 2 bolts. How many in total?', answer: '#### 3' },
]
  .map((r) => JSON.stringify(r))
  .join('\n');

describe('parseBenchmark', () => {
  it('reads JSON Lines by question or problem, and a JSON array', () => {
    expect(parseBenchmark(`${GSM_LINES}\n\n`, 'gsm')).toEqual([
      'Janet has 3 ducks. How many legs?',
      'A robe takes 2 bolts. How many in total?',
    ]);
    expect(parseBenchmark('{"problem":"Find $x$.","answer":"1"}', 'math')).toEqual(['Find $x$.']);
    expect(parseBenchmark('["a?", {"prompt":"b?"}]', 'list')).toEqual(['a?', 'b?']);
  });
  it('names the bad line, the missing field and the empty file', () => {
    expect(() => parseBenchmark('{"question":"a"}\n{oops', 'gsm')).toThrow(
      /gsm.*line 2 is not JSON/,
    );
    expect(() => parseBenchmark('{"answer":"1"}', 'gsm')).toThrow(/row 1 has no question/);
    expect(() => parseBenchmark('  \n', 'gsm')).toThrow(/holds no questions/);
    try {
      parseBenchmark('{"answer":"1"}', 'gsm');
    } catch (error) {
      expect(error).toBeInstanceOf(CrescentError);
      expect((error as CrescentError).code).toBe('invalid-import');
    }
  });
});

function memoryCache() {
  const kept = new Map<string, StoredBenchmark>();
  return {
    kept,
    get: async (key: string) => kept.get(key),
    put: async (b: StoredBenchmark) => {
      kept.set(b.key, b);
    },
  };
}

describe('loadBenchmarks', () => {
  const embedder = new HashingEmbedder(32);
  const rule = { ngram: 8, similarity: 0.9 };

  it('downloads once, embeds once, and serves both from the cache afterwards', async () => {
    const cache = memoryCache();
    const urls: string[] = [];
    const fetch = async (url: string) => {
      urls.push(url);
      return new Response(GSM_LINES);
    };
    const [first] = await loadBenchmarks([GSM8K_TEST], { cache, embedder, rule, fetch });
    expect(first?.questions).toHaveLength(2);
    expect(first?.vectors?.size).toBe(2);
    expect(first?.ngrams?.match('Janet has 9 ducks. How many legs?')?.index).toBe(0);
    const stored = cache.kept.get(benchmarkKey(GSM8K_TEST));
    expect(stored?.embeddings?.model).toBe(embedder.model);

    let embedCalls = 0;
    const counting = {
      ...embedder,
      model: embedder.model,
      dim: embedder.dim,
      embed: async (t: readonly string[]) => (embedCalls++, embedder.embed(t)),
    };
    const [again] = await loadBenchmarks([GSM8K_TEST], { cache, embedder: counting, rule, fetch });
    expect(urls).toEqual([GSM8K_TEST.url]);
    expect(embedCalls).toBe(0);
    const [v] = await embedder.embed(['A robe takes 2 bolts. How many in total?']);
    expect(again?.vectors?.nearest(v ?? new Float32Array(32))?.index).toBe(1);
  });

  it('embeds again for another embedder, and not at all with the embedding rule off', async () => {
    const cache = memoryCache();
    const fetch = async () => new Response(GSM_LINES);
    await loadBenchmarks([GSM8K_TEST], { cache, embedder, rule, fetch });
    const other = new HashingEmbedder(16);
    const [b] = await loadBenchmarks([GSM8K_TEST], {
      cache,
      embedder: Object.assign(other, { model: 'other' }),
      rule,
      fetch,
    });
    expect(b?.vectors?.dim).toBe(16);
    const [off] = await loadBenchmarks([GSM8K_TEST], {
      cache: memoryCache(),
      embedder,
      rule: { ngram: 8, similarity: 1 },
      fetch,
    });
    expect(off?.vectors).toBeNull();
    expect(off?.ngrams).not.toBeNull();
  });

  it('says which benchmark could not be had, and why', async () => {
    const cache = memoryCache();
    await expect(
      loadBenchmarks([{ name: 'gsm', url: 'http://127.0.0.1:9/x.jsonl' }], {
        cache,
        embedder,
        rule,
        fetch: async () => new Response('nope', { status: 404 }),
      }),
    ).rejects.toMatchObject({
      code: 'download-failed',
      message: expect.stringMatching(/gsm.*HTTP 404/),
    });
    await expect(
      loadBenchmarks([{ name: 'gsm', url: 'http://127.0.0.1:9/x.jsonl' }], {
        cache,
        embedder,
        rule,
        fetch: async () => {
          throw new TypeError('Failed to fetch');
        },
      }),
    ).rejects.toMatchObject({ code: 'network' });
    await expect(
      loadBenchmarks([{ name: 'mine.jsonl' }], { cache, embedder, rule }),
    ).rejects.toMatchObject({
      code: 'invalid-recipe',
      message: expect.stringContaining('mine.jsonl'),
    });
    expect(cache.kept.size).toBe(0);
  });
});
