// In CI (CI=true) a missing prometheus-pushgateway fails the test instead of skipping it: .ci/run installs it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverOutbox } from '../../src/delivery/outbox.js';
import { enqueueStatusPushes, statusPushHandlers } from '../../src/status/pushers/index.js';
import { openStore } from '../../src/store/index.js';
import { makeRun } from '../notifiers/fixtures.js';
import { freePort } from '../support/ports.js';

const BIN = '/usr/bin/prometheus-pushgateway';
const T0 = 1_700_000_000_000;
let dir: string;
let proc: ChildProcess | undefined;
let url = '';

async function waitReady(u: string, deadline: number): Promise<void> {
  for (;;) {
    try {
      const r = await fetch(`${u}/-/ready`);
      if (r.ok) return;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error('pushgateway did not become ready');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Parses `name{labels} value` lines for one metric family. */
function series(text: string, name: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

describe.skipIf(!existsSync(BIN) && !process.env.CI)('Pushgateway pusher (real prometheus-pushgateway)', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tgc-pgw-'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    proc = spawn(BIN, [`--web.listen-address=127.0.0.1:${port}`, `--persistence.file=${join(dir, 'pgw.db')}`], { stdio: 'ignore' });
    await waitReady(url, Date.now() + 15_000);
  });
  afterAll(async () => {
    if (proc && proc.exitCode === null) {
      const exited = new Promise((r) => proc?.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('pushes run gauges per target and keeps the last success from SQLite across a failed run', async () => {
    const store = openStore(join(dir, 'canary.db'));
    try {
      const cfg = { pushgatewayUrl: url };
      const handlers = statusPushHandlers(cfg);

      const ok = makeRun('run-ok', 'pass', T0);
      store.finishRun(ok);
      expect(await enqueueStatusPushes(store, ok, cfg, { exitCode: 0, now: ok.finishedAt })).toBe(2);
      expect(await enqueueStatusPushes(store, ok, cfg, { exitCode: 0, now: ok.finishedAt })).toBe(0); // deduped
      const r1 = await deliverOutbox(store, handlers, { now: ok.finishedAt + 1 });
      expect(r1.delivered).toBe(2);

      let text = await (await fetch(`${url}/metrics`)).text();
      const canary = '{instance="",job="tg_canary",target="canary"}';
      expect(series(text, 'tg_canary_run_success').get(`tg_canary_run_success${canary}`)).toBe(1);
      expect(series(text, 'tg_canary_run_score_ratio').get(`tg_canary_run_score_ratio${canary}`)).toBe(1);
      expect(series(text, 'tg_canary_run_duration_seconds').get(`tg_canary_run_duration_seconds${canary}`)).toBe(5);
      expect(series(text, 'tg_canary_last_run_timestamp_seconds').get(`tg_canary_last_run_timestamp_seconds${canary}`)).toBe((T0 + 5000) / 1000);
      expect(series(text, 'tg_canary_last_success_timestamp_seconds').get(`tg_canary_last_success_timestamp_seconds${canary}`)).toBe((T0 + 5000) / 1000);
      expect(text).toMatch(/tg_canary_scenario_success\{instance="",job="tg_canary",scenario="tell-joke",suite="joke",target="canary"\} 1/);
      expect(text).toMatch(/tg_canary_reply_latency_seconds\{instance="",job="tg_canary",kind="final",scenario="tell-joke",suite="joke",target="canary"\} 1\.25/);
      expect(text).toMatch(/tg_canary_reply_latency_seconds\{instance="",job="tg_canary",kind="first",scenario="tell-joke",suite="joke",target="canary"\} 0\.42/);
      expect(text).toMatch(/tg_canary_verdict\{instance="",job="tg_canary",target="canary",verdict="pass"\} 1/);
      expect(text).toMatch(/tg_canary_verdict\{instance="",job="tg_canary",target="canary",verdict="fail"\} 0/);
      expect(text).toMatch(/tg_canary_run_success\{instance="",job="tg_canary",target="stable"\} 1/);

      const bad = makeRun('run-bad', 'fail', T0 + 3_600_000);
      store.finishRun(bad);
      await enqueueStatusPushes(store, bad, cfg, { exitCode: 1, now: bad.finishedAt });
      const r2 = await deliverOutbox(store, handlers, { now: bad.finishedAt + 1 });
      expect(r2.delivered).toBe(2);
      expect(r2.health.find((h) => h.channel === 'pushgateway')).toMatchObject({ pending: 0, lastError: null, lastSuccessAt: bad.finishedAt + 1 });

      text = await (await fetch(`${url}/metrics`)).text();
      expect(series(text, 'tg_canary_run_success').get(`tg_canary_run_success${canary}`)).toBe(0);
      expect(series(text, 'tg_canary_last_run_timestamp_seconds').get(`tg_canary_last_run_timestamp_seconds${canary}`)).toBe((bad.finishedAt) / 1000);
      // the failed run did not erase the last success: it came from SQLite
      expect(series(text, 'tg_canary_last_success_timestamp_seconds').get(`tg_canary_last_success_timestamp_seconds${canary}`)).toBe((T0 + 5000) / 1000);
      expect(text).toMatch(/tg_canary_scenario_success\{instance="",job="tg_canary",scenario="tell-joke",suite="joke",target="canary"\} 0/);
      expect(text).toMatch(/tg_canary_verdict\{instance="",job="tg_canary",target="canary",verdict="fail"\} 1/);
    } finally {
      store.close();
    }
  });

  it('a canary-only run deletes the stable group instead of leaving an old stable result there for ever', async () => {
    const store = openStore(join(dir, 'canary-only.db'));
    try {
      const cfg = { pushgatewayUrl: url };
      const handlers = statusPushHandlers(cfg);
      const both = makeRun('run-both', 'pass', T0 + 7_200_000);
      store.finishRun(both);
      await enqueueStatusPushes(store, both, cfg, { exitCode: 0, now: both.finishedAt });
      expect((await deliverOutbox(store, handlers, { now: both.finishedAt + 1 })).delivered).toBe(2);
      let text = await (await fetch(`${url}/metrics`)).text();
      expect(text).toMatch(/tg_canary_run_success\{instance="",job="tg_canary",target="stable"\} 1/);

      const canaryOnly = makeRun('run-canary-only', 'fail', T0 + 10_800_000, { stable: false });
      store.finishRun(canaryOnly);
      expect(await enqueueStatusPushes(store, canaryOnly, cfg, { exitCode: 1, now: canaryOnly.finishedAt })).toBe(2); // PUT canary, DELETE stable
      const r = await deliverOutbox(store, handlers, { now: canaryOnly.finishedAt + 1 });
      expect(r.delivered).toBe(2);
      expect(r.failed).toBe(0);
      text = await (await fetch(`${url}/metrics`)).text();
      expect(text).not.toMatch(/target="stable"/);
      expect(text).toMatch(/tg_canary_run_success\{instance="",job="tg_canary",target="canary"\} 0/);
      // the groups the Pushgateway holds now: canary only
      const groups = (await (await fetch(`${url}/api/v1/metrics`)).json()) as { data: { labels: Record<string, string> }[] };
      expect(groups.data.map((g) => g.labels.target).sort()).toEqual(['canary']);
    } finally {
      store.close();
    }
  });
});
