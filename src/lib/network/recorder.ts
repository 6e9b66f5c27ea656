// Follows the browser's resource timing in a page or a worker and keeps a running tally by origin,
// and keeps what the content security policy refused there.
// An observer sees every entry, even past the timeline buffer's limit (250 by default), which a
// long run fills within minutes.
import { addEntries, type NetworkRecord, type OriginTally, type PolicyRefusal } from './tally';

export interface NetworkRecorder {
  tally(): OriginTally[];
  refusals(): PolicyRefusal[];
  /** Both at once, as the page and the worker hand them on. */
  record(): NetworkRecord;
  stop(): void;
}

export function startNetworkRecorder(): NetworkRecorder {
  const tally = new Map<string, OriginTally>();
  // One entry per directive and blocked thing: a page with the policy both in a header and in its
  // <meta> hears each refusal twice, and a long session could repeat one endlessly.
  const refused = new Map<string, PolicyRefusal>();
  const onRefusal = (event: SecurityPolicyViolationEvent) => {
    const blocked = event.blockedURI || 'inline';
    const key = `${event.effectiveDirective} ${blocked}`;
    if (!refused.has(key) && refused.size < 100) {
      refused.set(key, { directive: event.effectiveDirective, blocked });
    }
  };
  const scope = globalThis as unknown as {
    addEventListener?: (
      type: string,
      listener: (event: SecurityPolicyViolationEvent) => void,
    ) => void;
    removeEventListener?: (
      type: string,
      listener: (event: SecurityPolicyViolationEvent) => void,
    ) => void;
  };
  scope.addEventListener?.('securitypolicyviolation', onRefusal);
  const refusals = () => [...refused.values()].map((r) => ({ ...r }));
  if (typeof PerformanceObserver === 'undefined') {
    return {
      tally: () => [],
      refusals,
      record: () => ({ origins: [], refusals: refusals() }),
      stop: () => scope.removeEventListener?.('securitypolicyviolation', onRefusal),
    };
  }
  const observer = new PerformanceObserver((list) => {
    addEntries(tally, list.getEntries() as PerformanceResourceTiming[]);
  });
  // buffered: the entries made before the observer started (the page's own files) come first.
  observer.observe({ type: 'resource', buffered: true });
  const readTally = () => {
    addEntries(tally, observer.takeRecords() as PerformanceResourceTiming[]);
    return [...tally.values()].map((row) => ({ ...row }));
  };
  return {
    tally: readTally,
    refusals,
    record: () => ({ origins: readTally(), refusals: refusals() }),
    stop: () => {
      observer.disconnect();
      scope.removeEventListener?.('securitypolicyviolation', onRefusal);
    },
  };
}
