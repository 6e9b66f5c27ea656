// The files an export produces, as Blobs: pairs read from the database in batches and streamed
// through the chosen format, so no export is ever one big string.
import type { AnswerSampleRecord, QaPairRecord, QuestionRecord } from '../crescent/types';
import { pairsOfRuns, samplesOfPairs } from '../db/read';
import type { CrescentDb, RunRow } from '../db/schema';
import { questionContext } from '../export/context';
import { exportStream, linesToStream, rejectedLines } from '../export/export';
import type { PairFilter } from '../export/filter';
import type { ExportFormat } from '../export/formats';
import type { ExportTally } from '../export/stats';
import { recipeId } from '../recipe/link';

export interface JsonlRequest {
  runs: readonly RunRow[];
  /** The runs' proposals, for the `full` format's origin and rejected_before. */
  questions: readonly QuestionRecord[];
  format: ExportFormat;
  filter: PairFilter;
  tally: ExportTally;
}

export async function pairsBlob(db: CrescentDb, request: JsonlRequest): Promise<Blob> {
  const recipeIds = new Map<string, string>();
  for (const run of request.runs) if (run.recipe) recipeIds.set(run.id, recipeId(run.recipe));
  const batches = pairsOfRuns(
    db,
    request.runs.map((r) => r.id),
  );
  // Preference records need each pair's samples: read once per batch, before its pairs go out.
  const samples = new Map<number, AnswerSampleRecord[]>();
  const source =
    request.format === 'dpo'
      ? withSamples(batches, async (batch) => {
          samples.clear();
          for (const s of await samplesOfPairs(db, batch)) {
            const list = samples.get(s.questionSeq);
            if (list) list.push(s);
            else samples.set(s.questionSeq, [s]);
          }
        })
      : flatten(batches);
  const stream = exportStream(source, {
    format: request.format,
    filter: request.filter,
    context: questionContext(request.questions, recipeIds),
    tally: request.tally,
    samples: (pair) => samples.get(pair.questionSeq) ?? [],
  });
  return new Response(stream).blob();
}

async function* withSamples(
  batches: AsyncIterable<QaPairRecord[]>,
  read: (batch: QaPairRecord[]) => Promise<void>,
): AsyncGenerator<QaPairRecord> {
  for await (const batch of batches) {
    await read(batch);
    yield* batch;
  }
}

/** The audit file: one line per rejected proposal. */
export function rejectedBlob(questions: readonly QuestionRecord[]): Promise<Blob> {
  return new Response(linesToStream(rejectedLines(questions))).blob();
}

async function* flatten<T>(batches: AsyncIterable<T[]>): AsyncGenerator<T> {
  for await (const batch of batches) yield* batch;
}
