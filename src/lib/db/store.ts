// The core's RunStore on IndexedDB: every record is written the moment it exists, each in its own
// transaction (the sample that settles a vote shares one with its pair), so a crash loses at most
// the write in flight and never half of one.
import { Dexie } from 'dexie';
import type {
  AnswerSampleRecord,
  QaPairRecord,
  QuestionRecord,
  RunSnapshot,
  RunStore,
} from '../crescent/types';
import { withStorageErrors } from './quota';
import type { CrescentDb } from './schema';

/**
 * Writes use `put`, not `add`. A record's key is its position in the run ([runId+seq] and so on),
 * so after a resume the pipeline may write the last record again under the same key; `put` makes
 * that replay a no-op overwrite, where `add` would raise a ConstraintError and abort the run.
 * Duplicates cannot arise because there is exactly one row per key.
 */
export class DexieRunStore implements RunStore {
  constructor(private readonly db: CrescentDb) {}

  /** The run's records in pipeline order: questions by seq, samples by question then index, pairs by question. */
  async load(runId: string): Promise<RunSnapshot> {
    const { db } = this;
    return withStorageErrors(() =>
      db.transaction('r', [db.questions, db.samples, db.pairs], async () => {
        const [questions, samples, pairs] = await Promise.all([
          db.questions
            .where('[runId+seq]')
            .between([runId, Dexie.minKey], [runId, Dexie.maxKey])
            .toArray(),
          db.samples
            .where('[runId+questionSeq+index]')
            .between([runId, Dexie.minKey, Dexie.minKey], [runId, Dexie.maxKey, Dexie.maxKey])
            .toArray(),
          db.pairs
            .where('[runId+questionSeq]')
            .between([runId, Dexie.minKey], [runId, Dexie.maxKey])
            .toArray(),
        ]);
        return { questions, samples, pairs };
      }),
    );
  }

  async addQuestion(record: QuestionRecord): Promise<void> {
    await withStorageErrors(() => this.db.questions.put(record));
  }

  async addSample(record: AnswerSampleRecord): Promise<void> {
    await withStorageErrors(() => this.db.samples.put(record));
  }

  async addPair(record: QaPairRecord): Promise<void> {
    await withStorageErrors(() => this.db.pairs.put(record));
  }

  async addSettlingSample(sample: AnswerSampleRecord, pair: QaPairRecord): Promise<void> {
    const { db } = this;
    await withStorageErrors(() =>
      db.transaction('rw', [db.samples, db.pairs], () =>
        Promise.all([db.samples.put(sample), db.pairs.put(pair)]),
      ),
    );
  }
}
