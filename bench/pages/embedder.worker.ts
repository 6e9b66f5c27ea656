// The app's embedder (TransformersEmbedder with the app's own onnxruntime files) in a dedicated
// worker, as the pipeline worker runs it, timed where it runs.
import * as Comlink from 'comlink';
import { appOrtWasmPaths } from '../../src/lib/engines/ortAssets';
import {
  TransformersEmbedder,
  type TransformersEmbedderOptions,
} from '../../src/lib/engines/transformersEmbedder';
import { sentencesPerSecond } from '../embedderTiming';

export type LoadRequest = Pick<
  TransformersEmbedderOptions,
  'model' | 'url' | 'device' | 'dtype' | 'threads' | 'batchSize'
>;

const embedders = new Map<string, TransformersEmbedder>();

function loaded(key: string): TransformersEmbedder {
  const embedder = embedders.get(key);
  if (!embedder) throw new Error(`no embedder ${key} in this worker`);
  return embedder;
}

const api = {
  async load(key: string, request: LoadRequest): Promise<{ isolated: boolean }> {
    const embedder = await TransformersEmbedder.load({
      ...request,
      wasmPaths: appOrtWasmPaths(),
      allowRemote: true,
    });
    embedders.set(key, embedder);
    return { isolated: self.crossOriginIsolated };
  },
  async embed(key: string, texts: string[]): Promise<number[][]> {
    return (await loaded(key).embed(texts)).map((v) => Array.from(v));
  },
  speed(key: string, texts: string[], batch: number, rounds: number): Promise<number> {
    return sentencesPerSecond(loaded(key), texts, batch, rounds);
  },
};

export type EmbedderBenchWorker = typeof api;

Comlink.expose(api);
