/**
 * The failure-rate verdict through the real CLI, the sandbox and one SQLite database per case: a suite file's
 * `repeat: 3` default, a stale replica whose failures hop between scenarios (must fail, in each of two runs on one
 * database), the same scenarios against healthy bots (must pass), and a model provider failing at random in both
 * bots — different scenarios hit in each — which must be inconclusive in each of 5 seeded runs on one database.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type CliResult, type World } from '../e2e/harness.js';

let w: World;

beforeAll(async () => {
  w = await createWorld();
});
afterAll(async () => {
  await w?.close();
});
afterEach(async () => {
  await w.reset();
});

interface Rates { n: number; failures: number; rate: number; shared: number }
interface Comparison { canary: Rates; stable: Rates; p: number; level: number; band: string; insufficient: boolean }
type Json = NonNullable<CliResult['json']> & {
  decision: string;
  failureRates?: { runs: number; overall: Comparison; suites: Record<string, Comparison>; sharedCauses: { cause: string; canary: number; stable: number }[] };
  repeats?: { scenario: string; target: string; attempts: number; passes: number; passRate: number; k: number; passK: number }[];
  targets: { canary?: { suites: Record<string, { band?: string }> } };
};
const j = (r: CliResult): Json => {
  if (!r.json) throw new Error(`no JSON (exit ${r.code}):\n${r.stderr}\n${r.stdout}`);
  return r.json as Json;
};
const reasonsOf = (r: CliResult): string => (r.json?.reasons ?? []).join(' | ');

const CONVERSIONS: [string, string][] = [
  ['Convert 10 km to miles', '6.21'],
  ['Convert 2 kg to lb', '4.41'],
  ['Convert 5 miles to km', '8.05'],
  ['Convert 10 lb to kg', '4.54'],
];

/** Four conversion scenarios of one suite, repeated 3 times each by the suite file: 12 attempts per target. */
function conversionSuite(): void {
  w.writeScenario('suite', 'suite: favor\ndescription: unit conversions\ndefaults:\n  repeat: 3\n');
  for (const [i, [prompt, answer]] of CONVERSIONS.entries()) {
    w.writeScenario(`convert-${i}`, `
name: convert-${i}
suite: favor
timeout: 15s
quiet: 0s
steps:
  - send: "${prompt}"
  - expect:
      timeout: 3s
      settle: 150ms
      assert:
        - { type: contains, value: "${answer}", critical: true }
        - not-error
`, { only: false });
  }
}

