import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildServeMetrics } from '../../src/status/metrics.js';
import { buildStatusJson, writeStatusFile } from '../../src/status/status-file.js';
import { makeRun } from '../notifiers/fixtures.js';

const T0 = 1_700_000_000_000;
let dir: string;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'tgc-status-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

describe('status.json', () => {
  it('has exactly the expected top-level shape and maps suites to the users\' names', () => {
    const json = buildStatusJson(makeRun('run-s', 'fail', T0), { version: '0.1.0', startedAt: T0 - 90_500, now: T0 + 10_000 });
    expect(Object.keys(json).sort()).toEqual(['features', 'last_test', 'status', 'uptime_seconds', 'version']);
    expect(Object.keys(json.last_test).sort()).toEqual(['results', 'timestamp']);
    expect(Object.keys(json.last_test.results).sort()).toEqual(['favors', 'jokes', 'memories', 'rag']);
    expect(json.status).toBe('degraded');
    expect(json.version).toBe('0.1.0');
    expect(json.uptime_seconds).toBe(100);
    expect(json.last_test.timestamp).toBe(new Date(T0 + 5000).toISOString());
    expect(json.last_test.results.jokes).toEqual({ status: 'fail', score: 0.25, canary: { status: 'fail', score: 0.25 }, stable: { status: 'pass', score: 1 } });
    expect(json.last_test.results.rag).toEqual({ status: 'pass', score: 1, canary: { status: 'pass', score: 1 }, stable: null });
    expect(json.features).toEqual({ jokes: false, memories: true, favors: true, rag: true });
    expect(buildStatusJson(makeRun('r', 'pass', T0), { version: 'v', startedAt: T0, now: T0 }).status).toBe('ok');
    expect(buildStatusJson(makeRun('r', 'inconclusive', T0), { version: 'v', startedAt: T0, now: T0 }).status).toBe('unknown');
  });

  it('writes atomically with mode 0600 and leaves no temp file', async () => {
    const out = join(dir, 'reports');
    const json = buildStatusJson(makeRun('run-s', 'pass', T0), { version: '1', startedAt: T0, now: T0 });
    const file = await writeStatusFile(out, json);
    await writeStatusFile(out, { ...json, version: '2' });
    expect(file).toBe(join(out, 'status.json'));
    expect((JSON.parse(await readFile(file, 'utf8')) as { version: string }).version).toBe('2');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(out)).toEqual(['status.json']);
  });
});

describe('serve /metrics registry', () => {
  it('exposes run gauges per target, runs_total by verdict, outbox pending and process metrics', async () => {
    const m = buildServeMetrics();
    m.recordRun(makeRun('r1', 'pass', T0), { lastSuccessAt: { canary: T0 + 5000, stable: T0 + 5000 } });
    m.recordRun(makeRun('r2', 'fail', T0 + 60_000), { lastSuccessAt: { canary: T0 + 5000, stable: T0 + 65_000 } });
    m.setOutboxPending([{ channel: 'email', pending: 2 }, { channel: 'webhook', pending: 0 }]);
    const text = await m.metrics();
    expect(m.contentType).toContain('text/plain');
    expect(text).toContain('tg_canary_runs_total{verdict="pass"} 1');
    expect(text).toContain('tg_canary_runs_total{verdict="fail"} 1');
    expect(text).toContain('tg_canary_runs_total{verdict="inconclusive"} 0');
    expect(text).toContain('tg_canary_run_success{target="canary"} 0');
    expect(text).toContain('tg_canary_run_success{target="stable"} 1');
    expect(text).toContain(`tg_canary_last_success_timestamp_seconds{target="canary"} ${(T0 + 5000) / 1000}`);
    expect(text).toContain('tg_canary_verdict{target="canary",verdict="fail"} 1');
    expect(text).toContain('tg_canary_scenario_success{target="canary",scenario="tell-joke",suite="joke"} 0');
    expect(text).toContain('tg_canary_outbox_pending{channel="email"} 2');
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
  });
});
