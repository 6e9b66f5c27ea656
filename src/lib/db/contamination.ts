// Decontamination after the fact: every pair of the given runs is checked against the benchmarks
// by the n-gram rule, flagged (or cleared of an older flag), and the check noted on the run row.
import {
  BenchmarkNgrams,
  findContamination,
  type LoadedBenchmark,
} from '../crescent/contamination';
import type { ContaminationHit } from '../crescent/contamination';
import { withStorageErrors } from './quota';
import type { ContaminationCheckRecord, CrescentDb } from './schema';

export interface ContaminationCheckResult {
  checked: number;
  flagged: number;
  /** Flagged pairs by benchmark name. */
  byBenchmark: Record<string, number>;
}

/** The benchmarks' n-gram indexes for a check that has no embedder at hand. */
export function ngramBenchmarks(
  benchmarks: readonly { name: string; questions: readonly string[] }[],
  ngram: number,
): LoadedBenchmark[] {
  return benchmarks.map((b) => ({
    name: b.name,
    questions: b.questions,
    ngrams: new BenchmarkNgrams(b.questions, ngram),
    vectors: null,
  }));
}

export async function checkRunsForContamination(
  db: CrescentDb,
  runIds: readonly string[],
  benchmarks: readonly LoadedBenchmark[],
  ngram: number,
  now = Date.now(),
): Promise<ContaminationCheckResult> {
  const result: ContaminationCheckResult = { checked: 0, flagged: 0, byBenchmark: {} };
  const rule = { ngram, similarity: 1 };
  await withStorageErrors(() =>
    db.transaction('rw', db.pairs, db.runs, async () => {
      for (const runId of runIds) {
        let checked = 0;
        let flagged = 0;
        await db.pairs
          .where('runId')
          .equals(runId)
          .modify((pair) => {
            checked++;
            const hit: ContaminationHit | null = findContamination(
              pair.question,
              undefined,
              benchmarks,
              rule,
            );
            if (hit) {
              flagged++;
              result.byBenchmark[hit.benchmark] = (result.byBenchmark[hit.benchmark] ?? 0) + 1;
              pair.contamination = hit;
            } else delete pair.contamination;
          });
        const record: ContaminationCheckRecord = {
          benchmarks: benchmarks.map((b) => ({ name: b.name, questions: b.questions.length })),
          ngram,
          checked,
          flagged,
          checkedAt: now,
        };
        await db.runs.update(runId, { contaminationCheck: record });
        result.checked += checked;
        result.flagged += flagged;
      }
    }),
  );
  return result;
}
