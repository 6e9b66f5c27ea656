// Sentence embeddings with transformers.js (all-MiniLM-L6-v2 by default): mean pooling and L2
// normalisation as in the paper's code, on WASM or WebGPU, from the Hub or a self-hosted copy.
import {
  env,
  pipeline,
  type FeatureExtractionPipeline,
  type ProgressInfo,
} from '@huggingface/transformers';
import { CrescentError } from '../crescent/errors';
import type { AbortSignalLike, Embedder } from '../crescent/types';
import type { LoadProgress } from './reports';
import { stopped } from './stopped';

const DEFAULT_EMBEDDING_MODEL = 'Xenova/all-MiniLM-L6-v2';

/**
 * Texts per inference call. Grouped by length, batches of 8 embed a call of 64 math questions
 * faster than batches of 32 or one text at a time, on WASM and natively (bench/embedder.bench.ts).
 */
export const DEFAULT_BATCH_SIZE = 8;

const HUB_HOST = 'https://huggingface.co/';
const HUB_PATH = '{model}/resolve/{revision}/';

export interface OrtWasmPaths {
  mjs: string;
  wasm: string;
}

export interface TransformersEmbedderOptions {
  model?: string;
  /**
   * Root of a self-hosted copy, holding `<model>/config.json`, `<model>/onnx/...`; absolute or
   * relative to the page. Without it files come from the Hugging Face Hub.
   */
  url?: string;
  /** A folder on disk laid out the same way (Node). */
  localPath?: string;
  device?: 'wasm' | 'webgpu';
  /** q8 reads onnx/model_quantized.onnx, fp32 onnx/model.onnx. */
  dtype?: 'q8' | 'fp32' | 'fp16';
  /** Where onnxruntime-web's runtime files are; the app passes its own copy (never a CDN). */
  wasmPaths?: OrtWasmPaths;
  onProgress?: (progress: LoadProgress) => void;
  /** false: only what is cached or on disk. */
  allowRemote?: boolean;
  /** Texts per inference call. */
  batchSize?: number;
  /**
   * onnxruntime's intra-op threads (WASM in a page or worker: fixed by the first model a worker
   * loads; CPU in Node). Unset: onnxruntime's own choice.
   */
  threads?: number;
  /** Checked once the files are in: a download cannot be cut short from here. */
  signal?: AbortSignalLike;
}

const isNode =
  typeof process !== 'undefined' &&
  (process as { release?: { name?: string } }).release?.name === 'node';

function absolute(url: string): string {
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  const resolved = new URL(url, base).href;
  return resolved.endsWith('/') ? resolved : `${resolved}/`;
}

/** transformers.js is configured through one global object; each load sets all it relies on. */
function configure(options: TransformersEmbedderOptions): void {
  env.allowRemoteModels = options.allowRemote ?? true;
  env.remoteHost = options.url ? absolute(options.url) : HUB_HOST;
  env.remotePathTemplate = options.url ? '{model}/' : HUB_PATH;
  env.allowLocalModels = options.localPath !== undefined;
  if (options.localPath !== undefined) env.localModelPath = options.localPath;
  const wasm = env.backends.onnx.wasm;
  if (options.wasmPaths && wasm) wasm.wasmPaths = { ...options.wasmPaths };
  if (wasm && options.threads !== undefined) wasm.numThreads = options.threads;
  // With its wasm cache on, transformers.js fetches onnxruntime's loader script, edits it and
  // imports it from a blob: URL, which the content security policy (script-src 'self') refuses.
  // Off, onnxruntime imports the app's own copy directly; the browser's cache still keeps it.
  env.useWasmCache = false;
}

function progressReporter(
  model: string,
  report: ((progress: LoadProgress) => void) | undefined,
): ((info: ProgressInfo) => void) | undefined {
  if (!report) return undefined;
  return (info) => {
    if (info.status === 'progress_total') {
      report({
        phase: 'embedder',
        fraction: info.total > 0 ? info.loaded / info.total : null,
        text: `Loading the embedding model ${model}`,
        bytesLoaded: info.loaded,
        bytesTotal: info.total,
      });
    } else if (info.status === 'ready') {
      report({ phase: 'embedder', fraction: 1, text: `Embedding model ${model} ready` });
    }
  };
}

