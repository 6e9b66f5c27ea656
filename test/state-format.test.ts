import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatEta,
  formatMegabytes,
  formatPercent,
  formatRate,
  formatVotes,
} from '../src/lib/state/format';

describe('numbers on the screen', () => {
  it("groups the thousands of a count, whatever the page's language", () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(12_345)).toBe('12,345');
    expect(formatCount(1_234_567)).toBe('1,234,567');
  });

  it('writes bytes in binary units with one decimal below ten', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(1024 * 1024 * 1024)).toBe('1.0 GB');
    expect(formatBytes(512 * 1024 * 1024)).toBe('512 MB');
    expect(formatBytes(-1)).toBe('–');
    expect(formatBytes(undefined)).toBe('–');
    expect(formatMegabytes(918)).toBe('918 MB');
    expect(formatMegabytes(1800)).toBe('1.8 GB');
  });

  it('writes durations in seconds, minutes or hours', () => {
    expect(formatDuration(44.6)).toBe('45 s');
    expect(formatDuration(120)).toBe('2 min');
    expect(formatDuration(200)).toBe('3 min 20 s');
    expect(formatDuration(2 * 3600 + 5 * 60 + 9)).toBe('2 h 05 min');
    expect(formatDuration(null)).toBe('–');
  });

  it('says an ETA is unknown until there is one, and almost done at the end', () => {
    expect(formatEta(null)).toBe('–');
    expect(formatEta(0.2)).toBe('almost done');
    expect(formatEta(90)).toBe('about 1 min 30 s');
  });

  it('writes rates and shares with sensible precision', () => {
    expect(formatRate(12.345)).toBe('12.3 tok/s');
    expect(formatRate(250.4)).toBe('250 tok/s');
    expect(formatRate(Number.NaN)).toBe('–');
    expect(formatPercent(2 / 3)).toBe('67%');
    expect(formatPercent(0.8754, 1)).toBe('87.5%');
    expect(formatPercent(null)).toBe('–');
  });

  it('lists votes with the winner first', () => {
    expect(formatVotes({ '41': 1, '42': 2 })).toBe('42 ×2, 41 ×1');
    expect(formatVotes({})).toBe('no readable answer');
  });
});
