// Follows the browser's resource timing in a page or a worker and keeps a running tally by origin,
// and keeps what the content security policy refused there.
// An observer sees every entry, even past the timeline buffer's limit (250 by default), which a
// long run fills within minutes.
import { addEntries, type NetworkRecord, type OriginTally, type PolicyRefusal } from './tally';

export interface NetworkRecorder {
  /** What this page or worker has contacted so far, and what its policy refused. */
  record(): NetworkRecord;
}

type RefusalListener = (event: SecurityPolicyViolationEvent) => void;

export function startNetworkRecorder(): NetworkRecorder {
  const tally = new Map<string, OriginTally>();
  // One entry per directive and blocked thing: a page with the policy both in a header and in its
  // <meta> hears each refusal twice, and a long session could repeat one endlessly.
  const refused = new Map<string, PolicyRefusal>();
  const scope = globalThis as unknown as {
    addEventListener?: (type: string, listener: RefusalListener) => void;
  };
  scope.addEventListener?.('securitypolicyviolation', (event: SecurityPolicyViolationEvent) => {
    const blocked = event.blockedURI || 'inline';
    const key = `${event.effectiveDirective} ${blocked}`;
    if (!refused.has(key) && refused.size < 100) {
      refused.set(key, { directive: event.effectiveDirective, blocked });
    }
  });
  // buffered: the entries made before the observer started (the page's own files) come first.
  const observer =
    typeof PerformanceObserver === 'undefined'
      ? null
      : new PerformanceObserver((list) => {
          addEntries(tally, list.getEntries() as PerformanceResourceTiming[]);
        });
  observer?.observe({ type: 'resource', buffered: true });
  return {
    record: () => {
      if (observer) addEntries(tally, observer.takeRecords() as PerformanceResourceTiming[]);
      return {
        origins: [...tally.values()].map((row) => ({ ...row })),
        refusals: [...refused.values()].map((r) => ({ ...r })),
      };
    },
  };
}
