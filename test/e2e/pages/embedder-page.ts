// Runs the transformers.js embedder in a module worker, as the pipeline does, for embedder.spec.ts.
import type { EmbedRequest, EmbedResult } from './embedder.worker';

declare global {
  interface Window {
    embedInWorker(request: EmbedRequest): Promise<EmbedResult>;
  }
}

window.embedInWorker = (request) =>
  new Promise((resolve) => {
    const worker = new Worker(new URL('./embedder.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<EmbedResult>) => {
      resolve(event.data);
      worker.terminate();
    };
    worker.onerror = (event) => resolve({ ok: false, code: 'worker', error: event.message });
    worker.postMessage(request);
  });
