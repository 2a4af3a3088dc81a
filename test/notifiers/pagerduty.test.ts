/**
 * PagerDuty Events API v2 through the real outbox and SQLite store, against a loopback fake built from the docs:
 * https://developer.pagerduty.com/docs/events-api-v2/trigger-events/ and
 * https://developer.pagerduty.com/docs/events-api-v2/resolve-events/ — POST /v2/enqueue with `routing_key`,
 * `event_action`, `dedup_key`, `payload { summary, source, severity }`; answers `202 {status:"success", message:
 * "Event processed", dedup_key}`, `400 {status:"invalid event", message:"Event object is invalid", errors:[…]}`,
 * `429` when rate limited (https://developer.pagerduty.com/docs/events-api-v2/overview/#response-codes--retry-logic:
 * retry 429 and 5xx, not 400).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertPolicy } from '../../src/core/alert-policy.js';
import type { RunResult } from '../../src/core/types.js';
import { alertHandler, describeOutboxItem, queueRunAlerts } from '../../src/delivery/alert-outbox.js';
import { deliverOutbox, type OutboxHandler } from '../../src/delivery/outbox.js';
import { buildNotifiers } from '../../src/notifiers/index.js';
import type { PagerDutyEvent } from '../../src/notifiers/pagerduty.js';
import { openStore, type SqliteRunStore } from '../../src/store/index.js';
import { makeRun, startHttp, type Loopback, type Recorded } from './fixtures.js';

const T0 = 1_700_000_000_000;
const HOUR = 3_600_000;
const KEY = 'R0123-pd-SECRET-routing-key';
let dir: string;
let http: Loopback | undefined;

beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'tgc-pd-')); });
afterEach(async () => {
  await http?.close();
  http = undefined;
  await rm(dir, { recursive: true, force: true });
});

type Answer = (req: Recorded, res: ServerResponse) => void;
const accepted: Answer = (req, res) => {
  const ev = JSON.parse(req.body) as PagerDutyEvent;
  res.writeHead(202, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ status: 'success', message: 'Event processed', dedup_key: ev.dedup_key }));
};
const invalid: Answer = (_req, res) => {
  res.writeHead(400, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ status: 'invalid event', message: 'Event object is invalid', errors: ['Length of \'routing_key\' is incorrect (should be 32 characters)'] }));
};
const status = (code: number, headers: Record<string, string> = {}): Answer => (_req, res) => { res.writeHead(code, headers); res.end(); };

/** The fake Events API: answers in turn (the last repeats); `events` holds every accepted event. */
async function fakePagerDuty(answers: Answer[] = [accepted]): Promise<{ http: Loopback; events: () => PagerDutyEvent[] }> {
  let i = 0;
  const ok = new Set<number>();
  const server = await startHttp((req, res) => {
    const a = answers[Math.min(i, answers.length - 1)] ?? accepted;
    if (a === accepted) ok.add(i);
    i += 1;
    a(req, res);
  });
  return { http: server, events: () => server.requests.filter((_r, n) => ok.has(n)).map((r) => JSON.parse(r.body) as PagerDutyEvent) };
}

function handlers(url: string): Record<string, OutboxHandler> {
  const n = buildNotifiers({ pagerduty: { routingKey: KEY, eventsUrl: url, source: 'canary-tester' } }, { chromiumPath: '/nope' });
  if (!n.pagerduty) throw new Error('pagerduty not built');
  return { pagerduty: alertHandler(n.pagerduty) };
}

/** One "process": open the SQLite file, store the run, apply the policy (state in SQLite), deliver, close. */
async function runProcess(db: string, run: RunResult, url: string, policy: AlertPolicy): Promise<void> {
  const store: SqliteRunStore = openStore(db);
  try {
    store.finishRun(run);
    queueRunAlerts(store, run, { policy, channels: ['pagerduty'], now: run.finishedAt });
    await deliverOutbox(store, handlers(url), { now: run.finishedAt + 1 });
  } finally {
    store.close();
  }
}

