import { describe, expect, it } from 'vitest';
import { isSaturated, judge, nextProposal, recentAcceptance } from '../src/lib/crescent/diversify';
import type { QuestionRecord } from '../src/lib/crescent/types';

function q(seq: number, fields: Partial<QuestionRecord>): QuestionRecord {
  return {
    runId: 'r',
    seq,
    origin: 'bait',
    attempt: 0,
    raw: '',
    text: `question ${seq}`,
    status: 'accepted',
    tokens: 1,
    createdAt: 0,
    ...fields,
  };
}

describe('judge', () => {
  const near = (similarity: number) => ({ seq: 3, text: 'nearest', similarity });

  it('rejects above the threshold and accepts at or below it', () => {
    expect(judge(near(0.9), 0.875)).toEqual({
      status: 'rejected',
      reason: 'too-similar',
      nearest: near(0.9),
    });
    expect(judge(near(0.875), 0.875).status).toBe('accepted');
    expect(judge(null, 0.875)).toEqual({ status: 'accepted', nearest: null });
  });

  it('accepts anything when unchecked, keeping the neighbour on record', () => {
    expect(judge(near(0.99), 0.875, true)).toEqual({ status: 'accepted', nearest: near(0.99) });
  });
});

describe('nextProposal', () => {
  const config = { maxRewrites: 2, faithful: false };

  it('asks for a bait question at the start and after an acceptance', () => {
    expect(nextProposal(undefined, () => undefined, config)).toEqual({ kind: 'bait', attempt: 0 });
    expect(nextProposal(q(0, {}), () => undefined, config).kind).toBe('bait');
  });

  it('rewrites a too-similar question naming its nearest neighbour', () => {
    const rejected = q(4, {
      status: 'rejected',
      reason: 'too-similar',
      text: 'copy',
      nearestText: 'original',
    });
    expect(nextProposal(rejected, () => undefined, config)).toEqual({
      kind: 'rewrite',
      parentSeq: 4,
      attempt: 1,
      rejected: 'copy',
      nearest: 'original',
    });
  });

  it('retries a malformed rewrite from the question it rewrote', () => {
    const parent = q(4, {
      status: 'rejected',
      reason: 'too-similar',
      text: 'copy',
      nearestText: 'original',
    });
    const broken = q(5, {
      origin: 'rewrite',
      parentSeq: 4,
      attempt: 1,
      status: 'rejected',
      reason: 'no-question',
      text: null,
    });
    const next = nextProposal(broken, (s) => (s === 4 ? parent : undefined), config);
    expect(next).toMatchObject({ kind: 'rewrite', parentSeq: 4, attempt: 2, rejected: 'copy' });
  });

  it('goes back to bait when the rewrites are used up or the bait reply was malformed', () => {
    const spent = q(7, {
      origin: 'rewrite',
      attempt: 2,
      status: 'rejected',
      reason: 'too-similar',
      nearestText: 'x',
    });
    expect(nextProposal(spent, () => undefined, config).kind).toBe('bait');
    const malformed = q(8, { status: 'rejected', reason: 'no-question', text: null });
    expect(nextProposal(malformed, () => undefined, config).kind).toBe('bait');
  });
});

describe('saturation', () => {
  const rows = (pattern: string) =>
    [...pattern].map((c, i) => q(i, { status: c === 'a' ? 'accepted' : 'rejected' }));

  it('measures acceptance over the recent window only', () => {
    expect(recentAcceptance([], 4)).toBeNull();
    expect(recentAcceptance(rows('aaaarrra'), 4)).toBe(0.25);
  });

  it('needs a full window below the minimum share', () => {
    const config = { saturationWindow: 4, saturationMinAcceptance: 0.3 };
    expect(isSaturated(rows('rrr'), config)).toBe(false);
    expect(isSaturated(rows('aaaarrra'), config)).toBe(true);
    expect(isSaturated(rows('aaaarraa'), config)).toBe(false);
    expect(isSaturated(rows('rrrr'), { ...config, saturationWindow: 0 })).toBe(false);
  });
});
