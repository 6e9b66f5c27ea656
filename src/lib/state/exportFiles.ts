// The files an export produces, as Blobs: pairs read from the database in batches and streamed
// through the chosen format, so no export is ever one big string.
import type { QuestionRecord } from '../crescent/types';
import { pairsOfRuns } from '../db/read';
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
  const stream = exportStream(
    flatten(
      pairsOfRuns(
        db,
        request.runs.map((r) => r.id),
      ),
    ),
    {
      format: request.format,
      filter: request.filter,
      context: questionContext(request.questions, recipeIds),
      tally: request.tally,
    },
  );
  return new Response(stream).blob();
}

/** The audit file: one line per rejected proposal. */
export function rejectedBlob(questions: readonly QuestionRecord[]): Promise<Blob> {
  return new Response(linesToStream(rejectedLines(questions))).blob();
}

async function* flatten<T>(batches: AsyncIterable<T[]>): AsyncGenerator<T> {
  for await (const batch of batches) yield* batch;
}
