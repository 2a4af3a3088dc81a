#!/usr/bin/env node
/**
 * Issue 19 point 6 — a fleet from one account. 20 bot pairs (40 demo bots in a sandbox child process), every
 * shipped scenario on each pair's canary and stable, one `tg-canary run` with `pairs:` (one account, one
 * connection, the pairs concurrently). A warm-up cycle first (it resolves the 40 bots, within the account's
 * resolveUsername limit, and plants the cross-run memory facts). Then, measured:
 * - fleet-cycle-vs-slowest: the measured cycle's wall time (earliest pair start → latest pair finish, from the
 *   verdicts) over the slowest pair's critical path, measured as that pair's run alone (`--pair NAME`) on the
 *   same account and sandbox right after (target ≤ 1.2);
 * - fleet-peak-rss: peak RSS of the measured cycle's process (`/usr/bin/time -v`; fallback maxRSS), target ≤ 200 MB;
 * - fleet-resolve-username-second-run: `contacts.resolveUsername` calls of the measured cycle (target 0).
 * BENCH_PAIRS overrides the 20 pairs. Always exits 0.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bench, cliEnv, runBench, runCli, startSandboxChild, tempDir } from './lib.mjs';

const PAIRS = Number(process.env.BENCH_PAIRS ?? 20);

function cycleSpan(out) {
  const runs = out.pairs.map((p) => p.verdict).filter(Boolean);
  if (runs.length !== out.pairs.length) throw new Error(`${out.pairs.length - runs.length} pairs have no verdict`);
  const start = Math.min(...runs.map((v) => Date.parse(v.startedAt)));
  const end = Math.max(...runs.map((v) => Date.parse(v.finishedAt)));
  return { wall: end - start, runs };
}

function parse(r, what) {
  try {
    return JSON.parse(r.stdout);
  } catch {
    const err = r.stderr.split('\tCommand being timed')[0];
    throw new Error(`${what} printed no JSON (exit ${r.code}): stdout ${JSON.stringify(r.stdout.slice(0, 300))} stderr ${err.slice(0, 1500)}`);
  }
}

function notPassing(out) {
  return out.pairs.filter((p) => p.verdict?.verdict !== 'pass').map((p) => `${p.pair}=${p.verdict?.verdict ?? p.error?.code}: ${(p.verdict?.reasons ?? []).join(' | ').slice(0, 300)}`);
}

runBench('fleet', async () => {
  const sb = await startSandboxChild({ fleet: PAIRS });
  const tmp = tempDir();
  const config = join(tmp.dir, 'fleet.yaml');
  const lines = ['pairs:'];
  for (let i = 0; i < PAIRS; i++) lines.push(`  - { name: pair-${i}, canary: fleet${i}_canary_bot, stable: fleet${i}_stable_bot }`);
  writeFileSync(config, `${lines.join('\n')}\n`);
  const env = cliEnv(sb.env, tmp.dir, { CANARY_BOT: '', STABLE_BOT: '' });
  try {
    const warm = await runCli(['run', '--json', '--config', config], env, { timeoutMs: 600_000 });
    const w = parse(warm, 'the warm-up cycle');
    const bad = notPassing(w);
    if (bad.length) console.error(`fleet: warm-up: ${bad.length} pairs did not pass: ${bad.slice(0, 3).join(' ; ')}`);
    await sb.call({ cmd: 'callLog' });

    const wrap = existsSync('/usr/bin/time') ? ['/usr/bin/time', '-v'] : undefined;
    const r = await runCli(['run', '--json', '--config', config], env, { timeoutMs: 600_000, ...(wrap ? { wrap } : {}) });
    const resolves = (await sb.call({ cmd: 'callLog', method: 'contacts.ResolveUsername' })).log.length;
    const out = parse(r, 'the measured cycle');
    const badNow = notPassing(out);
    if (badNow.length) console.error(`fleet: measured cycle: ${badNow.length} pairs did not pass: ${badNow.slice(0, 3).join(' ; ')}`);
    const { wall } = cycleSpan(out);
    const slowest = out.pairs
      .map((p) => ({ pair: p.pair, ms: Date.parse(p.verdict.finishedAt) - Date.parse(p.verdict.startedAt) }))
      .sort((a, b) => b.ms - a.ms)[0];

    const alone = await runCli(['run', '--json', '--config', config, '--pair', slowest.pair], env, { timeoutMs: 300_000 });
    const a = parse(alone, 'the slowest pair alone');
    const { wall: aloneMs } = cycleSpan(a);
    console.error(`fleet: ${PAIRS} pairs; cycle ${(wall / 1000).toFixed(1)} s; slowest pair ${slowest.pair} ${(slowest.ms / 1000).toFixed(1)} s in the cycle, ${(aloneMs / 1000).toFixed(1)} s alone`);
    bench('fleet-cycle-s', wall / 1000, 's');
    bench('fleet-slowest-pair-alone-s', aloneMs / 1000, 's');
    bench('fleet-cycle-vs-slowest', wall / aloneMs, 'x', '<=', 1.2);
    if (wrap) {
      const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
      if (!m) throw new Error(`no /usr/bin/time output (exit ${r.code})`);
      bench('fleet-peak-rss', Number(m[1]) / 1024, 'MB', '<=', 200);
    } else {
      console.error('fleet: /usr/bin/time missing: no peak RSS');
    }
    bench('fleet-resolve-username-second-run', resolves, 'calls', '<=', 0);
  } finally {
    await sb.stop();
    tmp.remove();
  }
});