describe('PagerDuty Events API v2 (loopback fake, through the outbox)', () => {
  it('exactly one trigger and one resolve per incident, with a stable dedup_key, across process restarts', async () => {
    const pd = await fakePagerDuty();
    http = pd.http;
    const url = `${http.url}/v2/enqueue`;
    const db = join(dir, 'pd.db');
    const policy: AlertPolicy = { failureThreshold: 1, successThreshold: 1, reminderIntervalMs: HOUR, inconclusiveThreshold: 3 };
    // each run is its own process (a CronJob): open, judge, deliver, exit
    await runProcess(db, makeRun('run-1', 'fail', T0), url, policy); // trigger
    await runProcess(db, makeRun('run-2', 'fail', T0 + 2 * HOUR), url, policy); // reminder: nothing sent
    await runProcess(db, makeRun('run-3', 'fail', T0 + 4 * HOUR), url, policy); // reminder: nothing sent
    await runProcess(db, makeRun('run-4', 'pass', T0 + 5 * HOUR), url, policy); // resolve
    await runProcess(db, makeRun('run-5', 'pass', T0 + 6 * HOUR), url, policy); // nothing
    await runProcess(db, makeRun('run-6', 'fail', T0 + 7 * HOUR), url, policy); // a new incident

    const events = pd.events();
    expect(events.map((e) => e.event_action)).toEqual(['trigger', 'resolve', 'trigger']);
    const [trigger, resolve, second] = events;
    expect(trigger?.dedup_key).toBe(`tg-canary/canary:${T0 + 5000}`);
    expect(resolve?.dedup_key).toBe(trigger?.dedup_key);
    expect(second?.dedup_key).toBe(`tg-canary/canary:${T0 + 7 * HOUR + 5000}`);
    expect(trigger).toMatchObject({
      routing_key: KEY,
      client: 'tg-canary',
      payload: { source: 'canary-tester', severity: 'critical', component: 'canary', group: 'tg-canary', class: 'canary-failure',
        timestamp: new Date(T0 + 5000).toISOString(), custom_details: { run_id: 'run-1', verdict: 'fail', decision: 'rollback' } },
    });
    expect(trigger?.payload?.summary).toContain('canary FAILING');
    expect(resolve).toEqual({ routing_key: KEY, event_action: 'resolve', dedup_key: trigger?.dedup_key });
    // every outbox row (reminders too) is delivered: nothing left to resend after another restart
    const store = openStore(db);
    expect(store.listOutbox({ last: 100 }).map(describeOutboxItem).every((r) => r.status === 'delivered')).toBe(true);
    store.close();
    await runProcess(db, makeRun('run-7', 'fail', T0 + 8 * HOUR), url, { ...policy, reminderIntervalMs: 0 });
    expect(pd.events()).toHaveLength(3);
  });

  it('inconclusive opens a warning incident of its own, resolved by the next conclusive run', async () => {
    const pd = await fakePagerDuty();
    http = pd.http;
    const url = `${http.url}/v2/enqueue`;
    const db = join(dir, 'pd-inc.db');
    const policy: AlertPolicy = { failureThreshold: 1, successThreshold: 1, reminderIntervalMs: 0, inconclusiveThreshold: 2 };
    await runProcess(db, makeRun('run-i1', 'inconclusive', T0), url, policy);
    await runProcess(db, makeRun('run-i2', 'inconclusive', T0 + HOUR), url, policy); // opens "cannot judge"
    await runProcess(db, makeRun('run-i3', 'pass', T0 + 2 * HOUR), url, policy); // resolves it
    const events = pd.events();
    expect(events.map((e) => `${e.event_action}:${e.payload?.severity ?? '-'}`)).toEqual(['trigger:warning', 'resolve:-']);
    expect(events[0]?.payload?.class).toBe('cannot-judge');
    expect(events[0]?.dedup_key).toBe(`tg-canary/canary:inconclusive:${T0 + HOUR + 5000}`);
    expect(events[1]?.dedup_key).toBe(events[0]?.dedup_key);
  });

  it('a trigger resent after a lost answer carries the same dedup_key (PagerDuty dedupes it into the same alert)', async () => {
    let calls = 0;
    http = await startHttp((req, res) => {
      calls += 1;
      if (calls === 1) setTimeout(() => accepted(req, res), 600); // received, but the answer comes too late
      else accepted(req, res);
    });
    const store = openStore(join(dir, 'pd-resend.db'));
    const policy: AlertPolicy = { failureThreshold: 1, successThreshold: 1, reminderIntervalMs: 0, inconclusiveThreshold: 3 };
    const run = makeRun('run-r1', 'fail', T0);
    store.finishRun(run);
    queueRunAlerts(store, run, { policy, channels: ['pagerduty'], now: run.finishedAt });
    const n = buildNotifiers({ pagerduty: { routingKey: KEY, eventsUrl: `${http.url}/v2/enqueue`, source: 's' } }, { chromiumPath: '/nope', timeoutMs: 200 });
    const h = { pagerduty: alertHandler(n.pagerduty!) };
    const backoff = { baseMs: 1000, maxMs: 1000 };
    expect((await deliverOutbox(store, h, { now: T0 + 6000, backoff })).failed).toBe(1);
    expect((await deliverOutbox(store, h, { now: T0 + 8000, backoff })).delivered).toBe(1);
    const keys = http.requests.map((r) => (JSON.parse(r.body) as PagerDutyEvent).dedup_key);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    store.close();
  });

  it('400 invalid event is permanent (parked, routing key never in the error); 429 and 5xx are retried', async () => {
    const pd = await fakePagerDuty([invalid, status(429), status(503), accepted]);
    http = pd.http;
    const url = `${http.url}/v2/enqueue`;
    const store = openStore(join(dir, 'pd-err.db'));
    const policy: AlertPolicy = { failureThreshold: 1, successThreshold: 1, reminderIntervalMs: 0, inconclusiveThreshold: 3 };
    const fail = makeRun('run-e1', 'fail', T0);
    store.finishRun(fail);
    queueRunAlerts(store, fail, { policy, channels: ['pagerduty'], now: fail.finishedAt });
    const backoff = { baseMs: 1000, maxMs: 1000 };
    const h = handlers(url);
    await deliverOutbox(store, h, { now: T0 + 6000, backoff });
    const [parked] = store.listOutbox({ last: 10 }).map(describeOutboxItem);
    expect(parked?.status).toBe('parked');
    expect(parked?.lastError).toContain('PAGERDUTY_400');
    expect(parked?.lastError).toContain("Length of 'routing_key' is incorrect");
    expect(JSON.stringify(store.listOutbox({ last: 10 }))).not.toContain('SECRET-routing-key');

    const pass = makeRun('run-e2', 'pass', T0 + HOUR);
    store.finishRun(pass);
    queueRunAlerts(store, pass, { policy, channels: ['pagerduty'], now: pass.finishedAt });
    let now = T0 + HOUR + 6000;
    const r429 = await deliverOutbox(store, h, { now, backoff });
    expect(r429.health[0]?.lastError).toContain('PAGERDUTY_429');
    now += 2000;
    const r503 = await deliverOutbox(store, h, { now, backoff });
    expect(r503.health[0]?.lastError).toContain('PAGERDUTY_503');
    now += 2000;
    expect((await deliverOutbox(store, h, { now, backoff })).delivered).toBe(1);
    expect(http.requests).toHaveLength(4);
    expect(pd.events().map((e) => e.event_action)).toEqual(['resolve']);
    store.close();
  });
});
