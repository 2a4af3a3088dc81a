/** `tg-canary incidents`: failing streaks grouped into incidents, with their reasons and reports (issue 17). */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { loadConfig } from '../config/index.js';
import type { TargetName } from '../core/types.js';
import { buildRuntime } from '../app/runtime.js';
import { safeText } from '../util/terminal-text.js';
import { parseIntArg } from './cmd-run.js';
import { fail } from './fatal.js';

interface IncidentsFlags {
  days: number;
  target?: TargetName;
  json?: boolean;
  config?: string;
}

function parseOneTarget(v: string): TargetName {
  if (v === 'canary' || v === 'stable') return v;
  throw new InvalidArgumentError('expected canary or stable');
}

function duration(ms: number): string {
  const m = Math.max(0, Math.round(ms / 60_000));
  return m < 60 ? `${m}m` : `${Math.floor(m / 60)}h ${m % 60}m`;
}

export function registerIncidents(program: Command): void {
  program
    .command('incidents')
    .description('failing streaks grouped into incidents: start, end, duration, reasons, reports')
    .option('--days <n>', 'how many days back', parseIntArg, 90)
    .option('--target <name>', 'canary or stable (default both)', parseOneTarget)
    .option('--json', 'JSON output')
    .option('--config <file>', 'config file')
    .action(async (flags: IncidentsFlags) => {
      try {
        const config = await loadConfig({ env: process.env, file: flags.config, require: [] });
        const store = buildRuntime(config, { storeMode: 'readonly' }).store;
        try {
          const now = Date.now();
          const list = store.incidents({ now, days: Math.max(1, flags.days), target: flags.target });
          if (flags.json) {
            process.stdout.write(`${JSON.stringify({ incidents: list.map((i) => ({
              ...i, startedAt: new Date(i.startedAt).toISOString(), endedAt: i.endedAt === null ? null : new Date(i.endedAt).toISOString(),
              reports: [...new Set([i.firstRunId, i.lastRunId])].map((id) => `${config.paths.reports}/${id}/report.html`),
            })) }, null, 2)}\n`);
            return;
          }
          for (const i of list) {
            const end = i.endedAt === null ? 'ongoing' : new Date(i.endedAt).toISOString().slice(0, 19);
            process.stdout.write(`${i.target.padEnd(7)} ${new Date(i.startedAt).toISOString().slice(0, 19)}  ${end.padEnd(19)}  ${duration(i.durationMs).padStart(8)}  ${String(i.failingRuns).padStart(3)} failing run${i.failingRuns === 1 ? '' : 's'}\n`);
            // reasons come from bot replies: control characters escaped
            for (const r of i.reasons.slice(0, 5)) process.stdout.write(`        ${safeText(r.slice(0, 160), { singleLine: true })}\n`);
            process.stdout.write(`        report: ${config.paths.reports}/${i.firstRunId}/report.html\n`);
          }
          process.stdout.write(`${list.length} incident${list.length === 1 ? '' : 's'} in the last ${flags.days} days\n`);
        } finally {
          store.close();
        }
      } catch (e) {
        fail(e);
      }
    });
}
