// Which QA pairs the dataset browser shows: filters, text search and paging, as plain functions.
import { isDeleted, shownAnswer, shownAnswerText, shownQuestion } from '../export/curated';
import { meetsAgreement } from '../crescent/agreement';
import type { QaPairRecord, QuestionRecord } from '../crescent/types';

export interface PairQuery {
  /** Only pairs whose vote passes their run's quality bar. */
  passesBar: boolean;
  /** 0..1; pairs not known to reach it with all k samples are hidden (see undecidedCount). */
  minAgreement: number;
  requireAnswer: boolean;
  /** Case-insensitive; matches the question, the answer text or the final answer. */
  search: string;
  /** Show the deleted pairs (to restore them) instead of the others. */
  deleted: boolean;
}

export const EMPTY_QUERY: PairQuery = {
  passesBar: false,
  minAgreement: 0,
  requireAnswer: false,
  search: '',
  deleted: false,
};

/** Everything but the agreement minimum: the pairs it is then asked about. */
function baseMatcher(query: PairQuery): (pair: QaPairRecord) => boolean {
  const needle = query.search.trim().toLowerCase();
  return (pair) => {
    if (isDeleted(pair) !== query.deleted) return false;
    if (query.passesBar && !pair.passes) return false;
    if (query.requireAnswer && shownAnswer(pair) === null) return false;
    if (!needle) return true;
    return (
      shownQuestion(pair).toLowerCase().includes(needle) ||
      shownAnswerText(pair).toLowerCase().includes(needle) ||
      (shownAnswer(pair) ?? '').toLowerCase().includes(needle)
    );
  };
}

function pairMatcher(query: PairQuery): (pair: QaPairRecord) => boolean {
  const base = baseMatcher(query);
  return (pair) => base(pair) && meetsAgreement(pair, query.minAgreement) === 'yes';
}

export function filterPairs(pairs: readonly QaPairRecord[], query: PairQuery): QaPairRecord[] {
  return pairs.filter(pairMatcher(query));
}

/**
 * Pairs the query would show if their agreement were known: sampling stopped once the run's
 * outcome was settled, before the query's stricter minimum was decided.
 */
export function undecidedCount(pairs: readonly QaPairRecord[], query: PairQuery): number {
  if (!(query.minAgreement > 0)) return 0;
  const base = baseMatcher(query);
  let n = 0;
  for (const pair of pairs) {
    if (base(pair) && meetsAgreement(pair, query.minAgreement) === 'unknown') n++;
  }
  return n;
}

export function rejectedMatcher(search: string): (q: QuestionRecord) => boolean {
  const needle = search.trim().toLowerCase();
  if (!needle) return () => true;
  return (q) =>
    (q.text ?? q.raw).toLowerCase().includes(needle) ||
    (q.nearestText ?? '').toLowerCase().includes(needle);
}

export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/** The rows of one page; a page past the end is clamped to the last one. */
export function pageOf<T>(rows: readonly T[], page: number, pageSize: number): T[] {
  const last = pageCount(rows.length, pageSize) - 1;
  const p = Math.min(Math.max(0, page), last);
  return rows.slice(p * pageSize, (p + 1) * pageSize);
}

/** A stable key for a pair across runs. */
export function pairKey(pair: Pick<QaPairRecord, 'runId' | 'questionSeq'>): string {
  return `${pair.runId}:${pair.questionSeq}`;
}
