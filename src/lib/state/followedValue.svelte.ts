// A value that follows a source as a rune: the source starts with the first reader and stops with
// the last (createSubscriber). LiveQueryState and SpacedQuery differ only in the source.
import { createSubscriber } from 'svelte/reactivity';

export interface FollowSink<T> {
  value(value: T): void;
  error(error: unknown): void;
}

/** Starts following, reporting to the sink; returns how to stop. */
export type FollowSource<T> = (sink: FollowSink<T>) => () => void;

export class FollowedValue<T> {
  #value = $state.raw<T>() as T;
  #error = $state.raw<unknown>(undefined);
  #loaded = $state(false);
  readonly #subscribe: () => void;

  constructor(initial: T, source: FollowSource<T>) {
    this.#value = initial;
    this.#subscribe = createSubscriber((update) =>
      source({
        value: (value) => {
          this.#value = value;
          this.#error = undefined;
          this.#loaded = true;
          update();
        },
        error: (error) => {
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
