/**
 * The zoo, end to end: each case starts its own sandbox (in this process) with the zoo bot as canary_bot, runs the
 * real CLI (`dist/cli/main.js`, built by `npm test`) on the SHIPPED scenarios against it as a child process, and
 * asserts the exact exit code. Cases run concurrently (each with its own sandbox, database and temp dir); at the
 * end the confusion matrix (missed regressions, false alarms, wrong inconclusive) is printed and written to
 * reports/zoo-matrix.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_GROUPS, startSandbox, type BotExport } from '@tg-canary/sandbox';
import { runCli } from '../e2e/harness.js';
import { CASES, type Exit, type ZooCase } from './cases.js';
import { flakyProvider } from './bots/provider-flaky-shared.js';
import { confusion, formatMatrix, type Outcome } from './matrix.js';

const SHIPPED = resolve(import.meta.dirname, '../../scenarios');
const outcomes: Outcome[] = [];

async function moduleOf(name: string): Promise<BotExport> {
  const mod = (await import(`./bots/${name}.ts`)) as { default: BotExport };
  return mod.default;
}

async function runCase(c: ZooCase, index: number): Promise<{ exits: (number | null)[]; detail: string }> {
  const canary = c.seed !== undefined ? flakyProvider(c.seed) : await moduleOf(c.bot);
  const stable = c.stable === undefined ? 'builtin' : c.seed !== undefined ? flakyProvider(c.seed + 100) : await moduleOf(c.stable);
  const sandbox = await startSandbox({ port: 0, seed: index + 1, bots: { canary_bot: canary, stable_bot: stable }, groups: DEMO_GROUPS });
  const dir = mkdtempSync(join(tmpdir(), 'tg-canary-zoo-'));
  try {
    for (const f of c.faults ?? []) sandbox.faults.add(f);
    const user = await sandbox.createUser({ firstName: 'Zoo' });
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...sandbox.env(user),
      TG_CANARY_DB: join(dir, 'tg-canary.db'),
      SCENARIOS_DIR: SHIPPED,
      REPORTS_DIR: join(dir, 'reports'),
      MESSAGE_PACING_MS: '0',
      LOG_LEVEL: 'warn',
      ...c.env,
    };
    const exits: (number | null)[] = [];
    const details: string[] = [];
    for (let run = 0; run < c.exits.length; run++) {
      if (run > 0 && c.redeploy) await sandbox.setBot('canary_bot', await moduleOf(c.bot));
      const r = await runCli(['run', '--json', ...(c.suite ? ['--suite', c.suite] : []), ...(c.scenario ? ['--scenario', c.scenario] : [])], env, { timeoutMs: 280_000 });
      exits.push(r.code);
      const failed = (r.json?.scenarios ?? []).filter((s) => s.status !== 'pass').map((s) => `${s.target}/${s.name}: ${s.status} ${s.reasons.slice(0, 2).join('; ')}`);
      details.push(`run ${run + 1}: exit ${r.code} ${r.json?.verdict ?? r.stderr.slice(0, 400)}\n  ${(r.json?.reasons ?? []).slice(0, 4).join('\n  ')}\n  ${failed.slice(0, 6).join('\n  ')}`);
    }
    return { exits, detail: details.join('\n') };
  } finally {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.concurrent('the zoo: realistic bots judged end to end on the shipped scenarios', () => {
  CASES.forEach((c, index) => {
    const label = `${c.kind} ${c.bot}${c.seed !== undefined ? ` (seed ${c.seed})` : ''}${c.faults ? ' + Telegram fault' : ''}${c.exits.length > 1 ? ' ×2 runs' : ''}: ${c.why}`;
    it(label, { timeout: 300_000 }, async () => {
      const { exits, detail } = await runCase(c, index);
      exits.forEach((got, run) => outcomes.push({ label, run: run + 1, expected: c.exits[run] as Exit, got }));
      expect(exits, detail).toEqual(c.exits);
    });
  });
});

afterAll(() => {
  if (outcomes.length === 0) return;
  const m = confusion(outcomes);
  const text = formatMatrix(m);
  process.stdout.write(`\n${text}\n`);
  mkdirSync('reports', { recursive: true });
  writeFileSync(join('reports', 'zoo-matrix.json'), JSON.stringify({ ...m, outcomes }, null, 2));
});
