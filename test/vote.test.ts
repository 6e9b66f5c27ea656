import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  UNREADABLE_ANSWER_KEY,
  isVoteSettled,
  majorityVote,
  minVotesFor,
  outcomeOf,
  samplesBeforeSettled,
  samplesSaved,
  settledOutcome,
  type SampledAnswer,
  type VoteOptions,
  type VoteOutcome,
} from '../src/lib/crescent/vote';

type Answer = string | null;
const ALPHABET: readonly Answer[] = ['A', 'B', 'C', null];
const MODES: ReadonlyArray<{ name: string; options: VoteOptions }> = [
  { name: 'null abstains', options: {} },
  { name: 'null counts', options: { countNull: true } },
];

/** Every sequence of the given length over the alphabet. */
function* sequences(length: number, alphabet: readonly Answer[]): Generator<Answer[]> {
  if (length === 0) {
    yield [];
    return;
  }
  for (const head of sequences(length - 1, alphabet)) {
    for (const a of alphabet) yield [...head, a];
  }
}

/** The set of winners over all ways to finish the prefix to k samples. */
function possibleWinners(prefix: Answer[], k: number, options: VoteOptions): Set<Answer> {
  const winners = new Set<Answer>();
  for (const rest of sequences(k - prefix.length, ALPHABET)) {
    winners.add(majorityVote([...prefix, ...rest], options).winner);
  }
  return winners;
}

describe('majorityVote', () => {
  it('picks the plurality and reports votes, agreement and the first agreeing sample', () => {
    const v = majorityVote(['7', '5', '7']);
    expect(v).toEqual({
      winner: '7',
      votes: 2,
      total: 3,
      agreement: 2 / 3,
      firstIndex: 0,
      counts: { '7': 2, '5': 1 },
      abstained: 0,
    });
  });

  it('gives a tie to the answer seen first', () => {
    expect(majorityVote(['5', '7', '7', '5']).winner).toBe('5');
    expect(majorityVote(['7', '5', '5', '7']).winner).toBe('7');
  });

  it('keeps a 1-1-1 split with the first answer as winner and agreement 1/3', () => {
    const v = majorityVote(['3', '1', '2']);
    expect(v.winner).toBe('3');
    expect(v.votes).toBe(1);
    expect(v.agreement).toBeCloseTo(1 / 3, 12);
  });

  it('lets unreadable answers abstain by default', () => {
    const v = majorityVote([null, null, '4']);
    expect(v.winner).toBe('4');
    expect(v.votes).toBe(1);
    expect(v.firstIndex).toBe(2);
    expect(v.abstained).toBe(2);
    expect(v.counts).toEqual({ '4': 1 });
    expect(v.agreement).toBeCloseTo(1 / 3, 12);
  });

  it('has no winner when every answer abstains or there are none', () => {
    expect(majorityVote([null, null])).toMatchObject({
      winner: null,
      votes: 0,
      total: 2,
      agreement: 0,
      firstIndex: -1,
      abstained: 2,
    });
    expect(majorityVote([])).toMatchObject({ winner: null, votes: 0, total: 0, agreement: 0 });
  });

  it('lets an unreadable answer win in the paper-faithful mode', () => {
    const v = majorityVote(['4', null, null], { countNull: true });
    expect(v.winner).toBeNull();
    expect(v.votes).toBe(2);
    expect(v.firstIndex).toBe(1);
    expect(v.abstained).toBe(0);
    expect(v.counts).toEqual({ '4': 1, [UNREADABLE_ANSWER_KEY]: 2 });
    expect(majorityVote([null, '4'], { countNull: true }).winner).toBeNull();
    expect(majorityVote(['4', null], { countNull: true }).winner).toBe('4');
  });

  it('never invents an answer and always picks a maximum of the counts', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ALPHABET, 'D', 'E')), fc.boolean(), (xs, cn) => {
        const v = majorityVote(xs, { countNull: cn });
        const max = Math.max(0, ...Object.values(v.counts));
        expect(v.votes).toBe(max);
        if (v.votes > 0) {
          expect(xs).toContain(v.winner);
          expect(xs[v.firstIndex]).toBe(v.winner);
          expect(xs.indexOf(v.winner)).toBe(v.firstIndex);
          expect(xs.filter((x) => x === v.winner)).toHaveLength(v.votes);
        } else {
          expect(v.winner).toBeNull();
        }
        const counted = Object.values(v.counts).reduce((a, b) => a + b, 0);
        expect(counted + v.abstained).toBe(xs.length);
      }),
    );
  });
});

