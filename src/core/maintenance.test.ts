import { describe, expect, it } from 'vitest';
import { cronMatches, lastFireAtOrBefore, nextFireAfter, parseCron } from './cron-match.js';
import { activeEntries, alertMuted, matches, pausingEntry, windowOccurrence, type Silence, type WindowSpec } from './maintenance.js';
import type { VerdictReport } from './types.js';

const SUN_0200 = Date.UTC(2026, 10, 29, 2, 0); // Sunday 29 Nov 2026, 02:00 UTC
const H = 3_600_000;

function verdict(scenarios: { name: string; suite: string; target: 'canary' | 'stable'; status: 'pass' | 'fail' | 'error' }[]): VerdictReport {
  return {
    schema: 1, runId: 'r', verdict: 'fail', decision: 'rollback', score: 0, startedAt: '', finishedAt: '', targets: {},
    scenarios: scenarios.map((s) => ({ ...s, score: 0, latencyMs: { first: null, final: null }, reasons: [] })),
    reasons: [], consecutiveFailures: 1, consecutiveInconclusive: 0, flaky: [],
  };
}

describe('cron matching (UTC)', () => {
  it('matches names, ranges, steps and lists, and finds the last and next fire', () => {
    const spec = parseCron('0 2 * * sun');
    expect(cronMatches(spec, SUN_0200)).toBe(true);
    expect(cronMatches(spec, SUN_0200 + 60_000)).toBe(false);
    expect(cronMatches(spec, SUN_0200 + 86_400_000)).toBe(false); // Monday
    expect(lastFireAtOrBefore(spec, SUN_0200 + 90 * 60_000, 2 * H)).toBe(SUN_0200);
    expect(lastFireAtOrBefore(spec, SUN_0200 + 3 * H, 2 * H)).toBeUndefined();
    expect(nextFireAfter(spec, SUN_0200, 8 * 86_400_000)).toBe(SUN_0200 + 7 * 86_400_000);
    expect(cronMatches(parseCron('*/15 1-3 1,15 * *'), Date.UTC(2026, 0, 15, 3, 45))).toBe(true);
    expect(cronMatches(parseCron('*/15 1-3 1,15 * *'), Date.UTC(2026, 0, 14, 3, 45))).toBe(false);
    // day-of-month and day-of-week both restricted: either matches (Vixie cron)
    expect(cronMatches(parseCron('0 0 1 * mon'), Date.UTC(2026, 10, 30, 0, 0))).toBe(true); // a Monday, not the 1st
  });

  it('rejects bad expressions with a coded error and a hint', () => {
    for (const bad of ['0 2 * *', '61 * * * *', '0 2 * * funday', '*/0 * * * *']) {
      expect(() => parseCron(bad), bad).toThrow(expect.objectContaining({ code: 'MAINTENANCE_CRON_INVALID', hint: expect.stringContaining('UTC') }));
    }
  });
});

describe('maintenance windows and silences', () => {
  const oneOff: WindowSpec = { name: 'db-migration', start: SUN_0200, end: SUN_0200 + 2 * H, mode: 'pause' };
  const weekly: WindowSpec = { name: 'weekly', cron: '0 2 * * sun', durationMs: H, match: { target: 'canary', suite: 'rag' } };

  it('knows when one-off and recurring windows are in force', () => {
    expect(windowOccurrence(oneOff, SUN_0200 - 1)).toBeUndefined();
    expect(windowOccurrence(oneOff, SUN_0200 + H)).toEqual({ from: SUN_0200, until: SUN_0200 + 2 * H });
    expect(windowOccurrence(oneOff, SUN_0200 + 2 * H)).toBeUndefined();
    expect(windowOccurrence(weekly, SUN_0200 + 7 * 86_400_000 + 30 * 60_000)?.from).toBe(SUN_0200 + 7 * 86_400_000);
    expect(windowOccurrence(weekly, SUN_0200 + H)).toBeUndefined();
  });

  it('a pause window over the target pauses; a scoped or run-silently one does not', () => {
    const at = SUN_0200 + 10 * 60_000;
    const entries = activeEntries([oneOff, weekly], [], at, 'run-silently');
    expect(pausingEntry(entries, 'canary')?.id).toBe('db-migration');
    expect(pausingEntry(activeEntries([weekly], [], at, 'pause'), 'canary')).toBeUndefined();
    expect(pausingEntry(activeEntries([{ ...oneOff, mode: 'run-silently' }], [], at, 'pause'), 'canary')).toBeUndefined();
  });

  it('matchers follow Alertmanager: every given matcher must equal, a missing one matches anything', () => {
    expect(matches({ target: 'canary' }, { target: 'canary', suite: 'rag' })).toBe(true);
    expect(matches({ target: 'canary', suite: 'rag' }, { target: 'canary', suite: 'joke' })).toBe(false);
    expect(matches({ suite: 'rag' }, { target: 'stable', suite: 'rag', scenario: 'x' })).toBe(true);
    expect(matches({ scenario: 'x' }, { target: 'canary' })).toBe(false);
  });

  it('a scoped silence mutes an alert only when it covers every failing scenario of the target', () => {
    const now = SUN_0200;
    const s: Silence = { id: 's1', createdAt: now, startsAt: now, endsAt: now + H, matchers: { target: 'canary', suite: 'rag' }, reason: 'reindexing', createdBy: 'cli' };
    const entries = activeEntries([], [s], now + 1, 'pause');
    const ragOnly = verdict([{ name: 'q', suite: 'rag', target: 'canary', status: 'fail' }, { name: 'j', suite: 'joke', target: 'canary', status: 'pass' }]);
    const both = verdict([{ name: 'q', suite: 'rag', target: 'canary', status: 'fail' }, { name: 'j', suite: 'joke', target: 'canary', status: 'error' }]);
    expect(alertMuted(entries, 'canary', ragOnly)).toBe(true);
    expect(alertMuted(entries, 'canary:inconclusive', ragOnly)).toBe(true);
    expect(alertMuted(entries, 'canary', both)).toBe(false);
    expect(alertMuted(entries, 'stable', verdict([{ name: 'q', suite: 'rag', target: 'stable', status: 'fail' }]))).toBe(false);
    // an expired silence mutes nothing
    expect(activeEntries([], [{ ...s, expiredAt: now + 1 }], now + 2, 'pause')).toEqual([]);
    expect(activeEntries([], [s], now + H, 'pause')).toEqual([]);
  });
});
