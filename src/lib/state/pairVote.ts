// A pair's vote as the data screens show it: what was drawn, of how many asked, whether it passes
// its run's bar, and the range the full vote's agreement lies in when sampling stopped early.
import { voteSummary } from '../crescent/agreement';
import type { QaPairRecord } from '../crescent/types';
import { voteSplitLabel } from '../export/voteWords';
import { formatPercent } from './format';
import type { Tone } from './runWords';

export interface PairVoteWords {
  /** "2 of 3", "2 of 2 drawn (k = 3)", or "no votes". */
  label: string;
  tone: Tone;
  /** A sentence for a tooltip or a screen reader. */
  detail: string;
}

export function pairVoteWords(pair: QaPairRecord): PairVoteWords {
  const s = voteSummary(pair);
  if (!s) {
    return {
      label: 'no votes',
      tone: '',
      detail: 'Imported without vote data: its agreement is unknown.',
    };
  }
  const label = voteSplitLabel(s);
  const bar = s.minVotes > 0 ? ` The run’s bar is ${s.minVotes} of ${s.k}.` : '';
  const range = s.exact
    ? `Agreement ${formatPercent(s.low / s.k)} of all ${s.k} samples.`
    : `Sampling stopped once the outcome was settled: all ${s.k} samples would agree ${formatPercent(s.low / s.k)} to ${formatPercent(s.high / s.k)}.`;
  if (!s.passes) {
    return { label: `${label}, below bar`, tone: 'warn', detail: `Below the bar.${bar} ${range}` };
  }
  const tone: Tone = s.exact && s.low === s.k ? 'ok' : s.low * 2 > s.k ? 'accent' : 'warn';
  return {
    label,
    tone,
    detail: `${s.minVotes > 0 ? 'Passes the bar.' : ''}${bar} ${range}`.trim(),
  };
}
