import { describe, expect, it } from 'vitest';
import type { QaPairRecord, QuestionRecord } from '../src/lib/crescent/types';
import {
  EMPTY_QUERY,
  filterPairs,
  pageCount,
  pageOf,
  rejectedMatcher,
  undecidedCount,
} from '../src/lib/state/pairQuery';

function pair(seq: number, patch: Partial<QaPairRecord> = {}): QaPairRecord {
  return {
    runId: 'r1',
    questionSeq: seq,
    question: `Question ${seq}`,
    answerText: `Reasoning ${seq}`,
    answer: String(seq),
    votes: { [String(seq)]: 3 },
    abstained: 0,
    samples: 3,
    k: 3,
    agreement: 1,
    minVotes: 0,
    passes: true,
    model: 'm',
    createdAt: 0,
    ...patch,
  };
}

describe('the dataset browser filters', () => {
  const pairs = [
    pair(0),
    pair(1, { agreement: 2 / 3, votes: { '1': 2, '9': 1 } }),
    pair(2, {
      agreement: 1 / 3,
      votes: { '2': 1, '8': 1, '9': 1 },
      question: 'A train leaves Paris',
    }),
    pair(3, { answer: null, agreement: 0, votes: {} }),
  ];

  it('keeps a pair exactly at the agreement threshold', () => {
    const kept = filterPairs(pairs, { ...EMPTY_QUERY, minAgreement: 2 / 3 });
    expect(kept.map((p) => p.questionSeq)).toEqual([0, 1]);
  });

  it('counts apart the pairs whose sampling stopped before a stricter minimum was decided', () => {
    const early = pair(4, { votes: { '4': 2 }, samples: 2, agreement: null });
    const all = [...pairs, early];
    const query = { ...EMPTY_QUERY, minAgreement: 1 };
    expect(filterPairs(all, query).map((p) => p.questionSeq)).toEqual([0]);
    expect(undecidedCount(all, query)).toBe(1);
    expect(undecidedCount(all, { ...query, minAgreement: 2 / 3 })).toBe(0);
    expect(undecidedCount(all, { ...query, search: 'Question 0' })).toBe(0);
  });

  it('shows only pairs that pass their run’s bar when asked', () => {
    const below = pair(5, { votes: { '5': 1, '6': 1 }, samples: 2, minVotes: 2, passes: false });
    const kept = filterPairs([...pairs, below], { ...EMPTY_QUERY, passesBar: true });
    expect(kept.map((p) => p.questionSeq)).toEqual([0, 1, 2, 3]);
    expect(filterPairs([below], EMPTY_QUERY)).toHaveLength(1);
  });

  it('hides pairs without a final answer when asked', () => {
    const kept = filterPairs(pairs, { ...EMPTY_QUERY, requireAnswer: true });
    expect(kept.map((p) => p.questionSeq)).toEqual([0, 1, 2]);
  });

  it('searches question, answer text and final answer without regard to case', () => {
    expect(
      filterPairs(pairs, { ...EMPTY_QUERY, search: 'PARIS' }).map((p) => p.questionSeq),
    ).toEqual([2]);
    expect(
      filterPairs(pairs, { ...EMPTY_QUERY, search: 'reasoning 1' }).map((p) => p.questionSeq),
    ).toEqual([1]);
    expect(filterPairs(pairs, { ...EMPTY_QUERY, search: '  ' })).toHaveLength(4);
  });

  it('searches rejected questions by their text and their nearest neighbour', () => {
    const q: QuestionRecord = {
      runId: 'r1',
      seq: 5,
      origin: 'bait',
      attempt: 0,
      raw: 'raw reply',
      text: 'How many apples?',
      status: 'rejected',
      reason: 'too-similar',
      nearestText: 'How many pears?',
      similarity: 0.93,
      tokens: 10,
      createdAt: 0,
    };
    expect(rejectedMatcher('pears')(q)).toBe(true);
    expect(rejectedMatcher('apples')(q)).toBe(true);
    expect(rejectedMatcher('bananas')(q)).toBe(false);
  });

  it('pages ten thousand rows fifty at a time and clamps a page past the end', () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => i);
    expect(pageCount(rows.length, 50)).toBe(200);
    expect(pageOf(rows, 3, 50)).toEqual(rows.slice(150, 200));
    expect(pageOf(rows, 999, 50)).toEqual(rows.slice(9950));
    expect(pageCount(0, 50)).toBe(1);
    expect(pageOf([], 0, 50)).toEqual([]);
  });
});
