// What the run charts read: every proposal, sample and pair of the given runs, followed live and
// handed on at most a few times a second, so a fast run does not redraw on every write.
import type { AnswerSampleRecord, QaPairRecord, QuestionRecord } from '../crescent/types';
import type { Table } from 'dexie';
import type { CrescentDb } from '../db/schema';
import { SpacedQuery } from '../state/spacedQuery.svelte';
import { spacingForRecords } from '../state/spacedReads';

export interface ChartRecords {
  questions: QuestionRecord[];
  samples: AnswerSampleRecord[];
  pairs: QaPairRecord[];
}

export const EMPTY_RECORDS: ChartRecords = { questions: [], samples: [], pairs: [] };

export function chartRecords(
  db: CrescentDb,
  runIds: readonly string[],
  initial: ChartRecords = EMPTY_RECORDS,
): SpacedQuery<ChartRecords> {
  const ids = [...runIds];
  return new SpacedQuery<ChartRecords>(
    async () => {
      // One run reads each table in one getAll; several walk a cursor.
      const ofRuns = <T>(table: Table<T>) =>
        ids.length === 1
          ? table.where('runId').equals(ids[0] ?? '')
          : table.where('runId').anyOf(ids);
      const [questions, samples, pairs] = await Promise.all([
        ofRuns(db.questions).toArray(),
        ofRuns(db.samples).toArray(),
        ofRuns(db.pairs).toArray(),
      ]);
      return { questions, samples, pairs };
    },
    initial,
    (r) => spacingForRecords(r.questions.length + r.samples.length + r.pairs.length),
    ['questions', 'samples', 'pairs'],
  );
}
