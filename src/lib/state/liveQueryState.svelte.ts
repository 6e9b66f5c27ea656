// Dexie's liveQuery as a rune: `current` follows the database while a component reads it.
// The subscription opens with the first reader and closes with the last.
import { liveQuery } from 'dexie';
import { FollowedValue } from './followedValue.svelte';

export class LiveQueryState<T> extends FollowedValue<T> {
  constructor(query: () => T | Promise<T>, initial: T) {
    super(initial, (sink) => {
      const subscription = liveQuery(query).subscribe({
        next: (value) => sink.value(value),
        error: (error: unknown) => sink.error(error),
      });
      return () => subscription.unsubscribe();
    });
  }
}
