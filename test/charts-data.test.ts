import { describe, expect, it } from 'vitest';
import {
  acceptanceCurve,
  costPerPair,
  similarityHistogram,
  voteSplits,
} from '../src/lib/charts/runCharts';
import type { QaPairRecord, QuestionRecord } from '../src/lib/crescent/types';

type Q = Pick<QuestionRecord, 'seq' | 'origin' | 'reason' | 'status'>;

function q(seq: number, status: 'accepted' | 'rejected', extra: Partial<Q> = {}): Q {
  return { seq, origin: 'bait', status, ...extra };
}

function pair(
  votes: Record<string, number>,
  samples: number,
  k: number,
  minVotes = 0,
): QaPairRecord {
  const answer = Object.keys(votes)[0] ?? null;
  const winner = answer ? (votes[answer] ?? 0) : 0;
  return {
    runId: 'r',
    questionSeq: 0,
    question: 'q',
    answerText: '',
    answer,
    votes,
    abstained: 0,
    samples,
    k,
    agreement: samples === k ? winner / k : null,
    minVotes,
    passes: winner >= minVotes,
    model: 'm',
    createdAt: 0,
  };
}

describe('similarityHistogram', () => {
  it('bins similarities into equal bins, 1 in the last, and skips proposals without one', () => {
    const bins = similarityHistogram(
      [{ similarity: 0 }, { similarity: 0.12 }, { similarity: 0.875 }, { similarity: 1 }, {}],
      10,
    );
    expect(bins).toHaveLength(10);
    expect(bins.map((b) => b.count)).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 1, 1]);
    expect(bins[8]).toMatchObject({ x0: 0.8, x1: 0.9 });
  });
});

describe('acceptanceCurve', () => {
  it('counts bait proposals only, engine failures left out, over a sliding window', () => {
    const points = acceptanceCurve(
      [
        q(3, 'rejected'),
        q(0, 'accepted'),
        q(1, 'rejected', { origin: 'rewrite' }),
        q(2, 'rejected', { reason: 'engine-error' }),
        q(4, 'accepted'),
        q(5, 'rejected'),
      ],
      2,
    );
    expect(points.map((p) => p.proposal)).toEqual([1, 2, 3, 4]);
    expect(points.map((p) => p.windowed)).toEqual([1, 0.5, 0.5, 0.5]);
    expect(points.map((p) => p.overall)).toEqual([1, 0.5, 2 / 3, 0.5]);
    expect(points.map((p) => p.full)).toEqual([false, true, true, true]);
  });

  it('drops an old outcome as the window slides', () => {
    const points = acceptanceCurve([q(0, 'accepted'), q(1, 'rejected'), q(2, 'rejected')], 2);
    expect(points[2]!.windowed).toBe(0);
  });
});

describe('voteSplits', () => {
  it('shows an early-stopped vote as a range, never as its lower bound', () => {
    const splits = voteSplits([
      pair({ '4': 2 }, 2, 3),
      pair({ '4': 3 }, 3, 3),
      pair({ '4': 2, '5': 1 }, 3, 3),
      pair({ '4': 2, '5': 1 }, 3, 3),
    ]);
    expect(splits.map((s) => [s.label, s.count, s.exact])).toEqual([
      ['2 of 3', 2, true],
      ['2–3 of 3', 1, false],
      ['3 of 3', 1, true],
    ]);
  });

  it('keeps passing and failing pairs apart and skips pairs without vote data', () => {
    const splits = voteSplits([
      pair({ '4': 1, '5': 1 }, 3, 3, 2),
      pair({ '4': 3 }, 3, 3, 2),
      pair({}, 0, 0),
    ]);
    expect(splits.map((s) => [s.label, s.passes])).toEqual([
      ['1 of 3', false],
      ['3 of 3', true],
    ]);
  });
});

describe('costPerPair', () => {
  it('spreads every token and second so far over the pairs so far', () => {
    const points = costPerPair(
      [
        { tokens: 10, createdAt: 0 },
        { tokens: 20, createdAt: 2000 },
      ],
      [
        { questionSeq: 0, tokens: 5, createdAt: 1000 },
        { questionSeq: 1, tokens: 7, createdAt: 3000 },
      ],
      [
        { questionSeq: 1, createdAt: 4000 },
        { questionSeq: 0, createdAt: 1500 },
      ],
    );
    expect(points).toEqual([
      { pair: 1, questionSeq: 0, tokens: 5, seconds: 1.5, tokensPerPair: 15, secondsPerPair: 1.5 },
      { pair: 2, questionSeq: 1, tokens: 7, seconds: 2.5, tokensPerPair: 21, secondsPerPair: 2 },
    ]);
  });
});
