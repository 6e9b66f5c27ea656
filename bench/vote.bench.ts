// How many samples adaptive voting saves, by k, by the quality bar and by how much the samples
// agree. Each simulated question draws answers until the outcome at the bar is settled, then
// checks it against drawing all k, so a saving never comes from a changed result.
import type { BenchRow } from '../scripts/bench';
import {
  isVoteSettled,
  majorityVote,
  minVotesFor,
  outcomeOf,
  samplesSaved,
  settledOutcome,
} from '../src/lib/crescent/vote';
import { createRandom } from '../src/lib/crescent/random';
import type { RandomSource } from '../src/lib/crescent/types';

interface AnswerDistribution {
  name: string;
  /** Answers with their probabilities (summing to 1); null is an unreadable answer. */
  weights: ReadonlyArray<readonly [string | null, number]>;
}

const DISTRIBUTIONS: readonly AnswerDistribution[] = [
  {
    name: 'uniform over 2',
    weights: [
      ['a', 0.5],
      ['b', 0.5],
    ],
  },
  {
    name: 'uniform over 4',
    weights: [
      ['a', 0.25],
      ['b', 0.25],
      ['c', 0.25],
      ['d', 0.25],
    ],
  },
  // A model that is usually right: one answer 70%, two wrong ones, and some unreadable replies.
  {
    name: '70% one answer',
    weights: [
      ['a', 0.7],
      ['b', 0.15],
      ['c', 0.1],
      [null, 0.05],
    ],
  },
];
const KS = [3, 5, 8];
/** No bar, a majority-style bar and a unanimous one. */
const BARS = [0, 0.6, 1];
const QUESTIONS = 20_000;

function draw(random: RandomSource, weights: AnswerDistribution['weights']): string | null {
  let u = random.next();
  for (const [answer, p] of weights) {
    if (u < p) return answer;
    u -= p;
  }
  return weights[weights.length - 1]?.[0] ?? null;
}

export default async function voteBench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  let settledChecks = 0;
  const started = performance.now();
  for (const distribution of DISTRIBUTIONS) {
    for (const k of KS) {
      for (const bar of BARS) {
        const minVotes = minVotesFor(bar, k);
        const random = createRandom(k * 1000 + distribution.weights.length);
        let drawn = 0;
        let saved = 0;
        for (let q = 0; q < QUESTIONS; q++) {
          const all = Array.from({ length: k }, () => draw(random, distribution.weights));
          let n = 0;
          while (!isVoteSettled(all.slice(0, n), k, { minVotes })) n++;
          settledChecks += n + 1;
          const early = JSON.stringify(settledOutcome(all.slice(0, n), k, { minVotes }));
          const full = JSON.stringify(outcomeOf(majorityVote(all), minVotes));
          if (early !== full) {
            throw new Error(`adaptive voting changed an outcome: ${JSON.stringify(all)} at ${n}`);
          }
          drawn += n;
          saved += samplesSaved(k, n);
        }
        rows.push({
          name: `adaptive vote k=${k}, bar ${bar === 0 ? 'none' : `${minVotes} of ${k}`}, ${distribution.name}`,
          value: drawn / QUESTIONS,
          unit: 'samples/question',
          note: `${((100 * saved) / (k * QUESTIONS)).toFixed(1)}% of samples saved`,
        });
      }
    }
  }
  const elapsed = performance.now() - started;
  rows.push({
    name: 'isVoteSettled + simulation cost',
    value: (elapsed * 1000) / settledChecks,
    unit: 'µs/check',
    note: `${settledChecks} checks`,
  });
  return rows;
}
