// The embedder a recipe asks for: transformers.js in this worker, or a server's /embeddings.
// transformers.js (with onnxruntime's loader, about 6 MB) is imported only when it is the one.
import type { AbortSignalLike, Embedder } from '../crescent/types';
import type { EmbedderSpec } from '../recipe/types';
import type { LoadProgress } from './reports';
import type { FetchLike } from './openaiHttp';
import { OpenAIEmbedder } from './openaiEmbedder';
import { appOrtWasmPaths } from './ortAssets';
import type { OrtWasmPaths } from './transformersEmbedder';

export interface CreateEmbedderOptions {
  onProgress?: (progress: LoadProgress) => void;
  signal?: AbortSignalLike;
  /** Defaults to the app's own copy of onnxruntime-web. */
  wasmPaths?: OrtWasmPaths;
  fetch?: FetchLike;
}

export async function createEmbedder(
  spec: EmbedderSpec,
  options: CreateEmbedderOptions = {},
): Promise<Embedder> {
  if (spec.kind === 'openai') {
    const { baseUrl, model, apiKey } = spec;
    options.onProgress?.({ phase: 'embedder', fraction: null, text: `Connecting to ${baseUrl}` });
    // Embedding one probe text checks the server and learns the dimension before the run starts.
    const embedder = await OpenAIEmbedder.create(
      { baseUrl, model, apiKey, fetch: options.fetch },
      options.signal,
    );
    options.onProgress?.({
      phase: 'embedder',
      fraction: 1,
      text: `Embeddings from ${model} ready`,
    });
    return embedder;
  }
  const { TransformersEmbedder } = await import('./transformersEmbedder');
  return TransformersEmbedder.load({
    model: spec.model,
    url: spec.url,
    device: spec.device,
    wasmPaths: options.wasmPaths ?? appOrtWasmPaths(),
    onProgress: options.onProgress,
    signal: options.signal,
  });
}
