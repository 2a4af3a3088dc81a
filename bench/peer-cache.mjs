#!/usr/bin/env node
/**
 * Issue 19 point 6 (the resolveUsername part) — the peer cache: `contacts.resolveUsername` calls of a second
 * `tg-canary run` on the same database (target 0: both bots come from the cache). A sandbox runs in a child
 * process; each run is the bundled CLI, one scenario on canary and stable. The first run's count (2, one per bot)
 * is printed for information. Always exits 0.
 */
import { bench, cliEnv, runBench, runCli, startSandboxChild, tempDir } from './lib.mjs';

runBench('peer-cache', async () => {
  const sb = await startSandboxChild();
  const tmp = tempDir();
  const env = cliEnv(sb.env, tmp.dir, { MESSAGE_PACING_MS: '0' });
  const args = ['run', '--scenario', 'favor-convert-units', '--json'];

  /** One run: its resolveUsername calls, as the sandbox logged them. */
  const once = async () => {
    await sb.call({ cmd: 'callLog' }); // clears it
    const r = await runCli(args, env);
    const verdict = (() => {
      try {
        return JSON.parse(r.stdout).verdict;
      } catch {
        return undefined;
      }
    })();
    if (verdict !== 'pass') throw new Error(`run did not pass (exit ${r.code}): ${r.stderr.slice(0, 400)}`);
    return (await sb.call({ cmd: 'callLog', method: 'contacts.ResolveUsername' })).log.length;
  };

  try {
    const first = await once();
    const second = await once();
    bench('resolve-username-first-run', first, 'calls');
    bench('resolve-username-second-run', second, 'calls', '<=', 0);
  } finally {
    await sb.stop();
    tmp.remove();
  }
});
