// Which QA pairs the dataset browser shows: filters, text search and paging, as plain functions.
import type { QaPairRecord, QuestionRecord } from '../crescent/types';

export interface PairQuery {
  /** 0..1; pairs below are hidden. */
  minAgreement: number;
  requireAnswer: boolean;
  /** Case-insensitive; matches the question, the answer text or the final answer. */
  search: string;
}

export const EMPTY_QUERY: PairQuery = { minAgreement: 0, requireAnswer: false, search: '' };

// Agreement is votes / k; a pair exactly at a threshold such as 2/3 must pass.
const TOLERANCE = 1e-9;

export function pairMatcher(query: PairQuery): (pair: QaPairRecord) => boolean {
  const needle = query.search.trim().toLowerCase();
  return (pair) => {
    if (pair.agreement < query.minAgreement - TOLERANCE) return false;
    if (query.requireAnswer && pair.answer === null) return false;
    if (!needle) return true;
    return (
      pair.question.toLowerCase().includes(needle) ||
      pair.answerText.toLowerCase().includes(needle) ||
      (pair.answer ?? '').toLowerCase().includes(needle)
    );
  };
}

export function filterPairs(pairs: readonly QaPairRecord[], query: PairQuery): QaPairRecord[] {
  return pairs.filter(pairMatcher(query));
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
