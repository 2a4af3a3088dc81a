/**
 * Prometheus contracts against the real tools (Debian's `prometheus` package: promtool and the server):
 * - every alert of k8s/base/prometheusrule.yaml passes its `promtool test rules` unit tests
 *   (k8s/base/prometheusrule.test.yaml), and the old, broken expressions fail them;
 * - `/metrics` of a real `tg-canary demo --serve` passes `promtool check metrics`, while prom-client's unfiltered
 *   default metrics do not;
 * - a real Prometheus scrapes that `/metrics` with the shipped rules loaded, and evaluates them without errors.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { getJson, startServe, type ServeProcess } from '../decisions/helpers.js';
import { waitFor } from '../support/wait.js';
import { freePort } from '../support/ports.js';
import { K8S_DIR } from '../k8s/manifests.js';
import { missing, PROMETHEUS, PROMTOOL, runTool } from './tools.js';

interface Rule { alert: string; expr: string }
const RULE_FILE = join(K8S_DIR, 'base/prometheusrule.yaml');
const RULE_TESTS = join(K8S_DIR, 'base/prometheusrule.test.yaml');

/** Writes the PrometheusRule's groups as a plain rule file next to a copy of the unit tests; returns the folder. */
function ruleDir(edit: (rules: Rule[]) => void = () => {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'tgc-rules-'));
  const doc = parse(readFileSync(RULE_FILE, 'utf8')) as { spec: { groups: { rules: Rule[] }[] } };
  for (const g of doc.spec.groups) edit(g.rules);
  writeFileSync(join(dir, 'prometheusrule.rules.yaml'), stringify({ groups: doc.spec.groups }));
  copyFileSync(RULE_TESTS, join(dir, 'prometheusrule.test.yaml'));
  return dir;
}

