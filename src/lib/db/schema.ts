// The IndexedDB database of the app: one row per run, and every question, sample and pair it produced.
// Old version() declarations stay when the schema grows, so existing databases upgrade in place.
import { Dexie, type EntityTable } from 'dexie';
import type { ErrorInfo } from '../crescent/errors';
import type { StopReason } from '../crescent/progress';
import { exactAgreement } from '../crescent/agreement';
import type {
  AnswerSampleRecord,
  PairCuration,
  QaPairRecord,
  QuestionRecord,
} from '../crescent/types';
import type { StoredBenchmark } from '../benchmarks/load';
import type { KeyedParts } from '../recipe/secrets';
import type { Recipe } from '../recipe/types';
import type { RunStatus } from '../worker/protocol';

/** A run's lifecycle, plus 'imported' for a dataset read from a file. */
export type RunRowStatus = RunStatus | 'imported';

/** Counters kept on the run row for the run list; the tables stay the source of truth. */
export interface RunStats {
  proposals: number;
  accepted: number;
  rejected: number;
  pairs: number;
  samples: number;
  samplesSaved: number;
  tokens: number;
  elapsedMs: number;
}

export interface RunRow {
  id: string;
  name: string;
  /** null for an imported dataset whose file carried no recipe. Never holds an API key. */
  recipe: Recipe | null;
  /** Which parts were started with an API key: a resume must be given those keys again. */
  keyed?: KeyedParts;
  status: RunRowStatus;
  createdAt: number;
  updatedAt: number;
  startedAt?: number;
  finishedAt?: number;
  stopReason?: StopReason;
  stats: RunStats;
  error?: ErrorInfo;
  /** The last decontamination check of this run's pairs after the fact. */
  contaminationCheck?: ContaminationCheckRecord;
}

export interface ContaminationCheckRecord {
  benchmarks: { name: string; questions: number }[];
  ngram: number;
  checked: number;
  flagged: number;
  checkedAt: number;
}

export const EMPTY_STATS: RunStats = {
  proposals: 0,
  accepted: 0,
  rejected: 0,
  pairs: 0,
  samples: 0,
  samplesSaved: 0,
  tokens: 0,
  elapsedMs: 0,
};

const DATABASE_NAME = 'crescent';

/** Lets tests and other runtimes pass their own IndexedDB (e.g. fake-indexeddb). */
export interface IndexedDbBackend {
  indexedDB: IDBFactory;
  IDBKeyRange: typeof IDBKeyRange;
}

/** Runs an upgrade step so that its failure says it was one (Dexie passes the raw error on). */
async function upgrading(version: number, step: () => Promise<unknown>): Promise<void> {
  try {
    await step();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const inner = error instanceof Error ? error : new Error(detail);
    throw new Dexie.UpgradeError(`Upgrading to version ${version} failed: ${detail}`, inner);
  }
}

export class CrescentDb extends Dexie {
  // `declare`: Dexie assigns the tables; a class field would overwrite them with undefined.
  declare runs: EntityTable<RunRow, 'id'>;
  declare questions: Dexie.Table<QuestionRecord, [string, number]>;
  declare samples: Dexie.Table<AnswerSampleRecord, [string, number, number]>;
  declare pairs: Dexie.Table<QaPairRecord, [string, number]>;
  declare benchmarks: EntityTable<StoredBenchmark, 'key'>;
  declare curation: Dexie.Table<PairCuration, [string, number]>;

  constructor(name: string = DATABASE_NAME, backend?: IndexedDbBackend) {
    // 'relaxed': a write resolves once the browser has it, without waiting for the disk flush.
    // A closed or crashed tab, or a crashed browser, loses nothing; only a power cut or an OS
    // crash may lose the last writes, and then always a tail of them (IndexedDB's log keeps
    // transactions in order), which reads back as a run paused a little earlier: its seeds come
    // from the records' places, so a resume asks for the same replies again and the dataset is
    // the one it would have been. Against a fast server the flush set the pace: 'strict' made a
    // 1,000-pair in-browser run 1.4 to 3.7 times slower here (bench/README.md).
    super(name, { ...backend, chromeTransactionDurability: 'relaxed' });
    this.version(1).stores({
      runs: 'id, status, createdAt, updatedAt',
      questions: '[runId+seq], runId, status, [runId+status]',
      samples: '[runId+questionSeq+index], runId',
      pairs: '[runId+questionSeq], runId, agreement',
    });
    // Pairs gained the run's quality bar, and agreement is null where sampling stopped before k:
    // a stored votes / k there was only a lower bound. Rows written before had no bar.
    this.version(2).upgrade((tx) =>
      upgrading(2, () =>
        tx
          .table<QaPairRecord>('pairs')
          .toCollection()
          .modify((pair) => {
            const counted = { ...pair, minVotes: pair.minVotes ?? 0, passes: pair.passes ?? true };
            pair.minVotes = counted.minVotes;
            pair.passes = counted.passes;
            pair.agreement = exactAgreement(counted);
          }),
      ),
    );
    // Benchmarks for decontamination, downloaded or loaded once and kept with their embeddings.
    this.version(3).stores({ benchmarks: 'key' });
    // The user's deletions and corrections, beside the pairs the runs wrote (see db/curation.ts).
    this.version(4).stores({ curation: '[runId+questionSeq], runId' });
  }
}
