/**
 * The verdict policy reached through the real CLI and the sandbox: a latency regression found by the
 * Mann-Whitney comparison over several runs, no latency reason for equal bots, and a shared outage (stable fails
 * the same scenario) that is inconclusive, exit 3, decision hold — never a rollback.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type CliResult, type World } from '../e2e/harness.js';
import { CONVERT } from './helpers.js';

let w: World;

beforeAll(async () => {
  w = await createWorld();
});
afterAll(async () => {
  await w?.close();
});
afterEach(() => {
  w.freshDb();
  w.sandbox.faults.clear();
});

/** Three scenarios of one suite: three latency samples per target and run. */
function threeConversions(): void {
  for (const [i, n] of [10, 20, 30].entries()) {
    w.writeScenario(`convert-${i}`, `
name: convert-${n}
suite: favor
targets: [canary, stable]
timeout: 15s
steps:
  - send: "Convert ${n} km to miles"
  - expect:
      timeout: 4s
      settle: 200ms
      assert:
        - { type: contains, value: "km", critical: true }
`, { only: i === 0 });
  }
}

const LATENCY_ENV = { LATENCY_WINDOW_RUNS: '2', LATENCY_TOLERANCE: '0.2', LATENCY_ALPHA: '0.05' };
type Json = NonNullable<CliResult['json']> & { decision?: string; consecutiveFailures?: number };
const reasonsOf = (r: CliResult): string => (r.json?.reasons ?? []).join(' | ');

describe('verdicts through the CLI', () => {
  it('a canary slower than stable over several runs fails with a Mann-Whitney latency reason', async () => {
    threeConversions();
    w.sandbox.faults.add({ kind: 'latency', bot: 'canary_bot', ms: 700 });
    // run 1: three samples per side, fewer than the comparison needs: no latency judgement yet
    const r1 = await w.cli(['run', '--json'], LATENCY_ENV);
    expect(r1.code, `${r1.stderr}\n${reasonsOf(r1)}`).toBe(0);
    expect(reasonsOf(r1)).not.toMatch(/latency regression/);
    // run 2: six samples per side over the window of runs
    const r2 = await w.cli(['run', '--json'], LATENCY_ENV);
    expect(r2.json?.verdict, `${r2.stderr}\n${reasonsOf(r2)}`).toBe('fail');
    expect(r2.code).toBe(1);
    expect(reasonsOf(r2)).toMatch(/latency regression: suite favor: canary median \d+ ms vs stable \d+ ms .*Mann-Whitney p=[\d.e-]+, n=6\/6/);
    expect((r2.json as Json).decision).toBe('rollback');
    // every scenario passed on its own: the failure is the latency comparison alone
    expect(r2.json?.scenarios.every((s) => s.status === 'pass')).toBe(true);
    const canaryMin = Math.min(...r2.json!.scenarios.filter((s) => s.target === 'canary').map((s) => s.latencyMs.final ?? 0));
    expect(canaryMin).toBeGreaterThanOrEqual(700);
  }, 60_000);

  it('equal bots: no latency reason, pass', async () => {
    threeConversions();
    for (let i = 0; i < 2; i++) {
      const r = await w.cli(['run', '--json'], LATENCY_ENV);
      expect(r.json?.verdict, `${r.stderr}\n${reasonsOf(r)}`).toBe('pass');
      expect(r.code).toBe(0);
      expect(reasonsOf(r)).not.toMatch(/latency/i);
      expect((r.json as Json).decision).toBe('promote');
    }
  }, 60_000);

  it('shared outage: stable fails the same scenario → inconclusive "stable fails too", exit 3, hold', async () => {
    w.writeScenario('convert', CONVERT());
    for (const bot of ['canary_bot', 'stable_bot']) w.sandbox.faults.add({ kind: 'error_text', bot, text: 'Error: upstream model overloaded' });
    const r = await w.cli(['run', '--json']);
    expect(r.json?.verdict, `${r.stderr}\n${reasonsOf(r)}`).toBe('inconclusive');
    expect(r.code).toBe(3);
    expect(reasonsOf(r)).toMatch(/shared cause: 5 canary failure\(s\) in this run have a cause stable shows too .*error text "error: upstream model overloaded" \(canary 5, stable 5\); stable fails too: convert/);
    expect(reasonsOf(r)).not.toMatch(/canary regression/);
    expect((r.json as Json).decision).toBe('hold');
    expect(r.json?.scenarios.map((s) => [s.target, s.status])).toHaveLength(10);
    expect(r.json?.scenarios.every((s) => s.status === 'fail')).toBe(true);
    // the next run on the same database, the error on canary alone: stable showed this very error text within the
    // window (the run before), so it is still a shared cause: hold, not rollback
    w.sandbox.faults.clear();
    w.sandbox.faults.add({ kind: 'error_text', bot: 'canary_bot', text: 'Error: upstream model overloaded' });
    const r2 = await w.cli(['run', '--json']);
    expect(r2.code, reasonsOf(r2)).toBe(3);
    expect(reasonsOf(r2)).toMatch(/shared causes in the last 2 run\(s\): .*error text "error: upstream model overloaded" \(canary 10, stable 5\)/);
    // with no such error on stable in the window, the same failure on canary alone is a regression and a rollback
    w.freshDb();
    const r3 = await w.cli(['run', '--json']);
    expect(r3.code, r3.stderr).toBe(1);
    expect(reasonsOf(r3)).toMatch(/canary regression: failure rate overall: .*canary 100% \(5\/5\) vs stable 0% \(0\/5\).*failed in this run: convert ×5/);
    expect((r3.json as Json).decision).toBe('rollback');
  }, 60_000);
});
