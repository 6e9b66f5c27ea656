import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProgressThrottle } from '../src/lib/worker/progressThrottle';

describe('progress throttling', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends the first value at once and then at most one per interval, always the latest', () => {
    const sent: number[] = [];
    const throttle = new ProgressThrottle<number>(100, (value) => sent.push(value));
    for (let i = 1; i <= 50; i++) {
      throttle.push(i);
      vi.advanceTimersByTime(10);
    }
    // 500 ms of pushes every 10 ms: the first at once, then whatever is latest every 100 ms.
    expect(sent).toEqual([1, 10, 20, 30, 40, 50]);
    vi.advanceTimersByTime(1000);
    expect(sent).toHaveLength(6);
  });

  it('sends what it holds back when flushed, and nothing twice', () => {
    const sent: string[] = [];
    const throttle = new ProgressThrottle<string>(100, (value) => sent.push(value));
    throttle.push('first');
    throttle.push('second');
    throttle.push('last');
    throttle.flush();
    throttle.flush();
    vi.advanceTimersByTime(500);
    expect(sent).toEqual(['first', 'last']);
  });
});
