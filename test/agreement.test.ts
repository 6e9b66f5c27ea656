import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  agreementRange,
  exactAgreement,
  meetsAgreement,
  voteSummary,
  type VotedPair,
} from '../src/lib/crescent/agreement';
import {
  majorityVote,
  minVotesFor,
  outcomeOf,
  settledOutcome,
  type SampledAnswer,
} from '../src/lib/crescent/vote';

/** What a run stores for a vote that stopped after `drawn` of k samples. */
function stored(
  answers: SampledAnswer[],
  k: number,
  minVotes: number,
  countNull = false,
): VotedPair {
  const vote = majorityVote(answers, { countNull });
  const outcome = settledOutcome(answers, k, { countNull, minVotes });
  if (!outcome) throw new Error('not settled');
  return {
    votes: vote.counts,
    answer: vote.winner,
    samples: answers.length,
    k,
    minVotes,
    passes: outcome.pass,
  };
}

describe('voteSummary', () => {
  it('says "2 of 2 drawn" of an early stop: the k-sample agreement lies between 2/3 and 3/3', () => {
    const pair = stored(['7', '7'], 3, 0);
    expect(voteSummary(pair)).toEqual({
      k: 3,
      drawn: 2,
      winnerVotes: 2,
      minVotes: 0,
      passes: true,
      low: 2,
      high: 3,
      exact: false,
    });
    expect(agreementRange(pair)).toEqual([2 / 3, 1]);
    expect(exactAgreement(pair)).toBeNull();
  });

  it('is exact once every sample is drawn', () => {
    const pair = stored(['7', '8', '7'], 3, 0);
    expect(exactAgreement(pair)).toBe(2 / 3);
    expect(agreementRange(pair)).toEqual([2 / 3, 2 / 3]);
  });

  it('knows a passed bar lifts the floor and a failed one caps the ceiling', () => {
    // Passing a unanimous bar needs all three: exact although settled...
    expect(voteSummary(stored(['7', '7', '7'], 3, 3))).toMatchObject({ low: 3, high: 3 });
    // ...and failing 4 of 5 after [7, 8, 9] leaves the winner at most 3 of 5.
    const failed = stored(['7', '8', '9'], 5, 4);
    expect(failed.passes).toBe(false);
    expect(voteSummary(failed)).toMatchObject({ low: 1, high: 3, exact: false });
  });

  it('counts an unreadable winner in faithful mode, and has no summary without votes', () => {
    expect(voteSummary(stored([null, null], 3, 0, true))).toMatchObject({ winnerVotes: 2 });
    expect(voteSummary({ votes: {}, answer: '4', samples: 0, k: 0 })).toBeNull();
    expect(meetsAgreement({ votes: {}, answer: '4', samples: 0, k: 0 }, 0.5)).toBe('unknown');
    expect(meetsAgreement({ votes: {}, answer: '4', samples: 0, k: 0 }, 0)).toBe('yes');
  });

  it('reads rows written before the bar existed as having none', () => {
    expect(voteSummary({ votes: { '7': 2 }, answer: '7', samples: 2, k: 3 })).toMatchObject({
      minVotes: 0,
      passes: true,
      low: 2,
      high: 3,
    });
  });

  it('never contradicts the full vote it stands for, and decides its own bar exactly', () => {
    const answer = fc.constantFrom<SampledAnswer>('A', 'B', 'C', null, undefined);
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 9 })
          .chain((k) =>
            fc.tuple(
              fc.constant(k),
              fc.array(answer, { minLength: k, maxLength: k }),
              fc.integer({ min: 0, max: k }),
              fc.boolean(),
              fc.double({ min: 0, max: 1, noNaN: true }),
            ),
          ),
        ([k, xs, minVotes, countNull, share]) => {
          const options = { countNull, minVotes };
          let drawn = 0;
          while (!settledOutcome(xs.slice(0, drawn), k, options)) drawn++;
          const pair = stored(xs.slice(0, drawn), k, minVotes, countNull);
          const full = majorityVote(xs, options);
          const s = voteSummary(pair);
          if (!s) throw new Error('no summary');

          expect(pair.passes).toBe(outcomeOf(full, minVotes).pass);
          expect(full.votes).toBeGreaterThanOrEqual(s.low);
          expect(full.votes).toBeLessThanOrEqual(s.high);
          const verdict = meetsAgreement(pair, share);
          const needed = minVotesFor(share, k);
          if (verdict === 'yes') expect(full.votes).toBeGreaterThanOrEqual(needed);
          if (verdict === 'no') expect(full.votes).toBeLessThan(needed);
          // At the run's own bar nothing is left undecided.
          if (minVotes > 0) {
            expect(meetsAgreement(pair, minVotes / k)).toBe(pair.passes ? 'yes' : 'no');
          }
          if (drawn === k) expect(verdict).not.toBe('unknown');
        },
      ),
      { numRuns: 5000 },
    );
  });
});
