#!/usr/bin/env node
/**
 * Issue 7 row 2 — cold start, the CronJob case: process start → first message sent, with a stored session.
 * A sandbox runs in a child process; `node dist/cli/main.js run` (one scenario, canary only) and the bare gramjs
 * script bench/bare-send.mjs are spawned alternately, BENCH_RUNS times each (default 20, after one warm-up each;
 * on this shared 2-core machine a median of 10 still moved by ±0.05x from one run to the next).
 * "First message sent" = the sandbox's call-log timestamp of the first messages.SendMessage minus the spawn time
 * (both on this machine's clock). Also prints spawn → exit of each, for information. Always exits 0.
 */
import { join } from 'node:path';
import { bench, benchDir, cliEnv, median, runBench, startSandboxChild, tempDir } from './lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);

runBench('cold-start', async () => {
  const sb = await startSandboxChild();
  const tmp = tempDir();
  const env = cliEnv(sb.env, tmp.dir, { MESSAGE_PACING_MS: '0' });
  const cliArgs = ['run', '--target', 'canary', '--scenario', 'favor-convert-units', '--json'];
  const bare = join(benchDir, 'bare-send.mjs');

  /** Spawns one process and returns ms from spawn to the sandbox's first messages.SendMessage, and to exit. */
  const once = async (args) => {
    await sb.call({ cmd: 'callLog' }); // clears it
    const r = await new Promise((resolve, reject) => {
      import('node:child_process').then(({ spawn }) => {
        const spawnAt = Date.now();
        const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
        let err = '';
        child.stdout.resume();
        child.stderr.on('data', (d) => (err += d));
        const t = setTimeout(() => child.kill('SIGKILL'), 60_000);
        child.on('error', reject);
        child.on('close', (code) => {
          clearTimeout(t);
          resolve({ code, spawnAt, exitAt: Date.now(), err });
        });
      }, reject);
    });
    const log = (await sb.call({ cmd: 'callLog', method: 'messages.SendMessage' })).log;
    if (!log.length) throw new Error(`no message was sent (exit ${r.code}): ${r.err.slice(0, 400)}`);
    return { firstSend: log[0].at - r.spawnAt, exit: r.exitAt - r.spawnAt };
  };

  try {
    await once([join(benchDir, '..', 'dist', 'cli', 'main.js'), ...cliArgs]);
    await once([bare]);
    const cli = [];
    const raw = [];
    for (let i = 0; i < RUNS; i++) {
      cli.push(await once([join(benchDir, '..', 'dist', 'cli', 'main.js'), ...cliArgs]));
      raw.push(await once([bare]));
    }
    const cliMed = median(cli.map((x) => x.firstSend));
    const bareMed = median(raw.map((x) => x.firstSend));
    bench('cold-start-first-send-median', cliMed / 1000, 's', '<=', 1.0);
    bench('cold-start-bare-first-send-median', bareMed / 1000, 's');
    bench('cold-start-vs-bare', cliMed / bareMed, 'x', '<=', 1.3);
    bench('cold-start-exit-median', median(cli.map((x) => x.exit)) / 1000, 's');
    bench('cold-start-bare-exit-median', median(raw.map((x) => x.exit)) / 1000, 's');
    bench('cold-start-runs', cli.length, 'count', '>=', 10);
  } finally {
    await sb.stop();
    tmp.remove();
  }
});
