import { describe, expect, it } from 'vitest';
import { evaluateAlerts, alertKeys, type AlertDecision, type AlertPolicy } from './alert-policy.js';
import type { AlertStateRow } from './ports.js';
import type { Verdict, VerdictReport, VerdictScenario } from './types.js';

const HOUR = 3_600_000;

function verdict(v: Verdict, n: number, opts: { stable?: Verdict; reasons?: string[] } = {}): VerdictReport {
  const scen = (name: string, status: VerdictScenario['status']): VerdictScenario => ({
    name, suite: 'joke', target: 'canary', status, score: status === 'pass' ? 1 : 0,
    latencyMs: { first: 100, final: 200 }, reasons: status === 'fail' ? ['reply lacks "<b>haha</b>"'] : [],
  });
  const scenarios = [scen('a', v === 'fail' ? 'fail' : v === 'inconclusive' ? 'error' : 'pass'), scen('b', 'pass'), scen('c', 'pass')];
  return {
    schema: 1, runId: `run-${n}`, verdict: v, decision: v === 'fail' ? 'rollback' : v === 'pass' ? 'promote' : 'hold',
    score: 0.5, startedAt: new Date(n * HOUR).toISOString(), finishedAt: new Date(n * HOUR + 1000).toISOString(),
    targets: {
      canary: { verdict: v, score: 0.5, suites: {} },
      ...(opts.stable ? { stable: { verdict: opts.stable, score: 1, suites: {} } } : {}),
    },
    scenarios, reasons: opts.reasons ?? [], consecutiveFailures: 0, consecutiveInconclusive: 0, flaky: [],
  };
}

/** Plays a scripted sequence through the policy, persisting state in a Map like the store does. */
function play(seq: Array<Verdict | [Verdict, Verdict]>, policy: AlertPolicy, store = new Map<string, AlertStateRow>(), start = 0): {
  alerts: AlertDecision[][];
  store: Map<string, AlertStateRow>;
} {
  const alerts: AlertDecision[][] = [];
  seq.forEach((step, i) => {
    const [c, s] = Array.isArray(step) ? step : [step, undefined];
    const v = verdict(c, start + i, { stable: s, reasons: ['Telegram unreachable'] });
    const previous = Object.fromEntries(alertKeys(v).map((k) => [k, store.get(k)]));
    const out = evaluateAlerts({ verdict: v, previous, now: (start + i) * HOUR, policy });
    for (const row of out.states) store.set(row.key, row);
    alerts.push(out.alerts);
  });
  return { alerts, store };
}

const base: AlertPolicy = { failureThreshold: 1, successThreshold: 1, reminderIntervalMs: 0, inconclusiveThreshold: 3 };

