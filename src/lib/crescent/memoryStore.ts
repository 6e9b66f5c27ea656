// An in-memory RunStore: for tests, for Node scripts, and for browsers without IndexedDB.
import type {
  AnswerSampleRecord,
  QaPairRecord,
  QuestionRecord,
  RunSnapshot,
  RunStore,
} from './types';

export class MemoryRunStore implements RunStore {
  readonly #questions = new Map<string, QuestionRecord>();
  readonly #samples = new Map<string, AnswerSampleRecord>();
  readonly #pairs = new Map<string, QaPairRecord>();

  async load(runId: string): Promise<RunSnapshot> {
    const mine = <T extends { runId: string }>(rows: Map<string, T>) =>
      [...rows.values()].filter((r) => r.runId === runId);
    return {
      questions: mine(this.#questions).sort((a, b) => a.seq - b.seq),
      samples: mine(this.#samples).sort(
        (a, b) => a.questionSeq - b.questionSeq || a.index - b.index,
      ),
      pairs: mine(this.#pairs).sort((a, b) => a.questionSeq - b.questionSeq),
    };
  }

  // Keys make a replayed write overwrite itself instead of duplicating.
  async addQuestion(record: QuestionRecord): Promise<void> {
    this.#questions.set(`${record.runId}/${record.seq}`, structuredCopy(record));
  }

  async addSample(record: AnswerSampleRecord): Promise<void> {
    this.#samples.set(
      `${record.runId}/${record.questionSeq}/${record.index}`,
      structuredCopy(record),
    );
  }

  async addPair(record: QaPairRecord): Promise<void> {
    this.#pairs.set(`${record.runId}/${record.questionSeq}`, structuredCopy(record));
  }
}

/** Stored rows must not alias the caller's objects, as with a real database. */
function structuredCopy<T extends object>(record: T): T {
  const copy = { ...record } as Record<string, unknown>;
  for (const [key, value] of Object.entries(copy)) {
    if (value instanceof Float32Array) copy[key] = new Float32Array(value);
    else if (value && typeof value === 'object') copy[key] = { ...value };
  }
  return copy as T;
}
