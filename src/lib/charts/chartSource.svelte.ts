// What the run charts read: every proposal, sample and pair of the given runs, followed live and
// handed on at most a few times a second, so a fast run does not redraw on every write.
import type { AnswerSampleRecord, QaPairRecord, QuestionRecord } from '../crescent/types';
import type { CrescentDb } from '../db/schema';
import { LiveQueryState } from '../state/liveQueryState.svelte';

export interface ChartRecords {
  questions: QuestionRecord[];
  samples: AnswerSampleRecord[];
  pairs: QaPairRecord[];
}

export const EMPTY_RECORDS: ChartRecords = { questions: [], samples: [], pairs: [] };

/** The fewest milliseconds between two updates of the charts. */
export const CHART_THROTTLE_MS = 400;

export function chartRecords(
  db: CrescentDb,
  runIds: readonly string[],
): LiveQueryState<ChartRecords> {
  const ids = [...runIds];
  let last = 0;
  return new LiveQueryState<ChartRecords>(async () => {
    const [questions, samples, pairs] = await Promise.all([
      db.questions.where('runId').anyOf(ids).toArray(),
      db.samples.where('runId').anyOf(ids).toArray(),
      db.pairs.where('runId').anyOf(ids).toArray(),
    ]);
    const wait = last + CHART_THROTTLE_MS - Date.now();
    // Every read is done by now, so waiting here does not lose the query's tracking.
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    last = Date.now();
    return { questions, samples, pairs };
  }, EMPTY_RECORDS);
}
