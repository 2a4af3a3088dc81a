#!/usr/bin/env node
/**
 * Issue 7 row 4 — peak memory of one run (no Chromium: the shipped scenarios have no web: step). `tg-canary run`
 * with all shipped scenarios against a sandbox in a child process, under `/usr/bin/time -v` (maximum resident set
 * size); without it, a preload prints `process.resourceUsage().maxRSS` at exit. Always exits 0.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bench, cliEnv, runBench, runCli, startSandboxChild, tempDir } from './lib.mjs';

runBench('run-memory', async () => {
  const sb = await startSandboxChild();
  const tmp = tempDir();
  const env = cliEnv(sb.env, tmp.dir);
  try {
    let kb;
    let how;
    if (existsSync('/usr/bin/time')) {
      const r = await runCli(['run', '--json'], env, { wrap: ['/usr/bin/time', '-v'] });
      const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
      if (!m) throw new Error(`no /usr/bin/time output (exit ${r.code})`);
      kb = Number(m[1]);
      how = 'time-v';
    } else {
      const pre = join(tmp.dir, 'maxrss.mjs');
      writeFileSync(pre, "process.on('exit', () => process.stderr.write(`MAXRSS ${process.resourceUsage().maxRSS}\\n`));\n");
      const r = await runCli(['run', '--json'], env, { nodeArgs: ['--import', pre] });
      const m = /MAXRSS (\d+)/.exec(r.stderr);
      if (!m) throw new Error(`no maxRSS reported (exit ${r.code})`);
      kb = Number(m[1]);
      how = 'resourceUsage';
    }
    bench(`run-peak-rss-${how}`, kb / 1024, 'MB', '<=', 150);
  } finally {
    await sb.stop();
    tmp.remove();
  }
});
