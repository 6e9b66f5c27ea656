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
    // A stalled load fails with a reason instead of running into the test's own timeout.
    const timer = setTimeout(
      () => finish({ ok: false, code: 'timeout', error: 'no answer in 60 s' }),
      60_000,
    );
    const finish = (result: EmbedResult): void => {
      clearTimeout(timer);
      worker.terminate();
      resolve(result);
    };
    worker.onmessage = (event: MessageEvent<EmbedResult>) => finish(event.data);
    worker.onerror = (event) => finish({ ok: false, code: 'worker', error: event.message });
    worker.postMessage(request);
  });
