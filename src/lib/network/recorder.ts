// Follows the browser's resource timing in a page or a worker and keeps a running tally by origin.
// An observer sees every entry, even past the timeline buffer's limit (250 by default), which a
// long run fills within minutes.
import { addEntries, type OriginTally } from './tally';

export interface NetworkRecorder {
  tally(): OriginTally[];
  stop(): void;
}

export function startNetworkRecorder(): NetworkRecorder {
  const tally = new Map<string, OriginTally>();
  if (typeof PerformanceObserver === 'undefined') {
    return { tally: () => [], stop: () => undefined };
  }
  const observer = new PerformanceObserver((list) => {
    addEntries(tally, list.getEntries() as PerformanceResourceTiming[]);
  });
  // buffered: the entries made before the observer started (the page's own files) come first.
  observer.observe({ type: 'resource', buffered: true });
  return {
    tally: () => {
      addEntries(tally, observer.takeRecords() as PerformanceResourceTiming[]);
      return [...tally.values()].map((row) => ({ ...row }));
    },
    stop: () => observer.disconnect(),
  };
}