describe('isVoteSettled', () => {
  it('is settled once every sample is drawn', () => {
    expect(isVoteSettled([], 0)).toBe(true);
    expect(isVoteSettled(['1', '2', '3'], 3)).toBe(true);
    expect(isVoteSettled([null, null, null], 3)).toBe(true);
  });

  it('stops k=3 after two agreeing samples but not after two that differ', () => {
    expect(isVoteSettled(['9', '9'], 3)).toBe(true);
    expect(isVoteSettled(['9', '8'], 3)).toBe(false);
    expect(isVoteSettled(['9'], 3)).toBe(false);
  });

  it('knows that a later answer loses a tie to an earlier one', () => {
    expect(isVoteSettled(['y', 'x', 'x', 'x'], 6)).toBe(false); // y can reach 3 and win the tie
    expect(isVoteSettled(['x', 'y', 'x', 'x'], 6)).toBe(true); // y reaches 3 but was seen later
    expect(isVoteSettled(['x', 'x', 'x', null], 6)).toBe(true); // a new answer reaches 2 < 3
  });

  it('waits while nobody has voted, and treats abstentions as no vote', () => {
    expect(isVoteSettled([null, null], 3)).toBe(false);
    expect(isVoteSettled([null, '2', null], 5)).toBe(false);
    expect(isVoteSettled([null, '2', null, '2'], 5)).toBe(true);
  });

  it('in the paper-faithful mode counts null as a rival', () => {
    expect(isVoteSettled(['5', '5'], 3, { countNull: true })).toBe(true);
    expect(isVoteSettled([null, null], 3, { countNull: true })).toBe(true);
    expect(isVoteSettled([null, '5'], 3, { countNull: true })).toBe(false);
  });

  for (const { name, options } of MODES) {
    it(`is settled exactly when every completion has the same winner (${name}, k = 1..6, exhaustive)`, () => {
      let checked = 0;
      for (let k = 1; k <= 6; k++) {
        for (let n = 0; n <= k; n++) {
          for (const prefix of sequences(n, ALPHABET)) {
            const winners = possibleWinners(prefix, k, options);
            const settled = isVoteSettled(prefix, k, options);
            if (settled !== (winners.size === 1)) {
              expect.fail(`k=${k} prefix=${JSON.stringify(prefix)}: settled=${settled}`);
            }
            if (settled) expect(winners.has(majorityVote(prefix, options).winner)).toBe(true);
            checked++;
          }
        }
      }
      expect(checked).toBe(7278);
    });
  }

  it('never changes the winner of a longer random vote when sampling stops early (k = 7..15)', () => {
    const answer = fc.constantFrom<Answer>('A', 'B', 'C', 'D', null);
    fc.assert(
      fc.property(
        fc
          .integer({ min: 7, max: 15 })
          .chain((k) => fc.tuple(fc.constant(k), fc.array(answer, { minLength: k, maxLength: k }))),
        fc.boolean(),
        ([k, xs], countNull) => {
          const options = { countNull };
          const full = majorityVote(xs, options).winner;
          let drawn = 0;
          while (!isVoteSettled(xs.slice(0, drawn), k, options)) drawn++;
          expect(drawn).toBeLessThanOrEqual(k);
          expect(majorityVote(xs.slice(0, drawn), options).winner).toBe(full);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('settledOutcome with a quality bar', () => {
  // Prefixes use three answers, null and "no reply"; completions may also bring a fourth answer,
  // which is always new to the prefix. For k <= 5 that reaches every outcome a completion can.
  const PREFIX: readonly SampledAnswer[] = ['A', 'B', 'C', null, undefined];
  const COMPLETION: readonly SampledAnswer[] = ['A', 'B', 'C', 'D', null, undefined];

  function* all(length: number, alphabet: readonly SampledAnswer[]): Generator<SampledAnswer[]> {
    if (length === 0) {
      yield [];
      return;
    }
    for (const head of all(length - 1, alphabet)) for (const a of alphabet) yield [...head, a];
  }

  const key = (o: VoteOutcome) => (o.pass ? `pass:${String(o.winner)}` : 'fail');

  function outcomes(prefix: SampledAnswer[], k: number, options: VoteOptions): Set<string> {
    const seen = new Set<string>();
    for (const rest of all(k - prefix.length, COMPLETION)) {
      seen.add(key(outcomeOf(majorityVote([...prefix, ...rest], options), options.minVotes)));
    }
    return seen;
  }

  for (const countNull of [false, true]) {
    it(`is the one outcome every completion gives, else null (countNull ${countNull}, k = 1..5, every bar, exhaustive)`, () => {
      let settledSomewhere = 0;
      for (let k = 1; k <= 5; k++) {
        for (let minVotes = 0; minVotes <= k; minVotes++) {
          const options = { countNull, minVotes };
          for (let n = 0; n <= k; n++) {
            for (const prefix of all(n, PREFIX)) {
              const possible = outcomes(prefix, k, options);
              const got = settledOutcome(prefix, k, options);
              const want = possible.size === 1 ? [...possible][0] : null;
              if ((got && key(got)) !== want) {
                expect.fail(
                  `k=${k} bar=${minVotes} prefix=${JSON.stringify(prefix)}: got ${got && key(got)}, completions give ${[...possible].join(' | ')}`,
                );
              }
              expect(isVoteSettled(prefix, k, options)).toBe(want !== null);
              if (want !== null && n < k) settledSomewhere++;
            }
          }
        }
      }
      // Early stops happen, so the comparison above is not only about complete votes.
      expect(settledSomewhere).toBeGreaterThan(1000);
    });
  }

  it('lets a unanimous bar be reached and fails it as soon as two samples differ', () => {
    const unanimous = { minVotes: 3 };
    expect(settledOutcome(['7', '7'], 3, unanimous)).toBeNull();
    expect(settledOutcome(['7', '7', '7'], 3, unanimous)).toEqual({ pass: true, winner: '7' });
    expect(settledOutcome(['7', '8'], 3, unanimous)).toEqual({ pass: false });
    expect(settledOutcome(['7', null], 3, unanimous)).toEqual({ pass: false });
  });

  it('needs the third sample at a bar of 2 of 3 when the first two differ, as without one', () => {
    expect(settledOutcome(['7', '8'], 3, { minVotes: 2 })).toBeNull();
    expect(settledOutcome(['7', '8', '9'], 3, { minVotes: 2 })).toEqual({ pass: false });
    expect(settledOutcome(['7', '7'], 3, { minVotes: 2 })).toEqual({ pass: true, winner: '7' });
  });

  it('never lets a missing reply vote, even where unreadable answers do', () => {
    expect(majorityVote([undefined, undefined, '3'], { countNull: true })).toMatchObject({
      winner: '3',
      votes: 1,
      abstained: 2,
      counts: { '3': 1 },
    });
    expect(majorityVote([null, null, '3'], { countNull: true }).winner).toBeNull();
  });
});

describe('minVotesFor', () => {
  it('rounds the share of k up, so 2/3 of 3 is 2 and two thirds typed by hand is 2 as well', () => {
    expect(minVotesFor(0, 3)).toBe(0);
    expect(minVotesFor(2 / 3, 3)).toBe(2);
    expect(minVotesFor(0.6666666666666666, 3)).toBe(2);
    expect(minVotesFor(0.67, 3)).toBe(3);
    expect(minVotesFor(0.5, 3)).toBe(2);
    expect(minVotesFor(0.5, 4)).toBe(2);
    expect(minVotesFor(1, 5)).toBe(5);
    expect(minVotesFor(0.01, 5)).toBe(1);
    expect(minVotesFor(0.5, 0)).toBe(0);
  });
});

describe('samplesBeforeSettled', () => {
  const ALL: readonly SampledAnswer[] = ['A', 'B', 'C', null, undefined];

  function* all(length: number): Generator<SampledAnswer[]> {
    if (length === 0) {
      yield [];
      return;
    }
    for (const head of all(length - 1)) for (const a of ALL) yield [...head, a];
  }

  /** The fewest further samples after which some completion has settled the vote. */
  function fewestToSettle(prefix: SampledAnswer[], k: number, options: VoteOptions): number {
    let best = k - prefix.length;
    for (const rest of all(k - prefix.length)) {
      for (let j = 0; j < best; j++) {
        if (isVoteSettled([...prefix, ...rest.slice(0, j)], k, options)) {
          best = j;
          break;
        }
      }
    }
    return best;
  }

  it('is the fewest samples any completion needs before the vote is settled (k = 1..5, exhaustive)', () => {
    for (let k = 1; k <= 5; k++) {
      for (let minVotes = 0; minVotes <= k; minVotes++) {
        for (const countNull of [false, true]) {
          const options = { countNull, minVotes };
          for (let n = 0; n <= k; n++) {
            for (const prefix of all(n)) {
              const got = samplesBeforeSettled(prefix, k, options);
              const want = fewestToSettle(prefix, k, options);
              if (got !== want) {
                expect.fail(
                  `k=${k} bar=${minVotes} prefix=${JSON.stringify(prefix)}: ${got} vs ${want}`,
                );
              }
            }
          }
        }
      }
    }
  });

  it('asks for two samples at once for k = 3 with a bar of 2, and one at a time for a unanimous bar', () => {
    expect(samplesBeforeSettled([], 3, { minVotes: 2 })).toBe(2);
    // A first sample without a vote already fails a unanimous bar: a second would be wasted.
    expect(samplesBeforeSettled([], 3, { minVotes: 3 })).toBe(1);
    expect(samplesBeforeSettled(['7'], 3, { minVotes: 3 })).toBe(1);
    expect(samplesBeforeSettled(['7', '7'], 3, { minVotes: 3 })).toBe(1);
    expect(samplesBeforeSettled([], 5)).toBe(3);
    expect(samplesBeforeSettled(['7', '7'], 3)).toBe(0);
  });

  it('draws in batches exactly the samples one-at-a-time drawing would (random k up to 9)', () => {
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
            ),
          ),
        ([k, xs, minVotes, countNull]) => {
          const options = { minVotes, countNull };
          let oneByOne = 0;
          while (!isVoteSettled(xs.slice(0, oneByOne), k, options)) oneByOne++;
          let batched = 0;
          while (!isVoteSettled(xs.slice(0, batched), k, options)) {
            const batch = samplesBeforeSettled(xs.slice(0, batched), k, options);
            expect(batch).toBeGreaterThan(0);
            batched += batch;
          }
          expect(batched).toBe(oneByOne);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('samplesSaved', () => {
  it('counts the samples not drawn, never below zero', () => {
    expect(samplesSaved(5, 3)).toBe(2);
    expect(samplesSaved(3, 3)).toBe(0);
    expect(samplesSaved(3, 4)).toBe(0);
  });
});
