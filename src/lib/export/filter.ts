// Which pairs go into an export. The caller picks the runs by what it passes in; the filter
// narrows further by consensus quality, as all k samples would decide it.
import { meetsAgreement } from '../crescent/agreement';
import type { QaPairRecord } from '../crescent/types';
import { isDeleted, shownAnswer } from './curated';
import { hasPreference } from './formats';

export interface PairFilter {
  /** Keep only pairs whose k-sample vote passes their run's quality bar (known exactly). */
  passesBar?: boolean;
  /**
   * Keep pairs whose k-sample agreement is known to be at least this (0..1). A pair whose
   * sampling stopped before that was decided is left out: see `undecidedAgreement`.
   */
  minAgreement?: number;
  /** Drop pairs where no sample gave a readable answer (answer null). */
  dropUnanswered?: boolean;
  /** Drop pairs a decontamination check flagged as leaking a benchmark question. */
  dropContaminated?: boolean;
  /** Keep only pairs that can give a preference record (the `dpo` format): see hasPreference. */
  preferencesOnly?: boolean;
  /** Keep only pairs of these runs. */
  runIds?: ReadonlySet<string>;
  /** Any further condition the caller needs. */
  where?: (pair: QaPairRecord) => boolean;
}

function keptButForAgreement(pair: QaPairRecord, filter: PairFilter): boolean {
  // A deleted pair is in no export.
  if (isDeleted(pair)) return false;
  if (filter.passesBar && !pair.passes) return false;
  if (filter.dropUnanswered && shownAnswer(pair) === null) return false;
  if (filter.dropContaminated && pair.contamination) return false;
  if (filter.preferencesOnly && !hasPreference(pair)) return false;
  if (filter.runIds && !filter.runIds.has(pair.runId)) return false;
  if (filter.where && !filter.where(pair)) return false;
  return true;
}

export function keepPair(pair: QaPairRecord, filter: PairFilter): boolean {
  if (!keptButForAgreement(pair, filter)) return false;
  return filter.minAgreement === undefined || meetsAgreement(pair, filter.minAgreement) === 'yes';
}

/**
 * A pair the filter would keep if its agreement were known: sampling stopped once its run's
 * outcome was settled, before the stricter minimum was decided (or it carries no votes).
 */
export function undecidedAgreement(pair: QaPairRecord, filter: PairFilter): boolean {
  if (filter.minAgreement === undefined || !keptButForAgreement(pair, filter)) return false;
  return meetsAgreement(pair, filter.minAgreement) === 'unknown';
}

/** The filter in words, for the dataset card. */
export function describeFilter(filter: PairFilter): string[] {
  const lines: string[] = [];
  if (filter.passesBar) lines.push('only pairs whose vote passes their run’s quality bar');
  if (filter.minAgreement !== undefined && filter.minAgreement > 0)
    lines.push(
      `only pairs whose answer is known to win at least ${formatShare(filter.minAgreement)} of the k samples (pairs whose sampling stopped before that was decided are left out)`,
    );
  if (filter.dropUnanswered) lines.push('pairs without a readable final answer dropped');
  if (filter.dropContaminated) lines.push('pairs flagged as leaking a benchmark question dropped');
  if (filter.preferencesOnly)
    lines.push(
      'only pairs that pass their run’s bar with a split vote (a preference record needs a losing reply)',
    );
  if (filter.runIds) lines.push(`runs: ${[...filter.runIds].join(', ')}`);
  if (filter.where) lines.push('a further condition chosen in the app');
  return lines;
}

function formatShare(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}
