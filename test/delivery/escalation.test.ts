import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openStore, type SqliteRunStore } from '../../src/store/index.js';
import { queueRunAlerts } from '../../src/delivery/alert-outbox.js';
import { deliverOutbox } from '../../src/delivery/outbox.js';
import { isAlertPayload } from '../../src/delivery/alert-outbox.js';
import type { AlertPolicy } from '../../src/core/alert-policy.js';
import type { ChannelRoute } from '../../src/core/escalation.js';
import { quietUntil, escalationDue } from '../../src/core/escalation.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { channelRoutes } from '../../src/config/escalation-schema.js';
import { makeRun } from '../notifiers/fixtures.js';
import { tempDir } from '../store/fixtures.js';
import type { Verdict } from '../../src/core/types.js';

const HOUR = 3_600_000;
/** 2025-01-01 12:00 UTC: outside a 22:00–07:00 window. */
const NOON = Date.UTC(2025, 0, 1, 12);
/** 2025-01-01 23:00 UTC: inside it. */
const NIGHT = Date.UTC(2025, 0, 1, 23);
const policy: AlertPolicy = { failureThreshold: 1, successThreshold: 1, reminderIntervalMs: 0, inconclusiveThreshold: 3 };

let tmp: ReturnType<typeof tempDir>;
let store: SqliteRunStore;
beforeEach(() => {
  tmp = tempDir();
  store = openStore(join(tmp.dir, 'runs.db'));
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

let seq = 0;
function runAt(verdict: Verdict, at: number, channels: readonly ChannelRoute[], p: AlertPolicy = policy): void {
  const run = makeRun(`run-${++seq}`, verdict, at, { stable: false });
  store.finishRun(run);
  queueRunAlerts(store, run, { policy: p, channels, now: run.finishedAt });
}

/** `channel kind` of every queued alert, in queue order. */
function queued(): string[] {
  return store.listOutbox({ last: 1000 }).reverse().map((i) => {
    const p: unknown = JSON.parse(i.payload);
    return `${i.channel} ${isAlertPayload(p) ? p.alert.kind : '?'}`;
  });
}

describe('per-channel escalation (after)', () => {
  it('slack hears at once, pagerduty only once the incident lasted 3 failing runs; both hear the resolution', () => {
    const routes: ChannelRoute[] = [{ name: 'slack' }, { name: 'pagerduty', after: { runs: 3 } }];
    runAt('fail', NOON, routes);
    expect(queued()).toStrictEqual(['slack failing']);
    runAt('inconclusive', NOON + HOUR, routes); // neither adds nor resets the streak
    runAt('fail', NOON + 2 * HOUR, routes);
    expect(queued()).toStrictEqual(['slack failing']);
    runAt('fail', NOON + 3 * HOUR, routes);
    expect(queued()).toStrictEqual(['slack failing', 'pagerduty failing']);
    // the opening alert keeps its original id (one incident), so a re-run never queues it twice
    const ids = store.listOutbox({ last: 10 }).map((i) => i.dedupeKey.replace(/:(slack|pagerduty)$/, ''));
    expect(new Set(ids).size).toBe(1);
    runAt('fail', NOON + 4 * HOUR, routes);
    expect(queued()).toHaveLength(2);
    runAt('pass', NOON + 5 * HOUR, routes);
    expect(queued()).toStrictEqual(['slack failing', 'pagerduty failing', 'slack resolved', 'pagerduty resolved']);
  });

  it('an incident that never reached the channel sends it no resolution', () => {
    const routes: ChannelRoute[] = [{ name: 'slack' }, { name: 'pagerduty', after: { runs: 3 } }];
    runAt('fail', NOON, routes);
    runAt('fail', NOON + HOUR, routes);
    runAt('pass', NOON + 2 * HOUR, routes);
    expect(queued()).toStrictEqual(['slack failing', 'slack resolved']);
    // the next incident counts from zero again
    runAt('fail', NOON + 3 * HOUR, routes);
    runAt('fail', NOON + 4 * HOUR, routes);
    expect(queued().filter((q) => q.startsWith('pagerduty'))).toStrictEqual([]);
    runAt('fail', NOON + 5 * HOUR, routes);
    expect(queued().filter((q) => q.startsWith('pagerduty'))).toStrictEqual(['pagerduty failing']);
  });

  it('after a duration: the first failing run past it escalates', () => {
    const routes: ChannelRoute[] = [{ name: 'pagerduty', after: { durationMs: 30 * 60_000 } }];
    runAt('fail', NOON, routes);
    runAt('fail', NOON + 20 * 60_000, routes);
    expect(queued()).toStrictEqual([]);
    runAt('fail', NOON + 31 * 60_000, routes);
    expect(queued()).toStrictEqual(['pagerduty failing']);
  });

  it('reminders go only to channels the incident reached', () => {
    const p = { ...policy, reminderIntervalMs: HOUR };
    const routes: ChannelRoute[] = [{ name: 'slack', after: { runs: 1 } }, { name: 'pagerduty', after: { runs: 3 } }];
    runAt('fail', NOON, routes, p);
    runAt('fail', NOON + HOUR, routes, p);
    expect(queued()).toStrictEqual(['slack failing', 'slack reminder']);
  });
});

describe('quiet hours', () => {
  const quiet: ChannelRoute = { name: 'email', quietHours: { from: '22:00', to: '07:00' } };

  it('computes the end of the window across midnight and in a time zone', () => {
    expect(quietUntil({ from: '22:00', to: '07:00' }, NOON)).toBeUndefined();
    expect(quietUntil({ from: '22:00', to: '07:00' }, NIGHT + 30 * 60_000 + 1234)).toBe(Date.UTC(2025, 0, 2, 7));
    expect(quietUntil({ from: '22:00', to: '07:00' }, Date.UTC(2025, 0, 2, 6, 59))).toBe(Date.UTC(2025, 0, 2, 7));
    expect(quietUntil({ from: '22:00', to: '07:00' }, Date.UTC(2025, 0, 2, 7))).toBeUndefined();
    // 23:00 UTC is 00:00 in Berlin (UTC+1 in winter): the window ends at 07:00 Berlin = 06:00 UTC
    expect(quietUntil({ from: '22:00', to: '07:00', timezone: 'Europe/Berlin' }, NIGHT)).toBe(Date.UTC(2025, 0, 2, 6));
    expect(quietUntil({ from: '09:00', to: '17:00' }, NOON)).toBe(Date.UTC(2025, 0, 1, 17));
  });

  it('a critical canary failure pages at night; its reminder waits in the outbox until the window ends', async () => {
    const p = { ...policy, reminderIntervalMs: HOUR };
    runAt('fail', NIGHT, [quiet], p);
    runAt('fail', NIGHT + HOUR, [quiet], p);
    runAt('fail', NIGHT + 2 * HOUR, [quiet], p); // a second reminder while one is held: not queued again
    expect(queued()).toStrictEqual(['email failing', 'email reminder']);
    const sent: string[] = [];
    const handlers = { email: async (payload: unknown): Promise<void> => { if (isAlertPayload(payload)) sent.push(payload.alert.kind); } };
    await deliverOutbox(store, handlers, { now: NIGHT + 3 * HOUR, ignoreBackoff: true });
    expect(sent).toStrictEqual(['failing']);
    await deliverOutbox(store, handlers, { now: Date.UTC(2025, 0, 2, 7) });
    expect(sent).toStrictEqual(['failing', 'reminder']);
  });

  it('a held alert does not hold the channel: a critical one queued behind it goes out', async () => {
    // stable failing is not critical: held; then the canary fails: sent at once
    const run1 = makeRun('s-1', 'pass', NIGHT);
    run1.verdict.targets.stable = { ...(run1.verdict.targets.stable ?? { verdict: 'fail', reasons: [] }), verdict: 'fail' } as typeof run1.verdict.targets.stable;
    store.finishRun(run1);
    queueRunAlerts(store, run1, { policy, channels: [quiet], now: run1.finishedAt });
    runAt('fail', NIGHT + 60_000, [quiet]);
    expect(queued()).toStrictEqual(['email failing', 'email failing']);
    const sent: string[] = [];
    await deliverOutbox(store, { email: async (payload: unknown): Promise<void> => { if (isAlertPayload(payload)) sent.push(`${payload.alert.target} ${payload.alert.kind}`); } },
      { now: NIGHT + 2 * 60_000 });
    expect(sent).toStrictEqual(['canary failing']);
  });

  it('an incident that opened and resolved inside the window never reaches the channel', async () => {
    const inconclusive = { ...policy, inconclusiveThreshold: 1 };
    runAt('inconclusive', NIGHT, [quiet], inconclusive); // "cannot judge": not critical, held
    runAt('pass', NIGHT + HOUR, [quiet], inconclusive); // resolved while still held
    const items = store.listOutbox({ last: 10 });
    expect(items).toHaveLength(1);
    expect(items[0]?.nextAttemptAt).toBe(Number.MAX_SAFE_INTEGER);
    expect(items[0]?.lastError).toMatch(/resolved during quiet hours/);
    const sent: string[] = [];
    await deliverOutbox(store, { email: async () => { sent.push('x'); } }, { now: Date.UTC(2025, 0, 2, 8) });
    expect(sent).toStrictEqual([]);
  });
});

describe('escalation config', () => {
  it('parses after and quiet hours into routes', () => {
    const cfg = ConfigSchema.parse({ alerts: { slack: { webhookUrl: 'https://h/s' }, pagerduty: { routingKey: 'k' }, escalation: { pagerduty: { after: { runs: 3 } }, slack: { after: { duration: '30m' }, quietHours: { from: '22:00', to: '07:00', timezone: 'Europe/Berlin' } } } } });
    expect(channelRoutes(['slack', 'pagerduty', 'email'], cfg.alerts.escalation)).toStrictEqual([
      { name: 'slack', after: { durationMs: 1_800_000 }, quietHours: { from: '22:00', to: '07:00', timezone: 'Europe/Berlin' } },
      { name: 'pagerduty', after: { runs: 3 } },
      { name: 'email' },
    ]);
  });

  it.each([
    [{ pagerdooty: { after: { runs: 3 } } }, ['alerts', 'escalation'], /unrecognized/i],
    [{ slack: { after: {} } }, ['alerts', 'escalation', 'slack', 'after'], /needs runs or duration/],
    [{ slack: { after: { duration: 'soon' } } }, ['alerts', 'escalation', 'slack', 'after', 'duration'], /not a positive duration/],
    [{ slack: { quietHours: { from: '25:00', to: '07:00' } } }, ['alerts', 'escalation', 'slack', 'quietHours', 'from'], /not a time of day/],
    [{ slack: { quietHours: { from: '22:00', to: '07:00', timezone: 'Mars/Olympus' } } }, ['alerts', 'escalation', 'slack', 'quietHours', 'timezone'], /not a time zone/],
  ])('rejects %j with a field path and a fix', (escalation, path, message) => {
    const r = ConfigSchema.safeParse({ alerts: { escalation } });
    expect(r.success).toBe(false);
    const issue = r.error?.issues[0];
    expect(issue?.path).toStrictEqual(path);
    expect(issue?.message).toMatch(message);
  });

  it('rules for a channel that is not configured are an error naming the fix', () => {
    const r = ConfigSchema.safeParse({ alerts: { escalation: { discord: { after: { runs: 2 } } } } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toStrictEqual(['alerts', 'escalation', 'discord']);
    expect(r.error?.issues[0]?.message).toMatch(/not configured/);
    expect(ConfigSchema.safeParse({ alerts: { discord: { webhookUrl: 'https://d/w' }, escalation: { discord: { after: { runs: 2 } } } } }).success).toBe(true);
  });

  it('escalationDue: either limit is enough; a closed incident never escalates', () => {
    const row = { key: 'canary', state: 'failing' as const, since: NOON, lastNotifiedAt: NOON, failures: 2, successes: 0, alertId: 1 };
    expect(escalationDue(row, { after: { runs: 3, durationMs: HOUR } }, NOON + HOUR)).toBe(true);
    expect(escalationDue(row, { after: { runs: 3, durationMs: HOUR } }, NOON + HOUR - 1)).toBe(false);
    expect(escalationDue({ ...row, state: 'ok' }, {}, NOON)).toBe(false);
  });
});
