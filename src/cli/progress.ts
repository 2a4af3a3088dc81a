/**
 * Live progress for `run` and `demo`: in a terminal, one line per scenario and target that updates while it waits;
 * plain lines when not a TTY or with NO_COLOR. Bot text never goes here, only names, statuses and timings.
 */
import { formatMs } from '../util/html.js';
import type { Scenario, ScenarioResult, TargetName } from '../core/types.js';
import type { ProgressSink } from '../app/run-job.js';
import { safeText } from '../util/terminal-text.js';

const ICON: Record<string, string> = { pass: '✔', fail: '✖', error: '!', skipped: '-' };

export function createProgress(out: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): ProgressSink & { stop(): void } {
  const fancy = Boolean(out.isTTY) && !env.NO_COLOR && env.TERM !== 'dumb';
  const color = (code: number, s: string): string => (fancy ? `\x1b[${code}m${s}\x1b[0m` : s);
  const running = new Map<string, { started: number; label: string }>();
  let ticker: NodeJS.Timeout | undefined;
  let liveShown = false;

  const clearLive = (): void => {
    if (fancy && liveShown) out.write('\r\x1b[2K');
    liveShown = false;
  };
  const drawLive = (): void => {
    if (!fancy || running.size === 0) return;
    const now = Date.now();
    const parts = [...running.values()].map((r) => `${r.label} ${((now - r.started) / 1000).toFixed(1)}s`);
    out.write(`\r\x1b[2K${color(2, `… ${parts.join('  ')}`)}`.slice(0, (out.columns || 120) + 12));
    liveShown = true;
  };
  if (fancy) {
    ticker = setInterval(drawLive, 200);
    ticker.unref();
  }
  const key = (s: string, t: TargetName): string => `${t}/${s}`;
  return {
    scenarioStart(s: Scenario, t: TargetName) {
      running.set(key(s.name, t), { started: Date.now(), label: safeText(`${t}/${s.name}`, { singleLine: true }) });
      if (!fancy) return;
      drawLive();
    },
    scenarioDone(r: ScenarioResult) {
      running.delete(key(r.scenario, r.target));
      clearLive();
      const status = r.status.toUpperCase().padEnd(7);
      const colored = r.status === 'pass' ? color(32, status) : r.status === 'fail' ? color(31, status) : color(33, status);
      // The scenario's slowest step: prompt → first token (typing/draft) → first message → final text.
      const lat = r.latencyMs.final === null ? '' : ` final ${formatMs(r.latencyMs.final)}`;
      const first = r.latencyMs.first === null ? '' : ` first ${formatMs(r.latencyMs.first)}`;
      const token = r.latencyMs.firstToken == null || r.latencyMs.firstToken === r.latencyMs.first ? '' : ` token ${formatMs(r.latencyMs.firstToken)}`;
      // reasons quote bot replies: their control characters are escaped, never sent to the terminal raw
      const why = r.status === 'pass' ? '' : `  ${safeText(r.reasons.slice(0, 2).join('; '), { singleLine: true }).slice(0, 160)}`;
      const text = (s: string): string => safeText(s, { singleLine: true });
      const name = `${text(r.scenario)}${r.attempt !== undefined ? ` #${r.attempt}` : ''}`;
      out.write(`${ICON[r.status] ?? ' '} ${colored} ${r.target.padEnd(6)} ${text(r.suite).padEnd(7)} ${name.padEnd(28)} ${formatMs(r.finishedAt - r.startedAt).padStart(8)}  slowest step:${token}${first}${lat}${why}
`);
      drawLive();
    },
    stop() {
      if (ticker) clearInterval(ticker);
      clearLive();
    },
  };
}
