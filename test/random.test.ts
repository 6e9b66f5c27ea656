import { describe, expect, it } from 'vitest';
import { createRandom, deriveSeed } from '../src/lib/crescent/random';

describe('createRandom', () => {
  it('replays the same sequence for the same seed', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(new Set(xs).size).toBe(5);
  });

  it('stays in [0, 1) and is roughly uniform', () => {
    const r = createRandom(7);
    let sum = 0;
    for (let i = 0; i < 10_000; i++) {
      const x = r.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      sum += x;
    }
    expect(sum / 10_000).toBeCloseTo(0.5, 1);
  });
});

describe('deriveSeed', () => {
  it('is stable and separates its parts', () => {
    expect(deriveSeed(1, 'bait', 3)).toBe(deriveSeed(1, 'bait', 3));
    expect(deriveSeed(1, 'bait', 3)).not.toBe(deriveSeed(2, 'bait', 3));
    expect(deriveSeed(1, 'bait', 3)).not.toBe(deriveSeed(1, 'bait', 4));
    expect(deriveSeed(1, 'answer', 1, 23)).not.toBe(deriveSeed(1, 'answer', 12, 3));
  });
});
