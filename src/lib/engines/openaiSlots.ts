// A small counting semaphore: at most `size` requests in flight against one endpoint,
// the rest wait in arrival order. A waiter whose signal aborts leaves the queue at once.
import { CrescentError } from '../crescent/errors';
import type { AbortSignalLike } from '../crescent/types';

interface Waiter {
  grant: () => void;
}

export function abortedError(signal?: AbortSignalLike): CrescentError {
  return new CrescentError(
    { code: 'aborted', message: 'Stopped.' },
    signal?.reason === undefined ? undefined : { cause: signal.reason },
  );
}

export class RequestSlots {
  readonly size: number;
  private busy = 0;
  private readonly queue: Waiter[] = [];

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`Concurrency must be >= 1, got ${size}`);
    this.size = size;
  }

  /** Requests running now; for tests and status displays. */
  get inFlight(): number {
    return this.busy;
  }

  get waiting(): number {
    return this.queue.length;
  }

  /** Resolves with a release function once a slot is free. Call it exactly once. */
  acquire(signal?: AbortSignalLike): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(abortedError(signal));
    if (this.busy < this.size) {
      this.busy++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        const at = this.queue.indexOf(waiter);
        if (at !== -1) this.queue.splice(at, 1);
        reject(abortedError(signal));
      };
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.releaser());
        },
      };
      this.queue.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      // The slot passes straight to the next waiter, so `busy` stays the same.
      if (next) next.grant();
      else this.busy--;
    };
  }
}