describe('failure rates through the CLI', () => {
  it('a stale replica answering one message in three with a greeting fails in each of two runs on one database; healthy bots pass', async () => {
    conversionSuite();
    await w.sandbox.setBot('canary_bot', join(__dirname, 'bots', 'stale-replica.mjs'));

    const r1 = await w.cli(['run', '--json']);
    const v1 = j(r1);
    expect(r1.code, reasonsOf(r1)).toBe(1);
    expect(v1.decision).toBe('rollback');
    // 12 attempts per side; the greeting hits attempts of different scenarios
    expect(v1.failureRates?.overall.canary).toEqual({ n: 12, failures: 4, rate: 0.3333, shared: 0 });
    expect(v1.failureRates?.overall.stable).toMatchObject({ n: 12, failures: 0 });
    const failedScenarios = new Set(v1.scenarios.filter((s) => s.target === 'canary' && s.status === 'fail').map((s) => s.name));
    expect(failedScenarios.size).toBeGreaterThan(1);
    for (const name of failedScenarios) {
      expect(v1.scenarios.some((s) => s.target === 'canary' && s.name === name && s.status === 'pass'), `${name} also passes`).toBe(true);
    }
    // p = C(12,4) / C(24,4) = 495 / 10626
    expect(v1.failureRates?.overall.p).toBeCloseTo(495 / 10626, 4);
    expect(reasonsOf(r1)).toMatch(/canary regression: failure rate overall: canary fails more often than stable: canary 33% \(4\/12\) vs stable 0% \(0\/12\), Fisher p=0\.047 \(level 0\.050\); failed in this run: convert-0, convert-1, convert-2, convert-3$/m);
    expect(v1.targets.canary?.suites.favor?.band).toBe('fail');
    expect(v1.repeats?.filter((x) => x.target === 'canary').map((x) => x.attempts)).toEqual([3, 3, 3, 3]);

    // second run on the same database: the window pools both runs
    const r2 = await w.cli(['run', '--json']);
    const v2 = j(r2);
    expect(r2.code, reasonsOf(r2)).toBe(1);
    expect(v2.failureRates?.runs).toBe(2);
    expect(v2.failureRates?.overall.canary).toMatchObject({ n: 24, failures: 8 });
    expect(reasonsOf(r2)).toMatch(/canary 33% \(8\/24\) vs stable 0% \(0\/24\), Fisher p=0\.002/);

    // the same scenarios against the healthy demo bots, on a fresh database, twice
    w.freshDb();
    await w.sandbox.setBot('canary_bot', 'builtin');
    for (let i = 0; i < 2; i++) {
      const ok = await w.cli(['run', '--json']);
      expect(ok.code, reasonsOf(ok)).toBe(0);
      expect(j(ok).decision).toBe('promote');
      expect(j(ok).failureRates?.overall).toMatchObject({ band: 'pass', canary: { n: 12 * (i + 1), failures: 0 } });
      expect(reasonsOf(ok)).toMatch(/all 12 canary attempts passed/);
    }
  }, 90_000);

  it('a model provider failing at random in both bots is inconclusive in each of 5 seeded runs on one database, never a rollback', async () => {
    conversionSuite();
    let differentScenarios = 0;
    const seen: string[] = [];
    for (let seed = 1; seed <= 5; seed++) {
      w.sandbox.faults.clear();
      w.sandbox.faults.add({ kind: 'error_text', bot: 'canary_bot', text: '⚠️ Error: upstream model overloaded', probability: 0.3, seed });
      w.sandbox.faults.add({ kind: 'error_text', bot: 'stable_bot', text: '⚠️ Error: upstream model overloaded', probability: 0.3, seed: 100 + seed });
      const r = await w.cli(['run', '--json']);
      const v = j(r);
      const fails = (t: string): string[] => v.scenarios.filter((s) => s.target === t && s.status === 'fail').map((s) => s.name);
      if (fails('canary').some((n) => !fails('stable').includes(n))) differentScenarios += 1;
      seen.push(`seed ${seed}: canary ${fails('canary').length}/12, stable ${fails('stable').length}/12, ${v.verdict}`);
      expect(r.code, `seed ${seed}: ${reasonsOf(r)}`).toBe(3);
      expect(v.verdict).toBe('inconclusive');
      expect(v.decision).toBe('hold');
      expect(v.reasons.filter((x) => x.startsWith('canary regression'))).toEqual([]);
      expect(fails('canary').length, `seed ${seed}`).toBeGreaterThan(0);
      expect(v.failureRates?.runs).toBe(seed);
      if (seed > 1) {
        expect(reasonsOf(r)).toMatch(/shared cause: \d+ canary failure\(s\) in this run have a cause stable shows too .*error text "error: upstream model overloaded"/);
        expect(v.failureRates?.sharedCauses.map((c) => c.cause)).toContain('text:error: upstream model overloaded');
      }
    }
    // the outage hit scenarios in canary that stable passed in the same run: per-scenario matching cannot help
    expect(differentScenarios, seen.join('\n')).toBeGreaterThanOrEqual(4);
  }, 120_000);

  it('the same random failures on canary alone, with a canary-only error text, fail once the window holds enough of them', async () => {
    conversionSuite();
    w.sandbox.faults.add({ kind: 'error_text', bot: 'canary_bot', text: 'Error: KeyError: price_per_unit', probability: 0.4, seed: 7 });
    w.sandbox.faults.add({ kind: 'error_text', bot: 'stable_bot', text: '⚠️ Error: upstream model overloaded', probability: 0.05, seed: 8 });
    const verdicts: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await w.cli(['run', '--json']);
      const v = j(r);
      verdicts.push(`${v.verdict}/${v.decision}`);
      expect(['inconclusive/hold', 'fail/rollback'], reasonsOf(r)).toContain(`${v.verdict}/${v.decision}`);
      if (i === 2) {
        expect(r.code, reasonsOf(r)).toBe(1);
        expect(reasonsOf(r)).toMatch(/canary regression: failure rate overall: canary fails more often than stable: canary \d+% \(\d+\/\d+\) vs stable \d+(\.\d)?% \(\d+\/\d+\), Fisher p=/);
      }
    }
    expect(verdicts[2]).toBe('fail/rollback');
  }, 90_000);
});
