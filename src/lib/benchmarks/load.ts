// Makes the run's benchmarks ready to check against: each file is downloaded once (or was loaded
// by the user) and kept in the browser, its questions embedded once per embedder and kept too.
import {
  BenchmarkNgrams,
  type ContaminationRule,
  type LoadedBenchmark,
} from '../crescent/contamination';
import { CrescentError, isAbort } from '../crescent/errors';
import type { Embedder } from '../crescent/types';
import { VectorIndex } from '../crescent/vectorIndex';
import type { BenchmarkSource } from '../recipe/types';
import { benchmarkKey } from './catalog';
import { parseBenchmark } from './parse';

export interface StoredBenchmark {
  /** benchmarkKey() of its source. */
  key: string;
  name: string;
  questions: string[];
  savedAt: number;
  /** The questions' embeddings, row after row, by the embedder named. */
  embeddings?: { model: string; dim: number; vectors: Float32Array };
}

export interface BenchmarkCache {
  get(key: string): Promise<StoredBenchmark | undefined>;
  put(benchmark: StoredBenchmark): Promise<void>;
}

export interface BenchmarkLoadOptions {
  cache: BenchmarkCache;
  /** Needed for the embedding rule only. */
  embedder?: Embedder;
  rule: ContaminationRule;
  fetch?: (url: string, init: { signal?: AbortSignal }) => Promise<Response>;
  signal?: AbortSignal;
  now?: () => number;
  onProgress?: (text: string, fraction: number | null) => void;
}

const EMBED_BATCH = 64;

async function download(source: BenchmarkSource & { url: string }, o: BenchmarkLoadOptions) {
  const doFetch = o.fetch ?? ((url, init) => fetch(url, init));
  let response: Response;
  try {
    response = await doFetch(source.url, o.signal ? { signal: o.signal } : {});
  } catch (error) {
    if (isAbort(error) || o.signal?.aborted) throw error;
    throw new CrescentError(
      {
        code: 'network',
        message: `The benchmark ${source.name} could not be downloaded from ${source.url}: ${String(error)}.`,
        action: 'Check the address and the connection, or load the file from disk in Setup.',
      },
      { cause: error },
    );
  }
  if (!response.ok) {
    throw new CrescentError({
      code: 'download-failed',
      message: `The benchmark ${source.name} could not be downloaded from ${source.url}: HTTP ${response.status}.`,
      action: 'Check the address, or load the file from disk in Setup.',
    });
  }
  return response.text();
}

async function storedOrFetched(source: BenchmarkSource, o: BenchmarkLoadOptions) {
  const key = benchmarkKey(source);
  const stored = await o.cache.get(key);
  if (stored) return stored;
  if (source.url === undefined) {
    throw new CrescentError({
      code: 'invalid-recipe',
      message: `The benchmark file ${source.name} is not in this browser.`,
      action: 'Load the file again under Decontamination in Setup, or give its address.',
    });
  }
  o.onProgress?.(`Downloading the benchmark ${source.name}`, null);
  const questions = parseBenchmark(await download({ ...source, url: source.url }, o), source.name);
  const fresh: StoredBenchmark = {
    key,
    name: source.name,
    questions,
    savedAt: o.now?.() ?? Date.now(),
  };
  await o.cache.put(fresh);
  return fresh;
}

async function embeddingsOf(
  stored: StoredBenchmark,
  embedder: Embedder,
  o: BenchmarkLoadOptions,
): Promise<VectorIndex> {
  const kept = stored.embeddings;
  if (kept && kept.model === embedder.model && kept.dim === embedder.dim) {
    const index = new VectorIndex(kept.dim, stored.questions.length);
    for (let i = 0; i < stored.questions.length; i++) {
      index.add(kept.vectors.subarray(i * kept.dim, (i + 1) * kept.dim));
    }
    return index;
  }
  const vectors = new Float32Array(stored.questions.length * embedder.dim);
  const index = new VectorIndex(embedder.dim, stored.questions.length);
  for (let i = 0; i < stored.questions.length; i += EMBED_BATCH) {
    o.onProgress?.(`Embedding the benchmark ${stored.name}`, i / stored.questions.length);
    const batch = stored.questions.slice(i, i + EMBED_BATCH);
    const embedded = await embedder.embed(batch, o.signal);
    embedded.forEach((v, j) => {
      vectors.set(v, (i + j) * embedder.dim);
      index.add(v);
    });
  }
  await o.cache.put({
    ...stored,
    embeddings: { model: embedder.model, dim: embedder.dim, vectors },
  });
  return index;
}

/** The benchmarks in the order given; the embedding rule's vectors only when that rule is on. */
export async function loadBenchmarks(
  sources: readonly BenchmarkSource[],
  options: BenchmarkLoadOptions,
): Promise<LoadedBenchmark[]> {
  const loaded: LoadedBenchmark[] = [];
  for (const source of sources) {
    const stored = await storedOrFetched(source, options);
    loaded.push({
      name: source.name,
      questions: stored.questions,
      ngrams:
        options.rule.ngram > 0 ? new BenchmarkNgrams(stored.questions, options.rule.ngram) : null,
      vectors:
        options.embedder && options.rule.similarity < 1
          ? await embeddingsOf(stored, options.embedder, options)
          : null,
    });
  }
  return loaded;
}
