// The dataset browser over the selected runs: pairs and rejected questions read live,
// filtered and paged here so ten thousand rows cost one page of DOM. A run's writes are followed
// in spaced reads (a whole run read at each, so spaced in proportion to its size); the user's own
// corrections and deletions are read at once.
import { Dexie } from 'dexie';
import type { AnswerSampleRecord, QaPairRecord, QuestionRecord } from '../crescent/types';
import {
  attachCuration,
  correctPair,
  curationOfRuns,
  deletePairs,
  restorePairs,
  revertPair,
  type PairCorrection,
} from '../db/curation';
import type { CrescentDb } from '../db/schema';
import { toErrorInfo, type ErrorInfo } from '../crescent/errors';
import { isDeleted } from '../export/curated';
import { SpacedQuery } from './spacedQuery.svelte';
import { spacingForRecords } from './spacedReads';
import {
  EMPTY_QUERY,
  filterPairs,
  pageCount,
  pageOf,
  pairKey,
  rejectedMatcher,
  undecidedCount,
  type PairQuery,
} from './pairQuery';

const PAGE_SIZE = 50;

export type DatasetTab = 'pairs' | 'rejected';

export class DatasetView {
  readonly #db: CrescentDb;
  readonly #runIds: () => string[];
  query = $state<PairQuery>({ ...EMPTY_QUERY });
  tab = $state<DatasetTab>('pairs');
  #page = $state(0);
  #expanded = $state<string | null>(null);
  #samples = $state.raw<AnswerSampleRecord[]>([]);
  #editError = $state.raw<ErrorInfo | null>(null);

  readonly #source: SpacedQuery<QaPairRecord[]> = $derived(this.#pairsOf(this.runIdsKey));
  readonly #rejectedSource: SpacedQuery<QuestionRecord[]> = $derived(
    this.#rejectedOf(this.runIdsKey),
  );
  readonly filtered: QaPairRecord[] = $derived(filterPairs(this.#source.current, this.query));
  /** Pairs hidden only because sampling stopped before the minimum agreement was decided. */
  readonly undecided: number = $derived(undecidedCount(this.#source.current, this.query));
  readonly rejected: QuestionRecord[] = $derived(
    this.#rejectedSource.current.filter(rejectedMatcher(this.query.search)),
  );

  /** `runIds` is read reactively: the browser follows the selection. */
  constructor(db: CrescentDb, runIds: () => string[]) {
    this.#db = db;
    this.#runIds = runIds;
  }

  get runIdsKey(): string {
    return this.#runIds().join('\n');
  }

  /** Every pair of the selected runs, unfiltered. */
  get all(): QaPairRecord[] {
    return this.#source.current;
  }

  /** Pairs of the selected runs, deleted ones aside. */
  get total(): number {
    return this.#source.current.length - this.deleted;
  }

  readonly deleted: number = $derived(this.#source.current.filter(isDeleted).length);

  /** The last curation change that failed, for the page to show. */
  get editError(): ErrorInfo | null {
    return this.#editError;
  }

  /** Deletes one pair (restorable from the deleted pairs). */
  deletePair(pair: QaPairRecord): Promise<void> {
    return this.#curate(() => deletePairs(this.#db, [[pair.runId, pair.questionSeq]]));
  }

  /** Deletes every pair the current filters show; returns how many. */
  async deleteShown(): Promise<number> {
    const keys = this.filtered
      .filter((p) => !isDeleted(p))
      .map((p) => [p.runId, p.questionSeq] as const);
    let deleted = 0;
    await this.#curate(async () => {
      deleted = await deletePairs(this.#db, keys);
    });
    return deleted;
  }

  restorePair(pair: QaPairRecord): Promise<void> {
    return this.#curate(() => restorePairs(this.#db, [[pair.runId, pair.questionSeq]]));
  }

  /** Restores every pair the current filters show (in the deleted view). */
  restoreShown(): Promise<void> {
    const keys = this.filtered.filter(isDeleted).map((p) => [p.runId, p.questionSeq] as const);
    return this.#curate(() => restorePairs(this.#db, keys));
  }

  correct(pair: QaPairRecord, correction: PairCorrection): Promise<void> {
    return this.#curate(() => correctPair(this.#db, [pair.runId, pair.questionSeq], correction));
  }

  revert(pair: QaPairRecord): Promise<void> {
    return this.#curate(() => revertPair(this.#db, [pair.runId, pair.questionSeq]));
  }

  async #curate(change: () => Promise<unknown>): Promise<void> {
    this.#editError = null;
    try {
      await change();
    } catch (error) {
      this.#editError = toErrorInfo(error);
      throw error;
    }
  }

  get loaded(): boolean {
    return this.#source.loaded;
  }

  get rows(): QaPairRecord[] {
    return this.tab === 'pairs' ? pageOf(this.filtered, this.#page, PAGE_SIZE) : [];
  }

  get rejectedRows(): QuestionRecord[] {
    return pageOf(this.rejected, this.#page, PAGE_SIZE);
  }

  get pages(): number {
    return pageCount(this.tab === 'pairs' ? this.filtered.length : this.rejected.length, PAGE_SIZE);
  }

  get page(): number {
    return Math.min(this.#page, this.pages - 1);
  }

  get expanded(): string | null {
    return this.#expanded;
  }

  get samples(): AnswerSampleRecord[] {
    return this.#samples;
  }

  goTo(page: number): void {
    this.#page = Math.min(Math.max(0, page), this.pages - 1);
    this.#expanded = null;
  }

  showTab(tab: DatasetTab): void {
    this.tab = tab;
    this.#page = 0;
  }

  /** Filters changed: back to the first page. */
  refine(patch: Partial<PairQuery>): void {
    this.query = { ...this.query, ...patch };
    this.#page = 0;
  }

  async toggleRow(pair: QaPairRecord): Promise<void> {
    const key = pairKey(pair);
    if (this.#expanded === key) {
      this.#expanded = null;
      return;
    }
    this.#expanded = key;
    this.#samples = [];
    const samples = await this.#db.samples
      .where('[runId+questionSeq+index]')
      .between(
        [pair.runId, pair.questionSeq, Dexie.minKey],
        [pair.runId, pair.questionSeq, Dexie.maxKey],
      )
      .toArray();
    if (this.#expanded === key) this.#samples = samples;
  }

  #ids(key: string): string[] {
    return key ? key.split('\n') : [];
  }

  #pairsOf(key: string): SpacedQuery<QaPairRecord[]> {
    const ids = this.#ids(key);
    return new SpacedQuery(
      async () => {
        if (ids.length === 0) return [];
        const [pairs, curation] = await Promise.all([
          this.#db.pairs.where('runId').anyOf(ids).toArray(),
          curationOfRuns(this.#db, ids),
        ]);
        return attachCuration(pairs, curation);
      },
      [],
      (pairs) => spacingForRecords(pairs.length),
      ['pairs', 'curation'],
      ['curation'],
    );
  }

  #rejectedOf(key: string): SpacedQuery<QuestionRecord[]> {
    const ids = this.#ids(key);
    return new SpacedQuery(
      async () =>
        ids.length
          ? this.#db.questions
              .where('[runId+status]')
              .anyOf(ids.map((id) => [id, 'rejected']))
              .toArray()
          : [],
      [],
      (rejected) => spacingForRecords(rejected.length),
      ['questions'],
    );
  }
}
