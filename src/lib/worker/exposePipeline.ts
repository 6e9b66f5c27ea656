// Puts a Pipeline on a worker's message port: typed errors, the worker's own uncaught failures
// reported as events (a run must never die silently), and recovery of runs a closed tab left behind.
import * as Comlink from 'comlink';
import { registerErrorTransfer } from './errorTransfer';
import type { Pipeline } from './pipeline';

export function exposePipeline(pipeline: Pipeline): void {
  registerErrorTransfer();
  self.addEventListener('error', (event: ErrorEvent) => {
    pipeline.reportError(event.error ?? event.message);
  });
  self.addEventListener('unhandledrejection', (event: PromiseRejectionEvent) => {
    pipeline.reportError(event.reason);
  });
  pipeline.recoverInterruptedRuns().catch((error: unknown) => pipeline.reportError(error));
  Comlink.expose(pipeline);
}
