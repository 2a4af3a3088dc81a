import { describe, expect, it } from 'vitest';
import { formatDuration, largestGap, roundUpNice, suggestSettle, suggestTimeout } from './timing.js';

describe('recorded timings', () => {
  it('round up to a figure a person would write', () => {
    expect(roundUpNice(0)).toBe(500);
    expect(roundUpNice(501)).toBe(1000);
    expect(roundUpNice(3001)).toBe(5000);
    expect(roundUpNice(12_000)).toBe(15_000);
    expect(roundUpNice(46_000)).toBe(60_000);
    expect(roundUpNice(3_600_001)).toBe(3_660_000);
  });

  it('write durations as scenario files do', () => {
    expect(formatDuration(500)).toBe('500ms');
    expect(formatDuration(1500)).toBe('1500ms');
    expect(formatDuration(10_000)).toBe('10s');
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(120_000)).toBe('2m');
  });

  it('give 3× the observed latency as the deadline, never under 10 s', () => {
    expect(suggestTimeout(40)).toBe(10_000);
    expect(suggestTimeout(4_000)).toBe(15_000);
    expect(suggestTimeout(11_000)).toBe(45_000);
    expect(suggestTimeout(undefined)).toBe(30_000);
  });

  it('give a quiet window of 3× the longest pause inside the reply, within 500 ms..10 s', () => {
    expect(suggestSettle(undefined)).toBe(500);
    expect(suggestSettle(100)).toBe(500);
    expect(suggestSettle(700)).toBe(3000);
    expect(suggestSettle(9000)).toBe(10_000);
  });

  it('find the longest pause between changes in any order', () => {
    expect(largestGap([5])).toBeUndefined();
    expect(largestGap([300, 100, 1000, 150])).toBe(700);
  });
});