describe.skipIf(missing(PROMTOOL))('PrometheusRule: promtool test rules (real promtool)', () => {
  it('every alert has unit tests, and all of them pass', async () => {
    const alerts = (parse(readFileSync(RULE_FILE, 'utf8')) as { spec: { groups: { rules: Rule[] }[] } }).spec.groups.flatMap((g) => g.rules.map((r) => r.alert));
    expect(alerts.sort()).toEqual(['TgCanaryCanaryFailing', 'TgCanaryInconclusiveTooLong', 'TgCanaryNoRecentSuccess', 'TgCanaryNoRuns']);
    const tests = parse(readFileSync(RULE_TESTS, 'utf8')) as { tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[] };
    for (const a of alerts) {
      const cases = tests.tests.flatMap((t) => t.alert_rule_test).filter((c) => c.alertname === a);
      expect(cases.some((c) => c.exp_alerts.length > 0), `${a} has a case where it fires`).toBe(true);
      expect(cases.some((c) => c.exp_alerts.length === 0), `${a} has a case where it stays quiet`).toBe(true);
    }
    const dir = ruleDir();
    try {
      const check = await runTool(PROMTOOL, ['check', 'rules', 'prometheusrule.rules.yaml'], { cwd: dir });
      expect(check.code, check.stdout + check.stderr).toBe(0);
      const r = await runTool(PROMTOOL, ['test', 'rules', 'prometheusrule.test.yaml'], { cwd: dir });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout + r.stderr).toMatch(/SUCCESS/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the unit tests catch the old expressions: stable failing paged as a canary regression, a never-passing target ignored', async () => {
    const dir = ruleDir((rules) => {
      for (const r of rules) {
        if (r.alert === 'TgCanaryCanaryFailing') r.expr = 'tg_canary_verdict{verdict="fail"} == 1';
        if (r.alert === 'TgCanaryNoRecentSuccess') r.expr = 'time() - tg_canary_last_success_timestamp_seconds > 3*3600';
      }
    });
    try {
      const r = await runTool(PROMTOOL, ['test', 'rules', 'prometheusrule.test.yaml'], { cwd: dir });
      expect(r.code).not.toBe(0);
      const out = r.stdout + r.stderr;
      expect(out).toMatch(/name: canary failing - only stable fails/);
      expect(out).toMatch(/name: no recent success - stable runs but never passed/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(missing(PROMTOOL) || missing(PROMETHEUS))('/metrics of a real `demo --serve`: promtool check metrics and a real Prometheus scrape', () => {
  let dir: string;
  let serve: ServeProcess | undefined;
  let prom: ChildProcess | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tgc-prom-'));
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn' };
    serve = await startServe(['demo', '--serve', '--port', String(port), '--suite', 'joke', '--reports-dir', join(dir, 'reports'), '--db', join(dir, 'demo.db')], env, { cwd: dir, maxMs: 110_000 });
    // the demo's first run has finished when its gauges are there
    await waitFor(async () => /^tg_canary_run_success\{target="canary"\} /m.test(await (await fetch(`${serve?.url}/metrics`)).text()), 'the first demo run', 60_000, 250);
  }, 120_000);
  afterAll(async () => {
    if (prom && prom.exitCode === null) {
      const exited = new Promise((r) => prom?.once('exit', r));
      prom.kill('SIGTERM');
      await exited;
    }
    await serve?.stop('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('promtool check metrics passes on the scrape; our series are named by the conventions', async () => {
    const text = await (await fetch(`${serve?.url}/metrics`)).text();
    expect(text).toMatch(/^tg_canary_run_score_ratio\{target="canary"\} /m);
    expect(text).not.toMatch(/^tg_canary_run_score\{/m);
    expect(text).toMatch(/^nodejs_active_handles\{/m); // the labelled default gauge stays
    const r = await runTool(PROMTOOL, ['check', 'metrics'], { input: text });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect((r.stdout + r.stderr).trim()).toBe('');
  });

  it('promtool check metrics does fail on prom-client\'s unfiltered default metrics (the check can fail)', async () => {
    const reg = new Registry();
    collectDefaultMetrics({ register: reg });
    const r = await runTool(PROMTOOL, ['check', 'metrics'], { input: await reg.metrics() });
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/nodejs_active_handles_total non-counter metrics should not have "_total" suffix/);
  });

  it('a real Prometheus scrapes it with the shipped rules loaded: series arrive, every rule evaluates cleanly', async () => {
    const rules = ruleDir();
    const promPort = await freePort();
    const target = (serve?.url ?? '').replace('http://', '');
    writeFileSync(join(dir, 'prometheus.yml'), stringify({
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: [join(rules, 'prometheusrule.rules.yaml')],
      scrape_configs: [{ job_name: 'tg-canary', static_configs: [{ targets: [target] }] }],
    }));
    let log = '';
    prom = spawn(PROMETHEUS, [
      `--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    prom.stderr?.on('data', (d: Buffer) => { log += d.toString(); });
    const api = `http://127.0.0.1:${promPort}/api/v1`;
    try {
      const q = await waitFor(async () => {
        const r = await getJson(`${api}/query?query=${encodeURIComponent('tg_canary_run_score_ratio{target="canary"}')}`);
        const result = (r.body.data as { result?: { value: [number, string] }[] } | undefined)?.result ?? [];
        return result.length > 0 ? result : undefined;
      }, 'Prometheus to scrape tg_canary_run_score_ratio', 30_000, 250);
      expect(Number(q[0]?.value[1])).toBe(1);
      const up = await getJson(`${api}/query?query=up`);
      expect(JSON.stringify(up.body)).toMatch(/"job":"tg-canary"/);
      const groups = await waitFor(async () => {
        const r = await getJson(`${api}/rules`);
        const gs = (r.body.data as { groups: { rules: { name: string; health: string; lastError?: string; lastEvaluation: string }[] }[] }).groups;
        const all = gs.flatMap((g) => g.rules);
        return all.length === 4 && all.every((x) => !x.lastEvaluation.startsWith('0001')) ? all : undefined;
      }, 'the rules to be evaluated', 20_000, 250);
      expect(groups.map((g) => [g.name, g.health, g.lastError ?? ''])).toEqual(
        groups.map((g) => [g.name, 'ok', '']),
      );
      // a passing demo canary: nothing fires, and neither canary alert is even pending (TgCanaryNoRuns may be
      // pending from the first evaluation, before the first scrape, when the series was still absent)
      const alerts = await getJson(`${api}/alerts`);
      const list = (alerts.body.data as { alerts: { state: string; labels: { alertname: string } }[] }).alerts;
      expect(list.filter((a) => a.state === 'firing')).toEqual([]);
      expect(list.map((a) => a.labels.alertname).filter((n) => n === 'TgCanaryCanaryFailing' || n === 'TgCanaryNoRecentSuccess')).toEqual([]);
    } catch (e) {
      throw new Error(`${String(e)}\nprometheus log:\n${log.slice(-2000)}`);
    } finally {
      rmSync(rules, { recursive: true, force: true });
    }
  }, 60_000);
});
