// Writes a dataset read from a file as a new run with status 'imported': every row in one
// transaction, so a bad row leaves the database exactly as it was.
import { exactAgreement } from '../crescent/agreement';
import type { AnswerSampleRecord, QaPairRecord, QuestionRecord } from '../crescent/types';
import { normaliseQuestion } from '../export/duplicates';
import type { Recipe } from '../recipe/types';
import { withStorageErrors } from './quota';
import { newRunRow } from './runs';
import type { CrescentDb } from './schema';

/**
 * One imported pair. Only the question and the answer are required; plain fine-tuning files carry
 * nothing else. Missing vote data is stored as votes {}, samples 0, k 0, agreement null: k 0 marks
 * the agreement unknown (the export writes null), and an agreement filter leaves such pairs out
 * rather than trusting them. A file without a quality bar is read as having none.
 */
export interface ImportedPair {
  question: string;
  answerText: string;
  answer: string | null;
  /** Position in the source run; assigned in file order when absent. */
  questionSeq?: number;
  votes?: Record<string, number>;
  abstained?: number;
  samples?: number;
  k?: number;
  minVotes?: number;
  passes?: boolean;
  /** Defaults to 'unknown'. */
  model?: string;
  createdAt?: number;
}

export interface DatasetImport {
  name: string;
  /** The recipe that made the data, when the file carried one. */
  recipe?: Recipe | null;
  pairs: readonly ImportedPair[];
  /**
   * Question records from a full-format file (rejected ones included). A pair with no question
   * record at its seq gets an accepted one made from its question text.
   */
  questions?: readonly Omit<QuestionRecord, 'runId'>[];
  samples?: readonly Omit<AnswerSampleRecord, 'runId'>[];
}

export interface ImportedRun {
  runId: string;
  pairs: number;
  questions: number;
  samples: number;
}

function toPairs(runId: string, pairs: readonly ImportedPair[], taken: Set<number>, now: number) {
  let next = 0;
  const freeSeq = (): number => {
    while (taken.has(next)) next++;
    taken.add(next);
    return next;
  };
  return pairs.map((pair): QaPairRecord => {
    const counted = {
      votes: pair.votes ?? {},
      answer: pair.answer,
      samples: pair.samples ?? 0,
      k: pair.k ?? 0,
      minVotes: pair.minVotes ?? 0,
      passes: pair.passes ?? true,
    };
    return {
      runId,
      questionSeq: pair.questionSeq ?? freeSeq(),
      question: pair.question,
      answerText: pair.answerText,
      ...counted,
      abstained: pair.abstained ?? 0,
      agreement: exactAgreement(counted),
      model: pair.model ?? 'unknown',
      createdAt: pair.createdAt ?? now,
    };
  });
}

function questionFor(pair: QaPairRecord): QuestionRecord {
  return {
    runId: pair.runId,
    seq: pair.questionSeq,
    origin: 'bait',
    attempt: 0,
    raw: pair.question,
    text: pair.question,
    status: 'accepted',
    tokens: 0,
    createdAt: pair.createdAt,
  };
}

export async function importDataset(
  db: CrescentDb,
  data: DatasetImport,
  now: number = Date.now(),
): Promise<ImportedRun> {
  const runId = crypto.randomUUID();
  const given = (data.questions ?? []).map((q): QuestionRecord => ({ ...q, runId }));
  const taken = new Set<number>([
    ...given.map((q) => q.seq),
    ...data.pairs.flatMap((p) => (p.questionSeq === undefined ? [] : [p.questionSeq])),
  ]);
  const pairs = toPairs(runId, data.pairs, taken, now);
  const known = new Set(given.map((q) => q.seq));
  const questions = [...given, ...pairs.filter((p) => !known.has(p.questionSeq)).map(questionFor)];
  const samples = (data.samples ?? []).map((s): AnswerSampleRecord => ({ ...s, runId }));
  const accepted = questions.filter((q) => q.status === 'accepted').length;
  const run = newRunRow(data.recipe ?? null, now, {
    id: runId,
    name: data.name,
    status: 'imported',
    stats: {
      proposals: questions.length,
      accepted,
      rejected: questions.length - accepted,
      pairs: pairs.length,
      samples: samples.length,
    },
  });
  // bulkAdd, not bulkPut: two rows with one key in a file is an error to report, not to merge.
  // An uncaught bulk failure aborts the whole transaction, the run row included.
  await withStorageErrors(() =>
    db.transaction('rw', [db.runs, db.questions, db.samples, db.pairs], async () => {
      await db.runs.add(run);
      await db.questions.bulkAdd(questions);
      await db.samples.bulkAdd(samples);
      await db.pairs.bulkAdd(pairs);
    }),
  );
  return { runId, pairs: pairs.length, questions: questions.length, samples: samples.length };
}

/**
 * The normaliseQuestion key of every stored pair's question (of the given runs, or of all runs):
 * the same keys the importer makes for a file's lines, so both checks agree on what a repeat is.
 */
export async function existingQuestionKeys(
  db: CrescentDb,
  runIds?: readonly string[],
): Promise<Set<string>> {
  const keys = new Set<string>();
  const collection = runIds ? db.pairs.where('runId').anyOf([...runIds]) : db.pairs.toCollection();
  await withStorageErrors(() =>
    collection.each((pair) => void keys.add(normaliseQuestion(pair.question))),
  );
  return keys;
}
