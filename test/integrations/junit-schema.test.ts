/**
 * JUnit contract: every report validates against Jenkins' junit-10.xsd (vendored in test/fixtures/schemas/) with
 * the real `xmllint --schema` (Debian's libxml2-utils); the run's verdict is in the file; a shared outage
 * (verdict inconclusive) shows the canary's failures as "not judged", not as a failing canary suite.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderJunit } from '../../src/reporters/junit-reporter.js';
import { runCli } from '../e2e/harness.js';
import { ROOT } from '../k8s/manifests.js';
import { makeRun } from '../reporters/fixtures.js';
import { missing, runTool, XMLLINT } from './tools.js';

const XSD = join(ROOT, 'test/fixtures/schemas/junit-10.xsd');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tgc-junit-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function xmllint(xml: string, name: string): Promise<{ code: number | null; out: string }> {
  const file = join(dir, name);
  writeFileSync(file, xml);
  const r = await runTool(XMLLINT, ['--noout', '--schema', XSD, file]);
  return { code: r.code, out: r.stdout + r.stderr };
}

/** `<testsuite name="…" …>` attributes of one suite. */
function suiteAttrs(xml: string, name: string): Record<string, string> {
  const m = new RegExp(`<testsuite name="${name}" ([^>]*)>`).exec(xml);
  return Object.fromEntries([...(m?.[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((a) => [a[1], a[2]]));
}

describe.skipIf(missing(XMLLINT))('JUnit XML against Jenkins junit-10.xsd (real xmllint)', () => {
  it('a failing run with hostile bot text validates, and carries the verdict, decision and reasons', async () => {
    const xml = renderJunit({ run: makeRun(), history: [], dir });
    const r = await xmllint(xml, 'fail.xml');
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/validates/);
    expect(xml).toContain('<property name="run.verdict" value="fail"/>');
    expect(xml).toContain('<property name="run.decision" value="rollback"/>');
    expect(xml).toMatch(/<property name="run.reason.1" value="canary regression in jokes\/tell-a-joke: &lt;script&gt;/);
    expect(suiteAttrs(xml, 'canary')).toMatchObject({ failures: '1', errors: '0', skipped: '0' });
  });

  it('the schema check can fail: the old root attributes (skipped, timestamp on <testsuites>) are rejected', async () => {
    const xml = renderJunit({ run: makeRun(), history: [], dir }).replace('<testsuites name=', '<testsuites skipped="0" timestamp="2025-06-01T10:00:00.000Z" name=');
    const r = await xmllint(xml, 'old.xml');
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/attribute 'skipped' is not allowed/);
  });

  it('a real shared outage from `demo` (both bots silent): inconclusive, the canary suite "not judged", valid', async () => {
    const faults = join(dir, 'both-silent.yaml');
    writeFileSync(faults, 'faults:\n  - kind: silence\n    bot: canary_bot\n  - kind: silence\n    bot: stable_bot\n');
    const reports = join(dir, 'reports');
    const res = await runCli(['demo', '--json', '--suite', 'joke', '--faults', faults, '--reports-dir', reports],
      { PATH: process.env.PATH, HOME: process.env.HOME }, { timeoutMs: 90_000 });
    expect(res.code, res.stderr).toBe(3);
    expect(res.json?.verdict).toBe('inconclusive');
    const xml = readFileSync(join(reports, 'latest.xml'), 'utf8');
    const r = await xmllint(xml, 'outage.xml');
    expect(r.code, r.out).toBe(0);
    const canary = suiteAttrs(xml, 'canary');
    expect(canary.failures).toBe('0');
    expect(Number(canary.skipped)).toBe(Number(canary.tests));
    expect(Number(canary.tests)).toBeGreaterThanOrEqual(2);
    expect(xml).toMatch(/<skipped type="inconclusive" message="not judged: the run is inconclusive \((?:shared cause|stable fails too)/);
    // stable did fail: its suite says so
    expect(Number(suiteAttrs(xml, 'stable').failures)).toBeGreaterThanOrEqual(1);
    expect(xml).toContain('<testsuites name="tg-canary: inconclusive"');
    expect(xml).toContain('<property name="run.verdict" value="inconclusive"/>');
    expect(xml).toContain('<property name="run.decision" value="hold"/>');
  }, 100_000);

  it('a real passing `demo` run validates too', async () => {
    const reports = join(dir, 'reports-pass');
    const res = await runCli(['demo', '--json', '--suite', 'favor', '--reports-dir', reports], { PATH: process.env.PATH, HOME: process.env.HOME }, { timeoutMs: 90_000 });
    expect(res.code, res.stderr).toBe(0);
    const xml = readFileSync(join(reports, 'latest.xml'), 'utf8');
    const r = await xmllint(xml, 'pass.xml');
    expect(r.code, r.out).toBe(0);
    expect(xml).toContain('<property name="run.verdict" value="pass"/>');
  }, 100_000);
});
