// The core's RunStore on IndexedDB. Writes are grouped: what the run asks to write while one
// transaction is open goes into the next, so a busy run pays for a transaction (and the message
// that tells other tabs and the page about it) per group, not per record. Transactions run one
// after another over all three tables, so writes land in the order asked, and a transaction is
// all or nothing, so a crash loses a tail of them and never half of one.
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

/** The records of one transaction, with the callers waiting on it. */
interface Group {
  questions: QuestionRecord[];
  samples: AnswerSampleRecord[];
  pairs: QaPairRecord[];
  runs: Set<string>;
  done: Promise<void>;
  settle: (error?: unknown) => void;
}

function newGroup(): Group {
  let settle: Group['settle'] = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    settle = (error) => (error === undefined ? resolve() : reject(error));
  });
  // A group nobody awaits any more (its run stopped) must not report an unhandled rejection.
  done.catch(() => undefined);
  return { questions: [], samples: [], pairs: [], runs: new Set(), done, settle };
}

/**
 * Writes use `put`, not `add`. A record's key is its position in the run ([runId+seq] and so on),
 * so after a resume the pipeline may write the last record again under the same key; `put` makes
 * that replay a no-op overwrite, where `add` would raise a ConstraintError and abort the run.
 * Duplicates cannot arise because there is exactly one row per key.
 */
export class DexieRunStore implements RunStore {
  /** Writes asked for and not yet in a transaction. */
  #open: Group | null = null;
  /** The loop writing groups, while there are any. */
  #draining: Promise<void> | null = null;
  /** Runs whose writes failed, with the failure: later writes of theirs fail the same way. */
  readonly #failed = new Map<string, unknown>();
  #transactions = 0;
  readonly #spacingMs: number;
  #lastStart = -Infinity;

  /**
   * `spacingMs`: the least time between the starts of two transactions. Writes asked for
   * meanwhile join the next one, so a fast run makes at most 1000 / spacingMs transactions a
   * second (each also a message to every other tab and to the page), and a slow one, whose
   * writes are further apart, waits for none.
   */
  constructor(
    private readonly db: CrescentDb,
    { spacingMs = 0 }: { spacingMs?: number } = {},
  ) {
    this.#spacingMs = spacingMs;
  }

  /** Write transactions committed so far. */
  get transactions(): number {
    return this.#transactions;
  }

  /** The run's records in pipeline order: questions by seq, samples by question then index, pairs by question. */
  async load(runId: string): Promise<RunSnapshot> {
    const { db } = this;
    // Writes still on their way belong to the run being read.
    while (this.#draining) await this.#draining;
    const snapshot = await withStorageErrors(() =>
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
    // What the run continues from is what was stored: its writes may go on.
    this.#failed.delete(runId);
    return snapshot;
  }

  addQuestion(record: QuestionRecord): Promise<void> {
    return this.#add(record.runId, (group) => group.questions.push(record));
  }

  addSample(record: AnswerSampleRecord): Promise<void> {
    return this.#add(record.runId, (group) => group.samples.push(record));
  }

  addPair(record: QaPairRecord): Promise<void> {
    return this.#add(record.runId, (group) => group.pairs.push(record));
  }

  addSettlingSample(sample: AnswerSampleRecord, pair: QaPairRecord): Promise<void> {
    return this.#add(sample.runId, (group) => {
      group.samples.push(sample);
      group.pairs.push(pair);
    });
  }

  #add(runId: string, put: (group: Group) => void): Promise<void> {
    if (this.#failed.has(runId)) return Promise.reject(this.#failed.get(runId));
    const group = (this.#open ??= newGroup());
    put(group);
    group.runs.add(runId);
    this.#draining ??= this.#drain();
    return group.done;
  }

  /** Writes the open groups one transaction at a time until none is left. */
  async #drain(): Promise<void> {
    const { db } = this;
    // Starting a microtask later lets the writes a step asks for at once share the first group.
    await Promise.resolve();
    try {
      while (this.#open) {
        const wait = this.#lastStart + this.#spacingMs - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const group = this.#open;
        this.#open = null;
        this.#lastStart = Date.now();
        // A run whose earlier group failed gets none of its later writes in.
        const refused = [...group.runs].find((id) => this.#failed.has(id));
        if (refused !== undefined) {
          this.#refuse(group, this.#failed.get(refused));
          continue;
        }
        try {
          await withStorageErrors(() =>
            db.transaction('rw', [db.questions, db.samples, db.pairs], async () => {
              if (group.questions.length > 0) await db.questions.bulkPut(group.questions);
              if (group.samples.length > 0) await db.samples.bulkPut(group.samples);
              if (group.pairs.length > 0) await db.pairs.bulkPut(group.pairs);
            }),
          );
          this.#transactions++;
          group.settle();
        } catch (error) {
          for (const id of group.runs) this.#failed.set(id, error);
          this.#refuse(group, error);
        }
      }
    } finally {
      this.#draining = null;
    }
  }

  #refuse(group: Group, error: unknown): void {
    group.settle(error ?? new Error('A write failed.'));
  }
}
