// Which pairs go into an export. The caller picks the runs by what it passes in; the filter
// narrows further by consensus quality.
import type { QaPairRecord } from '../crescent/types';

export interface PairFilter {
  /** Keep pairs whose agreement is at least this (0..1). */
  minAgreement?: number;
  /** Drop pairs where no sample gave a readable answer (answer null). */
  dropUnanswered?: boolean;
  /** Keep only pairs of these runs. */
  runIds?: ReadonlySet<string>;
  /** Any further condition the caller needs. */
  where?: (pair: QaPairRecord) => boolean;
}

// Agreement is votes / k, so 2/3 computed elsewhere may differ in the last bit from a
// threshold typed as 2/3; a pair exactly at the threshold must pass.
const AGREEMENT_TOLERANCE = 1e-9;

export function keepPair(pair: QaPairRecord, filter: PairFilter): boolean {
  if (
    filter.minAgreement !== undefined &&
    pair.agreement < filter.minAgreement - AGREEMENT_TOLERANCE
  )
    return false;
  if (filter.dropUnanswered && pair.answer === null) return false;
  if (filter.runIds && !filter.runIds.has(pair.runId)) return false;
  if (filter.where && !filter.where(pair)) return false;
  return true;
}

/** The filter in words, for the dataset card. */
export function describeFilter(filter: PairFilter): string[] {
  const lines: string[] = [];
  if (filter.minAgreement !== undefined && filter.minAgreement > 0)
    lines.push(`agreement at least ${formatShare(filter.minAgreement)}`);
  if (filter.dropUnanswered) lines.push('pairs without a readable final answer dropped');
  if (filter.runIds) lines.push(`runs: ${[...filter.runIds].join(', ')}`);
  if (filter.where) lines.push('a further condition chosen in the app');
  return lines;
}

function formatShare(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}
