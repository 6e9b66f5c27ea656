// A database read that follows writes as a rune, like LiveQueryState, for reads of whole runs
// (charts, the feed): spaced plain reads (spacedReads.ts) instead of liveQuery's key tracking.
// The reads start with the first reader and stop with the last (createSubscriber).
import { createSubscriber } from 'svelte/reactivity';
import { followSpaced } from './spacedReads';

export class SpacedQuery<T> {
  #value = $state.raw<T>() as T;
  #error = $state.raw<unknown>(undefined);
  #loaded = $state(false);
  readonly #subscribe: () => void;

  constructor(
    query: () => Promise<T>,
    initial: T,
    spacing: (value: T) => number,
    tables: readonly string[] = [],
  ) {
    this.#value = initial;
    this.#subscribe = createSubscriber((update) =>
      followSpaced<T>({
        query,
        spacing: (value) => spacing(value ?? initial),
        tables,
        onValue: (value) => {
          this.#value = value;
          this.#error = undefined;
          this.#loaded = true;
          update();
        },
        onError: (error) => {
          this.#error = error;
          update();
        },
      }),
    );
  }

  get current(): T {
    this.#subscribe();
    return this.#value;
  }

  get error(): unknown {
    this.#subscribe();
    return this.#error;
  }

  get loaded(): boolean {
    this.#subscribe();
    return this.#loaded;
  }
}