function loadError(model: string, where: string, cause: unknown): CrescentError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  const missing = /could not locate|not found|404|local_files_only|allowRemoteModels/i.test(detail);
  if (cause instanceof TypeError || missing) {
    return new CrescentError(
      {
        code: 'model-unreachable',
        message: `Could not fetch the embedding model ${model} from ${where}: ${detail}`,
        action: missing
          ? `Check that ${where} holds ${model}/config.json, tokenizer.json and onnx/.`
          : 'Check the connection and retry; once loaded, the model is cached for offline use.',
        retryable: !missing,
      },
      { cause },
    );
  }
  return new CrescentError(
    {
      code: 'download-failed',
      message: `Could not start the embedding model ${model}: ${detail}`,
      action: 'Retry; if it fails again, clear the cached model files and reload the page.',
      retryable: true,
    },
    { cause },
  );
}

/**
 * The texts' positions in inference batches of at most `size`, texts of like length together: a
 * batch is padded to its longest text, and the padding costs as much to run as words do.
 */
export function lengthBatches(texts: readonly string[], size: number): number[][] {
  const order = texts
    .map((_, i) => i)
    .sort((a, b) => (texts[a]?.length ?? 0) - (texts[b]?.length ?? 0));
  const batches: number[][] = [];
  for (let start = 0; start < order.length; start += size)
    batches.push(order.slice(start, start + size));
  return batches;
}

export class TransformersEmbedder implements Embedder {
  readonly model: string;
  readonly dim: number;
  private readonly extract: FeatureExtractionPipeline;
  private readonly batchSize: number;

  private constructor(
    model: string,
    dim: number,
    extract: FeatureExtractionPipeline,
    batchSize: number,
  ) {
    this.model = model;
    this.dim = dim;
    this.extract = extract;
    this.batchSize = batchSize;
  }

  static async load(options: TransformersEmbedderOptions = {}): Promise<TransformersEmbedder> {
    const model = options.model ?? DEFAULT_EMBEDDING_MODEL;
    const device = options.device ?? 'wasm';
    const where = options.localPath ?? (options.url ? absolute(options.url) : HUB_HOST);
    configure(options);
    let extract: FeatureExtractionPipeline;
    try {
      extract = await pipeline('feature-extraction', model, {
        // onnxruntime-node has no WASM backend; its CPU backend computes the same thing.
        device: device === 'wasm' && isNode ? 'cpu' : device,
        dtype: options.dtype ?? (device === 'webgpu' ? 'fp32' : 'q8'),
        session_options:
          isNode && options.threads !== undefined
            ? { intraOpNumThreads: options.threads, interOpNumThreads: 1 }
            : undefined,
        progress_callback: progressReporter(model, options.onProgress),
      });
    } catch (error) {
      throw loadError(model, where, error);
    }
    if (options.signal?.aborted) {
      await extract.dispose();
      throw stopped(options.signal);
    }
    const probe = await extract(['dimension probe'], { pooling: 'mean', normalize: true });
    const dim = probe.dims[1];
    if (dim === undefined) throw loadError(model, where, new Error('the model gave no vectors'));
    return new TransformersEmbedder(model, dim, extract, options.batchSize ?? DEFAULT_BATCH_SIZE);
  }

  async embed(texts: readonly string[], signal?: AbortSignalLike): Promise<Float32Array[]> {
    const vectors: Float32Array[] = new Array<Float32Array>(texts.length);
    for (const batch of lengthBatches(texts, this.batchSize)) {
      // Inference cannot be interrupted; stopping between batches is the finest grain there is.
      if (signal?.aborted) throw stopped(signal);
      const output = await this.extract(
        batch.map((i) => texts[i] ?? ''),
        { pooling: 'mean', normalize: true },
      );
      const data = output.data;
      if (!(data instanceof Float32Array)) throw new Error(`Unexpected ${output.type} embeddings`);
      batch.forEach((index, i) => (vectors[index] = data.slice(i * this.dim, (i + 1) * this.dim)));
      output.dispose();
    }
    if (signal?.aborted) throw stopped(signal);
    return vectors;
  }

  async dispose(): Promise<void> {
    await this.extract.dispose();
  }
}
