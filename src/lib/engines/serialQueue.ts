// Runs tasks one at a time in call order. web-llm serves one request per engine: two requests
// in flight at once interleave their tokens, so every call goes through here.
import { CrescentError } from '../crescent/errors';
import type { AbortSignalLike } from '../crescent/types';

/** The error every engine throws for a request or load the caller stopped. */
export function stopped(): CrescentError {
  return new CrescentError({ code: 'aborted', message: 'Stopped.' });
}

export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;

  /** Tasks queued or running. */
  get size(): number {
    return this.pending;
  }

  /**
   * Runs the task once every task queued before it has settled. When the signal aborts, the
   * returned promise rejects at once; a task still waiting is then never started, and a running
   * one keeps its place until it settles, so the next task cannot overlap it.
   */
  run<T>(task: () => Promise<T>, signal?: AbortSignalLike): Promise<T> {
    this.pending++;
    const outcome = this.tail.then(() => {
      if (signal?.aborted) throw stopped();
      return task();
    });
    this.tail = outcome.then(
      () => void this.pending--,
      () => void this.pending--,
    );
    if (signal === undefined) return outcome;

    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(stopped());
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      outcome.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }
}
