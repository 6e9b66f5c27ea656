// Loads TransformersEmbedder from a served model folder with the app's own onnxruntime files.
import { CrescentError } from '../../../src/lib/crescent/errors';
import { appOrtWasmPaths } from '../../../src/lib/engines/ortAssets';
import { TransformersEmbedder } from '../../../src/lib/engines/transformersEmbedder';
import type { LoadProgress } from '../../../src/lib/engines/reports';

export interface EmbedRequest {
  model: string;
  url: string;
  device: 'wasm' | 'webgpu';
  texts: string[];
  /** false: leave transformers.js to its default runtime location. */
  appRuntime: boolean;
}

export type EmbedResult =
  | { ok: true; dim: number; vectors: number[][]; progress: LoadProgress[]; wasm: string }
  | { ok: false; code: string; error: string };

self.onmessage = async (event: MessageEvent<EmbedRequest>) => {
  const { model, url, device, texts, appRuntime } = event.data;
  const progress: LoadProgress[] = [];
  try {
    const wasmPaths = appRuntime ? appOrtWasmPaths() : undefined;
    const embedder = await TransformersEmbedder.load({
      model,
      url,
      device,
      wasmPaths,
      onProgress: (p) => progress.push(p),
    });
    const vectors = await embedder.embed(texts);
    const result: EmbedResult = {
      ok: true,
      dim: embedder.dim,
      vectors: vectors.map((v) => Array.from(v)),
      progress,
      wasm: wasmPaths?.wasm ?? '',
    };
    self.postMessage(result);
  } catch (error) {
    const code = error instanceof CrescentError ? error.code : 'internal';
    self.postMessage({ ok: false, code, error: String(error) } satisfies EmbedResult);
  }
};
