// Downloads of the selected runs: the JSONL in a chosen shape (streamed into a Blob), the audit
// file of rejected questions, and the dataset card written from the same pass over the pairs.
import { CrescentError, toErrorInfo, type ErrorInfo } from '../crescent/errors';
import type { QaPairRecord, QuestionRecord } from '../crescent/types';
import type { CrescentDb, RunRow } from '../db/schema';
import { datasetCard } from '../export/card';
import { exportFileName } from '../export/export';
import { keepPair, undecidedAgreement, type PairFilter } from '../export/filter';
import type { ExportFormat } from '../export/formats';
import { ExportTally, summariseQuestions } from '../export/stats';
import { recipeId } from '../recipe/link';
import { pairsBlob, rejectedBlob } from './exportFiles';
import { saveFile } from './saveFile';

export const FORMAT_LABELS: Record<ExportFormat, string> = {
  full: 'Full record (votes, agreement, provenance)',
  openai: 'OpenAI chat messages',
  sharegpt: 'ShareGPT conversations',
  alpaca: 'Alpaca instruction / output',
  dpo: 'Preference pairs (prompt, chosen, rejected) from split votes',
};

export interface ExportDone {
  files: string[];
  pairs: number;
}

export class Exporter {
  readonly #db: CrescentDb;
  readonly #runIds: () => string[];
  readonly #pairs: () => readonly QaPairRecord[];
  format = $state<ExportFormat>('full');
  passesBar = $state(true);
  minAgreement = $state(0);
  dropUnanswered = $state(true);
  dropContaminated = $state(true);
  includeRejected = $state(false);
  #working = $state(false);
  #done = $state.raw<ExportDone | null>(null);
  #error = $state.raw<ErrorInfo | null>(null);

  /** How many of the selected runs' pairs the filters keep (from the browser's live copy). */
  readonly count: number = $derived(this.#countOf(keepPair));
  /** Pairs left out only because their agreement above the run's bar was never decided. */
  readonly undecided: number = $derived(this.#countOf(undecidedAgreement));

  /**
   * `pairs` is the live copy of the selected runs' pairs the dataset browser already holds;
   * the download itself reads the database again in batches.
   */
  constructor(db: CrescentDb, runIds: () => string[], pairs: () => readonly QaPairRecord[]) {
    this.#db = db;
    this.#runIds = runIds;
    this.#pairs = pairs;
  }

  get filter(): PairFilter {
    return {
      passesBar: this.passesBar,
      minAgreement: this.minAgreement,
      dropUnanswered: this.dropUnanswered,
      dropContaminated: this.dropContaminated,
      ...(this.format === 'dpo' ? { preferencesOnly: true } : {}),
    };
  }
  get working(): boolean {
    return this.#working;
  }
  get done(): ExportDone | null {
    return this.#done;
  }
  get error(): ErrorInfo | null {
    return this.#error;
  }

  async downloadDataset(): Promise<void> {
    await this.#run(async (questions, runs) => {
      const tally = new ExportTally();
      const blob = await pairsBlob(this.#db, {
        runs,
        questions,
        format: this.format,
        filter: this.filter,
        tally,
      });
      const name = exportFileName(this.format, tally.pairs);
      saveFile(blob, name);
      const files = [name];
      if (this.includeRejected) {
        const rejected = questions.filter((q) => q.status === 'rejected');
        const audit = await rejectedBlob(rejected);
        const auditName = `crescent-rejected-${rejected.length}.jsonl`;
        saveFile(audit, auditName);
        files.push(auditName);
      }
      return { files, pairs: tally.pairs };
    });
  }

  async downloadCard(): Promise<void> {
    await this.#run(async (questions, runs) => {
      const tally = new ExportTally();
      await pairsBlob(this.#db, {
        runs,
        questions,
        format: this.format,
        filter: this.filter,
        tally,
      });
      const recipe = runs.find((r) => r.recipe)?.recipe;
      if (!recipe)
        throw new CrescentError({
          code: 'invalid-recipe',
          message: 'None of the selected runs has a recipe to describe.',
          action: 'Select at least one run made in this app (imported files may carry none).',
        });
      const text = datasetCard({
        recipe,
        recipeId: recipeId(recipe),
        format: this.format,
        pairs: tally.summary(),
        questions: summariseQuestions(questions),
        filter: this.filter,
        // A format with no line for these runs has no file for the card to name.
        dataFile: tally.pairs > 0 ? exportFileName(this.format, tally.pairs) : undefined,
        contaminationChecks: runs.flatMap((r) =>
          r.contaminationCheck ? [r.contaminationCheck] : [],
        ),
      });
      saveFile(new Blob([text], { type: 'text/markdown' }), 'README.md');
      return { files: ['README.md'], pairs: tally.pairs };
    });
  }

  async #run(
    work: (questions: QuestionRecord[], runs: RunRow[]) => Promise<ExportDone>,
  ): Promise<void> {
    const ids = this.#runIds();
    if (ids.length === 0 || this.#working) return;
    this.#working = true;
    this.#error = null;
    this.#done = null;
    try {
      const questions = await this.#db.questions.where('runId').anyOf(ids).toArray();
      const runs = (await this.#db.runs.bulkGet(ids)).filter((r): r is RunRow => r !== undefined);
      this.#done = await work(questions, runs);
    } catch (error) {
      this.#error = toErrorInfo(error);
    } finally {
      this.#working = false;
    }
  }

  #countOf(test: (pair: QaPairRecord, filter: PairFilter) => boolean): number {
    const filter = this.filter;
    let n = 0;
    for (const pair of this.#pairs()) if (test(pair, filter)) n++;
    return n;
  }
}