describe('evaluateAlerts', () => {
  it('alerts once when failing, resolves once when passing (thresholds 1)', () => {
    const { alerts } = play(['pass', 'fail', 'fail', 'fail', 'pass', 'pass'], base);
    expect(alerts.map((a) => a.map((x) => x.kind))).toEqual([[], ['failing'], [], [], ['resolved'], []]);
    expect(alerts[1][0].subject).toBe('[tg-canary] canary FAILING: 1/3 scenarios failed');
    expect(alerts[1][0].text).toContain('joke/a FAIL');
    expect(alerts[4][0].subject).toBe('[tg-canary] canary RESOLVED: 3/3 scenarios passed');
  });

  it('honours failure and success thresholds; inconclusive runs neither count nor reset', () => {
    const p = { ...base, failureThreshold: 3, successThreshold: 2 };
    const { alerts, store } = play(['fail', 'inconclusive', 'fail', 'pass', 'fail', 'fail', 'inconclusive', 'fail', 'pass', 'inconclusive', 'pass'], p);
    const kinds = alerts.map((a) => a.filter((x) => x.key === 'canary').map((x) => x.kind));
    // fail, inc, fail (2), pass resets, fail, fail, inc, fail (3) → failing; pass (1), inc, pass (2) → resolved
    expect(kinds).toEqual([[], [], [], [], [], [], [], ['failing'], [], [], ['resolved']]);
    expect(store.get('canary')?.state).toBe('ok');
  });

  it('tags every alert of one incident with the same incident id, and a new incident with a new one', () => {
    const p = { ...base, reminderIntervalMs: HOUR, inconclusiveThreshold: 1 };
    const { alerts } = play(['fail', 'fail', 'pass', 'fail', 'pass', 'inconclusive', 'inconclusive', 'pass'], p);
    const canary = alerts.flat().filter((a) => a.key === 'canary').map((a) => `${a.kind}/${a.phase}@${a.incident}`);
    expect(canary).toEqual(['failing/open@canary:0', 'reminder/reminder@canary:0', 'resolved/resolved@canary:0', 'failing/open@canary:10800000', 'resolved/resolved@canary:10800000']);
    const inc = alerts.flat().filter((a) => a.key === 'canary:inconclusive').map((a) => `${a.kind}/${a.phase}@${a.incident}`);
    expect(inc).toEqual(['inconclusive/open@canary:inconclusive:18000000', 'inconclusive/reminder@canary:inconclusive:18000000',
      'inconclusive-resolved/resolved@canary:inconclusive:18000000']);
  });

  it('sends reminders every interval while failing, only on failing runs', () => {
    const p = { ...base, reminderIntervalMs: 2 * HOUR };
    const { alerts } = play(['fail', 'fail', 'fail', 'fail', 'fail', 'pass'], p);
    expect(alerts.map((a) => a.map((x) => x.kind))).toEqual([['failing'], [], ['reminder'], [], ['reminder'], ['resolved']]);
    const ids = alerts.flat().map((a) => a.id);
    expect(ids).toEqual(['alert:canary:0:failing:1', 'alert:canary:0:reminder:2', 'alert:canary:0:reminder:3', 'alert:canary:0:resolved:4']);
    expect(alerts[2][0].subject).toContain('STILL FAILING since 1970-01-01T00:00:00.000Z');
  });

  it('does not re-page across a restart (state round-trips) and re-evaluation gives the same ids', () => {
    const p = { ...base, reminderIntervalMs: 3 * HOUR };
    const first = play(['fail', 'fail'], p);
    // "restart": a new process reads the persisted rows (a JSON round trip, like SQLite)
    const restored = new Map<string, AlertStateRow>(JSON.parse(JSON.stringify([...first.store])) as Array<[string, AlertStateRow]>);
    const snapshot = new Map(restored);
    const second = play(['fail', 'fail', 'pass'], p, restored, 2);
    expect(second.alerts.map((a) => a.map((x) => x.kind))).toEqual([[], ['reminder'], ['resolved']]);
    // evaluating run 3 again against the saved state of run 2 yields identical ids (outbox dedupes them)
    const again = play(['fail', 'fail'], p, snapshot, 2);
    expect(again.alerts[1].map((a) => a.id)).toEqual(second.alerts[1].map((a) => a.id));
  });

  it('alerts separately on an inconclusive streak and resolves when conclusive again', () => {
    const { alerts, store } = play(['inconclusive', 'inconclusive', 'inconclusive', 'inconclusive', 'fail', 'inconclusive'], base);
    const kinds = alerts.map((a) => a.map((x) => x.kind));
    expect(kinds).toEqual([[], [], ['inconclusive'], [], ['failing', 'inconclusive-resolved'], []]);
    const inc = alerts[2][0];
    expect(inc.key).toBe('canary:inconclusive');
    expect(inc.text).toContain('tg-canary cannot judge the canary: Telegram unreachable');
    expect(inc.id).toBe(`alert:canary:inconclusive:${2 * HOUR}:inconclusive:1`);
    expect(store.get('canary:inconclusive')?.failures).toBe(1);
  });

  it('a streak broken by a conclusive run starts over; threshold 0 disables it', () => {
    const { alerts } = play(['inconclusive', 'inconclusive', 'pass', 'inconclusive', 'inconclusive'], base);
    expect(alerts.flat()).toEqual([]);
    const off = play(['inconclusive', 'inconclusive', 'inconclusive', 'inconclusive'], { ...base, inconclusiveThreshold: 0 });
    expect(off.alerts.flat()).toEqual([]);
  });

  it('tracks stable separately when present (shared outage pages about stable, not the canary)', () => {
    const { alerts } = play([['inconclusive', 'fail'], ['pass', 'pass']], { ...base, inconclusiveThreshold: 1 });
    expect(alerts[0].map((a) => `${a.key}/${a.kind}`).sort()).toEqual(['canary:inconclusive/inconclusive', 'stable/failing']);
    expect(alerts[1].map((a) => `${a.key}/${a.kind}`).sort()).toEqual(['canary:inconclusive/inconclusive-resolved', 'stable/resolved']);
  });

  it('ignores pending verdicts', () => {
    const v = { ...verdict('fail', 1), verdict: 'pending' as const };
    expect(evaluateAlerts({ verdict: v, previous: {}, now: 1, policy: base })).toEqual({ states: [], alerts: [] });
  });
});
