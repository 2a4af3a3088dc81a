/** What `tg-canary run` prints with `pairs:`: one line per pair, or one JSON document with every pair's verdict. */
import type { FleetOnceOutput } from '../app/fleet-once.js';
import { worstVerdict } from '../app/fleet-once.js';
import { safeText } from '../util/terminal-text.js';

/** One line per pair: name, verdict, scenario counts, time, the first reason (bot text: one line, escaped). */
export function renderFleetSummary(out: FleetOnceOutput): string {
  const width = Math.max(4, ...out.outcomes.map((o) => o.pair.length));
  const lines = out.outcomes.map((o) => {
    const name = o.pair.padEnd(width);
    if (!o.out) return `${name}  ERROR         ${o.error ? `${o.error.code}: ${o.error.message}` : 'no result'}`;
    const { run } = o.out;
    const v = run.verdict;
    const total = run.scenarios.length;
    const failed = run.scenarios.filter((s) => s.status === 'fail').length;
    const errored = run.scenarios.filter((s) => s.status === 'error').length;
    const secs = ((run.finishedAt - run.startedAt) / 1000).toFixed(1);
    const reason = v.reasons[0] ? `  ${v.reasons[0].slice(0, 160)}` : '';
    return `${name}  ${v.verdict.toUpperCase().padEnd(12)}  ${total} scenarios, ${failed} failed, ${errored} errors, ${secs} s, run ${run.runId}${reason}`;
  });
  lines.push(`fleet: ${worstVerdict(out.outcomes).toUpperCase()} (${out.outcomes.length} pairs; exit ${out.exitCode}: the worst pair's verdict)`);
  return `${lines.map((l) => safeText(l, { singleLine: true })).join('\n')}\n`;
}

/** `--json`: `{ schema, verdict (the worst), exitCode, pairs: [{ pair, account, verdict | null, error? }] }`. */
export function fleetJson(out: FleetOnceOutput): Record<string, unknown> {
  return {
    schema: 1,
    verdict: worstVerdict(out.outcomes),
    exitCode: out.exitCode,
    pairs: out.outcomes.map((o) => ({
      pair: o.pair,
      account: o.account ?? null,
      runId: o.out?.run.runId ?? null,
      verdict: o.out?.run.verdict ?? null,
      ...(o.error ? { error: { code: o.error.code, message: o.error.message, hint: o.error.hint } } : {}),
      ...(o.out?.blockedBy ? { blockedBy: { code: o.out.blockedBy.code, message: o.out.blockedBy.message } } : {}),
    })),
  };
}

/**
 * Writes `text` to stdout and resolves once it is handed to the OS: a fleet's JSON runs to megabytes, past the
 * pipe's buffer, and the CLI exits (process.exit) right after the command, which would cut a pending write.
 */
export function writeStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (e) => (e ? reject(e) : resolve()));
  });
}
