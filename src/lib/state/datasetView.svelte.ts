// The dataset browser over the selected runs: pairs and rejected questions read live,
// filtered and paged here so ten thousand rows cost one page of DOM.
import { Dexie } from 'dexie';
import type { AnswerSampleRecord, QaPairRecord, QuestionRecord } from '../crescent/types';
import type { CrescentDb } from '../db/schema';
import { LiveQueryState } from './liveQueryState.svelte';
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

  readonly #source: LiveQueryState<QaPairRecord[]> = $derived(this.#pairsOf(this.runIdsKey));
  readonly #rejectedSource: LiveQueryState<QuestionRecord[]> = $derived(
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

  get total(): number {
    return this.#source.current.length;
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

  #pairsOf(key: string): LiveQueryState<QaPairRecord[]> {
    const ids = this.#ids(key);
    return new LiveQueryState(
      () => (ids.length ? this.#db.pairs.where('runId').anyOf(ids).toArray() : []),
      [],
    );
  }

  #rejectedOf(key: string): LiveQueryState<QuestionRecord[]> {
    const ids = this.#ids(key);
    return new LiveQueryState(
      () =>
        ids.length
          ? this.#db.questions
              .where('[runId+status]')
              .anyOf(ids.map((id) => [id, 'rejected']))
              .toArray()
          : [],
      [],
    );
  }
}
