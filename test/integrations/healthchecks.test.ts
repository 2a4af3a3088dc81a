/**
 * healthchecks.io contract against a loopback server that applies healthchecks' own rules (healthchecks-mock.ts):
 * rid is a UUID it accepts, pass and fail use the exit-status endpoint, an inconclusive run is only logged, and
 * the check goes down for a real failure or a streak of inconclusive runs longer than period + grace, never for one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliverOutbox } from '../../src/delivery/outbox.js';
import { enqueueStatusPushes, pingStart, statusPushHandlers } from '../../src/status/pushers/index.js';
import { runUuid } from '../../src/status/pushers/healthchecks.js';
import { openStore, type SqliteRunStore } from '../../src/store/index.js';
import { makeRun } from '../notifiers/fixtures.js';
import { startHealthchecksMock, type HealthchecksMock } from './healthchecks-mock.js';

const CODE = '5c2d7f5e-1b3a-4c8e-9f00-6a7b8c9d0e1f';
const HOUR = 3_600_000;
const T0 = 1_700_000_000_000;
let t = T0;
let hc: HealthchecksMock;
let store: SqliteRunStore;
let dir: string;

beforeEach(async () => {
  t = T0;
  hc = await startHealthchecksMock(() => t);
  // period 1 h (the hourly schedule), grace 3 h (how long "cannot judge" may last before the check goes down)
  hc.addCheck(CODE, { timeoutMs: HOUR, graceMs: 3 * HOUR });
  dir = await mkdtemp(join(tmpdir(), 'tgc-hc-'));
  store = openStore(join(dir, 'db.sqlite'));
});
afterEach(async () => {
  store.close();
  await hc.close();
  await rm(dir, { recursive: true, force: true });
});

/** One run as tg-canary does it: the start ping at its start, the end ping through the outbox `ms` later. */
async function run(runId: string, verdict: 'pass' | 'fail' | 'inconclusive', ms = 90_000): Promise<void> {
  const cfg = { pingUrl: `${hc.url}/${CODE}` };
  expect(await pingStart(cfg, runId)).toEqual({ ok: true });
  t += ms;
  const r = makeRun(runId, verdict, t - ms);
  store.finishRun(r);
  await enqueueStatusPushes(store, r, cfg, { exitCode: verdict === 'pass' ? 0 : verdict === 'fail' ? 1 : 3, now: t });
  const res = await deliverOutbox(store, statusPushHandlers(cfg), { now: t });
  expect(res.failed, JSON.stringify(res.health)).toBe(0);
}

describe('healthchecks.io pings (loopback server with healthchecks\' rules)', () => {
  it('the mock applies healthchecks\' rules: a run id as rid is "400 invalid uuid format", exit status 256 "400 invalid url format"', async () => {
    const base = `${hc.url}/${CODE}`;
    const bad = await fetch(`${base}/0?rid=run-hc`, { method: 'POST' });
    expect([bad.status, await bad.text()]).toEqual([400, 'invalid uuid format']);
    const big = await fetch(`${base}/256`);
    expect([big.status, await big.text()]).toEqual([400, 'invalid url format']);
    const unknown = await fetch(`${hc.url}/00000000-0000-4000-8000-000000000000/0`);
    expect(unknown.status).toBe(404);
    expect(hc.checks.get(CODE)?.events).toEqual([]);
  });

  it('rid is a stable UUID derived from the run id (version 5 layout), different per run', () => {
    const a = runUuid('20261123-180512-a1b2c3');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(runUuid('20261123-180512-a1b2c3')).toBe(a);
    expect(runUuid('20261123-190512-d4e5f6')).not.toBe(a);
  });

  it('pass: start + /0 with the same rid, accepted; the check is up and the run time measured', async () => {
    await run('run-pass', 'pass', 90_000);
    const c = hc.checks.get(CODE);
    expect(hc.answers).toEqual(['200 OK', '200 OK']);
    expect(c?.events.map((e) => [e.kind, e.exitStatus])).toEqual([['start', null], ['success', 0]]);
    expect(c?.events[0]?.rid).toBe(runUuid('run-pass'));
    expect(c?.events[1]?.rid).toBe(runUuid('run-pass'));
    expect(c?.lastDurationMs).toBe(90_000);
    expect(hc.statusOf(CODE)).toBe('up');
    expect(c?.events[1]?.body).toContain('tg-canary run run-pass: pass');
  });

  it('fail: /1 — the check goes down at once (healthchecks alerts)', async () => {
    await run('run-ok', 'pass');
    t += HOUR;
    await run('run-bad', 'fail');
    const last = hc.checks.get(CODE)?.events.at(-1);
    expect([last?.kind, last?.exitStatus, last?.rid]).toEqual(['fail', 1, runUuid('run-bad')]);
    expect(hc.statusOf(CODE)).toBe('down');
  });

  it('inconclusive: /log, never an exit status — one inconclusive run between passes never takes the check down', async () => {
    await run('run-1', 'pass');
    t += HOUR;
    await run('run-2', 'inconclusive');
    const c = hc.checks.get(CODE);
    expect(c?.events.at(-1)).toMatchObject({ kind: 'log', exitStatus: null, rid: runUuid('run-2') });
    expect(c?.events.at(-1)?.body).toContain('inconclusive');
    expect(c?.events.some((e) => e.kind === 'fail')).toBe(false);
    expect(hc.statusOf(CODE)).not.toBe('down');
    t += HOUR;
    expect(hc.statusOf(CODE)).not.toBe('down'); // the dangling start of run-2 is within grace
    await run('run-3', 'pass');
    expect(hc.statusOf(CODE)).toBe('up');
  });

  it('a streak of inconclusive runs longer than period + grace takes the check down ("nothing conclusive came in")', async () => {
    await run('run-0', 'pass');
    const lastPass = t;
    for (let i = 1; i <= 5; i++) {
      t = lastPass + i * HOUR - 90_000;
      await run(`run-inc-${i}`, 'inconclusive');
      if (t < lastPass + 4 * HOUR) expect(hc.statusOf(CODE), `after ${i} inconclusive runs`).not.toBe('down');
    }
    expect(t).toBeGreaterThan(lastPass + 4 * HOUR);
    expect(hc.statusOf(CODE)).toBe('down');
    expect(hc.checks.get(CODE)?.events.filter((e) => e.kind === 'fail')).toEqual([]);
  });
});
