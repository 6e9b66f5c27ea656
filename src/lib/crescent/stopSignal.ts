// An abort signal the core can raise itself (its lib has no DOM AbortController): a run aborts
// every request it has in flight when it is paused or one of its requests fails.
import type { AbortSignalLike } from './types';

export class StopSignal implements AbortSignalLike {
  #aborted = false;
  #reason: unknown = undefined;
  #listeners = new Set<() => void>();

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): unknown {
    return this.#reason;
  }

  abort(reason?: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    const listeners = [...this.#listeners];
    this.#listeners.clear();
    for (const listener of listeners) listener();
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    if (this.#aborted) return;
    this.#listeners.add(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    this.#listeners.delete(listener);
  }
}
