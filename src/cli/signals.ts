import { TgCanaryError } from '../core/errors.js';
import { abandonActiveRuns } from '../app/run-job.js';

/** A hard exit still stores the run in progress as aborted and gives the session lease back (synchronous writes). */
function hardExit(): void {
  const n = abandonActiveRuns();
  process.stderr.write(n > 0 ? 'tg-canary: stopping now; the run was stored as aborted\n' : 'tg-canary: stopping now\n');
  process.exit(3);
}

/**
 * SIGINT/SIGTERM (a pod eviction) abort the current run: it is stored as aborted with what it has. A second
 * signal, or 10 s without finishing, ends the process.
 */
export function abortOnSignals(onHardExit: () => void = hardExit): { signal: AbortSignal; dispose(): void } {
  const ac = new AbortController();
  let hard: NodeJS.Timeout | undefined;
  const handler = (sig: NodeJS.Signals): void => {
    if (ac.signal.aborted) return onHardExit();
    process.stderr.write(`tg-canary: ${sig} received, finishing up (stored as aborted)…\n`);
    ac.abort(new TgCanaryError('RUN_ABORTED', `run aborted by ${sig}`, { kind: 'infra', hint: 'The process was asked to stop (e.g. a pod eviction); the next run will judge the canary.' }));
    hard = setTimeout(onHardExit, 9_000);
    hard.unref();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: ac.signal,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
      if (hard) clearTimeout(hard);
    },
  };
}
