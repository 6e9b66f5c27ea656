// Dexie's liveQuery as a rune: `current` follows the database while a component reads it.
// The subscription opens with the first reader and closes with the last (createSubscriber).
import { liveQuery } from 'dexie';
import { createSubscriber } from 'svelte/reactivity';

export class LiveQueryState<T> {
  #value = $state.raw<T>() as T;
  #error = $state.raw<unknown>(undefined);
  #loaded = $state(false);
  readonly #subscribe: () => void;

  constructor(query: () => T | Promise<T>, initial: T) {
    this.#value = initial;
    this.#subscribe = createSubscriber((update) => {
      const subscription = liveQuery(query).subscribe({
        next: (value) => {
          this.#value = value;
          this.#error = undefined;
          this.#loaded = true;
          update();
        },
        error: (error: unknown) => {
          this.#error = error;
          update();
        },
      });
      return () => subscription.unsubscribe();
    });
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
