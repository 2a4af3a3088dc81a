/**
 * Issue 15 #8: the exit code is the contract a Job reads. A FAIL verdict must exit 1 even when teardown hangs
 * (a canary still editing its answer when the run ends), and a command whose promise never settles must exit 3
 * with an error, never 0. Real CLI (`demo` with its own sandbox), real child processes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bounded } from '../../src/util/bounded.js';
import { startCli } from './helpers.js';
import { convertScenario } from '../support/scenarios.js';

const dir = mkdtempSync(join(tmpdir(), 'tg-canary-exit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scenario = convertScenario({ timeout: '8s' });

function demoDir(name: string, bot: string): { cwd: string; args: string[] } {
  const cwd = join(dir, name);
  mkdirSync(join(cwd, 'sc'), { recursive: true });
  writeFileSync(join(cwd, 'sc', 'convert.yaml'), scenario);
  writeFileSync(join(cwd, 'bot.mjs'), bot);
  return { cwd, args: ['demo', '--canary-bot', join(cwd, 'bot.mjs'), '--scenarios', join(cwd, 'sc'), '--reports-dir', join(cwd, 'reports')] };
}

const env = (): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn' });

describe('demo: the verdict decides the exit code, whatever teardown does', () => {
  it('a canary still editing its wrong answer after the run: FAIL, exit 1 (was 0)', async () => {
    const d = demoDir('editing', `export default {
  async onMessage(msg, chat) {
    const id = await chat.reply('thinking', { replyTo: msg.id });
    for (let i = 0; i < 1000; i++) { await chat.sleep(300); await chat.edit(id, 'thinking' + '.'.repeat(i % 5)); }
  },
};`);
    const live = startCli(d.args, env(), { timeoutMs: 40_000 });
    const end = await live.exited;
    expect(live.stdout()).toMatch(/verdict: FAIL\s+decision: rollback/);
    expect(end.code, live.stderr()).toBe(1);
  });

  it('healthy variant: a canary that answers right and stops exits 0', async () => {
    const d = demoDir('healthy', `export default {
  async onMessage(msg, chat) { await chat.reply('10 km = 6.21 miles', { replyTo: msg.id }); },
};`);
    const live = startCli(d.args, env(), { timeoutMs: 40_000 });
    const end = await live.exited;
    expect(live.stdout()).toMatch(/verdict: PASS/);
    expect(end.code, live.stderr()).toBe(0);
  });
});

/** Runs a tiny ESM program against the built guard; returns its exit code and stderr. */
function runGuard(body: string): Promise<{ code: number | null; stderr: string }> {
  const guard = resolve(__dirname, '../../dist/cli/drain-guard.js');
  const src = `import { guardDrainedLoop } from ${JSON.stringify(guard)};\n${body}`;
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', src], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('close', (code) => done({ code, stderr }));
  });
}

describe('a drained event loop before the command finished', () => {
  it('exits 3 with EVENT_LOOP_DRAINED (Node alone would exit 0)', async () => {
    const r = await runGuard(`guardDrainedLoop(new Promise(() => {}), { resolved: () => process.exit(0), rejected: () => process.exit(9) });`);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/the command stopped before it finished.*\[EVENT_LOOP_DRAINED\]/s);
  });

  it('exits 3 even when the command had already set exitCode 0', async () => {
    const r = await runGuard(`process.exitCode = 0; guardDrainedLoop(new Promise(() => { setTimeout(() => {}, 50).unref(); }), { resolved: () => process.exit(0), rejected: () => process.exit(9) });`);
    expect(r.code).toBe(3);
  });

  it('healthy variant: a command that settles exits as the command decides, with no error', async () => {
    const r = await runGuard(`guardDrainedLoop(new Promise((ok) => setTimeout(ok, 50)), { resolved: () => process.exit(1), rejected: () => process.exit(9) });`);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
  });
});

describe('bounded teardown steps', () => {
  it('a step that never settles is cut off at its deadline and reported', async () => {
    const timedOut: string[] = [];
    const t0 = Date.now();
    const out = await bounded('never', new Promise(() => {}), 200, { onTimeout: (n) => timedOut.push(n) });
    expect(out.outcome).toBe('timeout');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(timedOut).toEqual(['never']);
  });

  it('a step that throws is done, with its error; one that resolves is done', async () => {
    const errs: unknown[] = [];
    const bad = await bounded('bad', () => { throw new Error('boom'); }, 1000, { onError: (_n, e) => errs.push(e) });
    expect(bad.outcome).toBe('done');
    expect(String(errs[0])).toMatch(/boom/);
    expect((await bounded('ok', Promise.resolve(1), 1000)).outcome).toBe('done');
  });
});
