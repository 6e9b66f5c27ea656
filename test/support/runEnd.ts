// For test and bench pages that drive the pipeline client: the status a run ended with, from the
// events already heard or, failing that, the next ones.
import type { PipelineClient } from '../../src/lib/worker/client';
import type { PipelineEvent, RunStatus } from '../../src/lib/worker/protocol';

/** Resolves with the status that ended the run (a status event that gives a stop reason). */
export function runEnd(
  client: PipelineClient,
  heard: readonly PipelineEvent[],
  runId: string,
): Promise<RunStatus> {
  const ended = (e: PipelineEvent): RunStatus | null =>
    e.type === 'status' && e.runId === runId && 'reason' in e ? e.status : null;
  return new Promise((resolve) => {
    const seen = heard.map(ended).find((s) => s !== null);
    if (seen) return resolve(seen);
    const stop = client.subscribe((event) => {
      const status = ended(event);
      if (status === null) return;
      stop();
      resolve(status);
    });
  });
}
