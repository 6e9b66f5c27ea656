// The fetch relay (fetchRelay.ts): a shared worker that makes the endpoint's requests for the
// pipeline worker of one tab, and keeps its own network record for the tab's log.
import { startNetworkRecorder } from '../network/recorder';
import { serveFetchRelay } from './fetchRelay';

const recorder = startNetworkRecorder();
const scope = self as unknown as SharedWorkerGlobalScope;
scope.addEventListener('connect', (event: MessageEvent) => {
  const port = event.ports[0];
  if (port) serveFetchRelay(port, { record: () => recorder.record() });
});
