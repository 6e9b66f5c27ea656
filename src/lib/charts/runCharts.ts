// The numbers behind the run charts, shaped here so the components only draw them. Agreement is
// shown as the vote tells it: an exact share when all k samples were drawn (or the outcome pins
// it), otherwise the range it is known to lie in, never a lower bound passed off as the value.
import { voteSummary } from '../crescent/agreement';
import { countsTowardsSaturation } from '../crescent/diversify';
import type { AnswerSampleRecord, QaPairRecord, QuestionRecord } from '../crescent/types';

export interface HistogramBin {
  /** Inclusive lower edge, exclusive upper edge (the last bin includes 1). */
  x0: number;
  x1: number;
  count: number;
}

/** Nearest-neighbour similarity of every proposal that had one, in `bins` equal bins over [0, 1]. */
export function similarityHistogram(
  questions: readonly Pick<QuestionRecord, 'similarity'>[],
  bins = 20,
): HistogramBin[] {
  const out: HistogramBin[] = Array.from({ length: bins }, (_, i) => ({
    x0: i / bins,
    x1: (i + 1) / bins,
    count: 0,
  }));
  for (const q of questions) {
    const s = q.similarity;
    if (typeof s !== 'number' || !Number.isFinite(s)) continue;
    const i = Math.min(bins - 1, Math.max(0, Math.floor(s * bins)));
    out[i]!.count++;
  }
  return out;
}

export interface AcceptancePoint {
  /** 1-based count of bait proposals that count towards saturation. */
  proposal: number;
  /** Share accepted over all counted proposals so far. */
  overall: number;
  /** Share accepted over the last `window` counted proposals (the stop rule's figure). */
  windowed: number;
  /** Whether the window is full, so the stop rule can fire at this point. */
  full: boolean;
}

/** The saturation curve: acceptance of bait proposals in order, as the stop rule counts them. */
export function acceptanceCurve(
  questions: readonly Pick<QuestionRecord, 'seq' | 'origin' | 'reason' | 'status'>[],
  window: number,
): AcceptancePoint[] {
  const counted = [...questions].sort((a, b) => a.seq - b.seq).filter(countsTowardsSaturation);
  const outcomes: number[] = [];
  const points: AcceptancePoint[] = [];
  let total = 0;
  let recent = 0;
  const size = Math.max(1, Math.floor(window));
  for (const q of counted) {
    const ok = q.status === 'accepted' ? 1 : 0;
    outcomes.push(ok);
    total += ok;
    recent += ok;
    if (outcomes.length > size) recent -= outcomes[outcomes.length - 1 - size]!;
    const n = outcomes.length;
    const inWindow = Math.min(n, size);
    points.push({ proposal: n, overall: total / n, windowed: recent / inWindow, full: n >= size });
  }
  return points;
}

export interface VoteSplit {
  /** "2 of 3" when known, "2–3 of 3" when only a range is known. */
  label: string;
  k: number;
  low: number;
  high: number;
  exact: boolean;
  passes: boolean;
  count: number;
}

/** Pairs grouped by what their vote says about the winner's votes out of k. */
export function voteSplits(pairs: readonly QaPairRecord[]): VoteSplit[] {
  const groups = new Map<string, VoteSplit>();
  for (const pair of pairs) {
    const s = voteSummary(pair);
    if (!s) continue;
    const label = s.exact ? `${s.low} of ${s.k}` : `${s.low}–${s.high} of ${s.k}`;
    const key = `${label}|${s.passes}`;
    const group = groups.get(key);
    if (group) group.count++;
    else
      groups.set(key, {
        label,
        k: s.k,
        low: s.low,
        high: s.high,
        exact: s.exact,
        passes: s.passes,
        count: 1,
      });
  }
  return [...groups.values()].sort(
    (a, b) => a.k - b.k || a.low - b.low || a.high - b.high || Number(a.passes) - Number(b.passes),
  );
}

export interface CostPoint {
  /** 1-based position of the pair in the order pairs were made. */
  pair: number;
  questionSeq: number;
  /** Tokens of this pair's own samples. */
  tokens: number;
  /** Seconds from the previous pair (or the first proposal) to this one. */
  seconds: number;
  /** Tokens of every proposal and sample so far, over pairs so far. */
  tokensPerPair: number;
  /** Seconds since the first record, over pairs so far. */
  secondsPerPair: number;
}

/** Tokens and time per accepted pair over the run, in the order pairs were made. */
export function costPerPair(
  questions: readonly Pick<QuestionRecord, 'tokens' | 'createdAt'>[],
  samples: readonly Pick<AnswerSampleRecord, 'questionSeq' | 'tokens' | 'createdAt'>[],
  pairs: readonly Pick<QaPairRecord, 'questionSeq' | 'createdAt'>[],
): CostPoint[] {
  type Event = { at: number; tokens: number };
  const events: Event[] = [
    ...questions.map((q) => ({ at: q.createdAt, tokens: q.tokens })),
    ...samples.map((s) => ({ at: s.createdAt, tokens: s.tokens })),
  ].sort((a, b) => a.at - b.at);
  const ordered = [...pairs].sort((a, b) => a.createdAt - b.createdAt);
  const sampleTokens = new Map<number, number>();
  for (const s of samples)
    sampleTokens.set(s.questionSeq, (sampleTokens.get(s.questionSeq) ?? 0) + s.tokens);
  const start = Math.min(events[0]?.at ?? Infinity, ordered[0]?.createdAt ?? Infinity);
  const points: CostPoint[] = [];
  let e = 0;
  let spent = 0;
  let previous = start;
  ordered.forEach((p, i) => {
    while (e < events.length && events[e]!.at <= p.createdAt) spent += events[e++]!.tokens;
    const n = i + 1;
    points.push({
      pair: n,
      questionSeq: p.questionSeq,
      tokens: sampleTokens.get(p.questionSeq) ?? 0,
      seconds: (p.createdAt - previous) / 1000,
      tokensPerPair: spent / n,
      secondsPerPair: (p.createdAt - start) / 1000 / n,
    });
    previous = p.createdAt;
  });
  return points;
}

/** The run's own lines drawn on its charts. */
export interface ChartBars {
  similarityThreshold: number;
  saturationWindow: number;
  saturationMinAcceptance: number;
  minAgreement: number;
  k: number;
}

export function barsOfRecipe(
  recipe:
    | {
        similarityThreshold: number;
        saturationWindow: number;
        saturationMinAcceptance: number;
        minAgreement: number;
        votes: number;
      }
    | null
    | undefined,
): ChartBars | null {
  if (!recipe) return null;
  const { similarityThreshold, saturationWindow, saturationMinAcceptance, minAgreement, votes } =
    recipe;
  return { similarityThreshold, saturationWindow, saturationMinAcceptance, minAgreement, k: votes };
}
