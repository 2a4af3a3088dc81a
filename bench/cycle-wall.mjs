#!/usr/bin/env node
/**
 * Issue 7 row 3 — cycle wall time. `tg-canary run` (all shipped scenarios, canary and stable) against a sandbox in
 * a child process whose demo bots sleep L ms (BENCH_L, default 500) before every message and button press.
 *
 * Critical path, defined from what the bots actually did (recorded in the sandbox) and the scenario settle windows:
 * for each target, the prompts p (each `send` and `click`) in scenario order; S(p) = time from the bot receiving p to
 * its last reply/edit/deletion caused by p (before the next prompt arrives; includes L and the bot's own work, e.g.
 * a 2 s reminder); settle(p) = the settle window of the last `expect` that waits on p's output. A chat is
 * sequential, so target time = Σ_p (S(p) + settle(p)); canary and stable run in parallel, so the critical path is the
 * max over targets. Compared with the run's wall time (verdict startedAt → finishedAt; target ≤ 1.1×); the process
 * wall time (spawn → exit) is printed too. A warm-up run first plants the cross-run memory fact. Always exits 0.
 */
import { bench, cliEnv, dist, root, runBench, runCli, startSandboxChild, tempDir } from './lib.mjs';
import { join } from 'node:path';

const L = Number(process.env.BENCH_L ?? 500);

/** Prompts of each scenario for a target: the settle window that closes each one. */
function promptPlan(scenarios, target) {
  const plan = [];
  for (const s of scenarios.filter((x) => x.targets.includes(target))) {
    let current;
    for (const step of s.steps) {
      if (step.kind === 'send' || step.kind === 'click') {
        current = { scenario: s.name, kind: step.kind, settleMs: 0 };
        plan.push(current);
        if (step.kind === 'click' && step.expect && current) current.settleMs = step.expect.settleMs;
      } else if (step.kind === 'expect' && current) {
        current.settleMs = step.expect.settleMs;
      } else if (step.kind === 'wait' && current) {
        current.settleMs += step.ms;
      }
    }
  }
  return plan;
}

/** Σ over prompts of (bot activity span + settle window) for one bot's recorded log. */
function targetPath(plan, log) {
  const prompts = [];
  for (const e of log) {
    if (e.kind === 'prompt') prompts.push({ at: e.at, last: e.at });
    else if (prompts.length) prompts[prompts.length - 1].last = e.at;
  }
  let total = 0;
  for (let i = 0; i < Math.min(plan.length, prompts.length); i++) total += prompts[i].last - prompts[i].at + plan[i].settleMs;
  return { total, prompts: prompts.length, planned: plan.length };
}

runBench('cycle-wall', async () => {
  const { loadScenarioSet } = await dist('app/scenario-set.js');
  const scenarios = await loadScenarioSet(join(root, 'scenarios'));
  const sb = await startSandboxChild({ latencyMs: 0 });
  const tmp = tempDir();
  const env = cliEnv(sb.env, tmp.dir);
  try {
    const warm = await runCli(['run', '--json'], env);
    if (warm.code === null) throw new Error('warm-up run did not finish');
    await sb.call({ cmd: 'latency', ms: L });
    await sb.call({ cmd: 'botLog' });
    const r = await runCli(['run', '--json'], env, { timeoutMs: 170_000 });
    const log = (await sb.call({ cmd: 'botLog' })).log;
    let verdict;
    try {
      verdict = JSON.parse(r.stdout);
    } catch {
      throw new Error(`run printed no verdict JSON (exit ${r.code}): ${r.stderr.slice(0, 400)}`);
    }
    const wall = Date.parse(verdict.finishedAt) - Date.parse(verdict.startedAt);
    if (verdict.verdict !== 'pass') console.error(`cycle-wall: verdict ${verdict.verdict}: ${(verdict.reasons ?? []).join(' | ').slice(0, 800)} ${JSON.stringify((verdict.scenarios ?? []).filter((x) => x.status !== 'pass')).slice(0, 800)}`);
    const paths = {};
    for (const [target, bot] of [['canary', 'canary_bot'], ['stable', 'stable_bot']]) {
      paths[target] = targetPath(promptPlan(scenarios, target), log.filter((e) => e.bot === bot));
      if (paths[target].prompts !== paths[target].planned) {
        console.error(`cycle-wall: ${target} bot saw ${paths[target].prompts} prompts, the scenarios have ${paths[target].planned}`);
      }
    }
    const critical = Math.max(paths.canary.total, paths.stable.total);
    bench('cycle-bot-latency', L, 'ms');
    bench('cycle-verdict', verdict.verdict, 'verdict');
    bench('cycle-prompts-per-target', paths.canary.prompts, 'count', '>=', paths.canary.planned);
    bench('cycle-critical-path', critical / 1000, 's');
    bench('cycle-wall-run', wall / 1000, 's');
    bench('cycle-wall-process', (r.exitAt - r.spawnAt) / 1000, 's');
    bench('cycle-wall-vs-critical', wall / critical, 'x', '<=', 1.1);
    bench('cycle-process-vs-critical', (r.exitAt - r.spawnAt) / critical, 'x');
  } finally {
    await sb.stop();
    tmp.remove();
  }
});
