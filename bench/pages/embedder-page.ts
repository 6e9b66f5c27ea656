// Starts bench workers for embedder.bench.ts: one per onnxruntime setting that is fixed per
// worker (the device, and the thread count, which the first model loaded fixes).
import * as Comlink from 'comlink';
import type { EmbedderBenchWorker } from './embedder.worker';

declare global {
  interface Window {
    /** Worker name -> the worker's API. */
    embedderBench: (name: string) => Comlink.Remote<EmbedderBenchWorker>;
  }
}

const workers = new Map<string, Comlink.Remote<EmbedderBenchWorker>>();

window.embedderBench = (name) => {
  let remote = workers.get(name);
  if (!remote) {
    const worker = new Worker(new URL('./embedder.worker.ts', import.meta.url), { type: 'module' });
    remote = Comlink.wrap<EmbedderBenchWorker>(worker);
    workers.set(name, remote);
  }
  return remote;
};
