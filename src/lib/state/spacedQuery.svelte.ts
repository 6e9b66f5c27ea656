// A database read that follows writes as a rune, like LiveQueryState, for reads of whole runs
// (charts, the feed): spaced plain reads (spacedReads.ts) instead of liveQuery's key tracking.
import { FollowedValue } from './followedValue.svelte';
import { followSpaced } from './spacedReads';

export class SpacedQuery<T> extends FollowedValue<T> {
  constructor(
    query: () => Promise<T>,
    initial: T,
    spacing: (value: T) => number,
    tables: readonly string[] = [],
    immediate: readonly string[] = [],
  ) {
    super(initial, (sink) =>
      followSpaced<T>({
        query,
        spacing: (value) => spacing(value ?? initial),
        tables,
        immediate,
        onValue: (value) => sink.value(value),
        onError: (error) => sink.error(error),
      }),
    );
  }
}
