// At most `concurrency` tasks at once, the rest waiting in arrival order (p-queue), with the abort
// rule every engine needs: the caller is answered at once, a waiting task is dropped, and a running
// task keeps its slot until it settles, so the next one cannot overlap it.
import PQueue from 'p-queue';
import type { AbortSignalLike } from '../crescent/types';
import { stopped } from './stopped';

export interface QueueOptions {
  /** Higher goes first among the waiting; equal ones keep arrival order. */
  priority?: number;
}

export class TaskQueue {
  private readonly queue: PQueue;

  constructor(concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new RangeError(`Concurrency must be >= 1, got ${concurrency}`);
    this.queue = new PQueue({ concurrency });
  }

  get concurrency(): number {
    return this.queue.concurrency;
  }

  /** Lowering it lets running tasks finish; raising it starts waiting ones at once. */
  set concurrency(value: number) {
    this.queue.concurrency = value;
  }

  /** Tasks running now. */
  get running(): number {
    return this.queue.pending;
  }

  /** Tasks waiting for a slot. */
  get waiting(): number {
    return this.queue.size;
  }

  run<T>(task: () => Promise<T>, signal?: AbortSignalLike, options: QueueOptions = {}): Promise<T> {
    if (signal?.aborted) return Promise.reject(stopped(signal));
    // p-queue frees a running task's slot when its signal aborts; this one aborts only while waiting.
    const whileWaiting = new AbortController();
    let started = false;
    const outcome = this.queue.add(
      () => {
        started = true;
        return task();
      },
      { signal: whileWaiting.signal, priority: options.priority ?? 0 },
    );
    if (signal === undefined) return outcome;
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        if (!started) whileWaiting.abort();
        reject(stopped(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      outcome.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }
}
