import type { Command } from 'commander';
import { loadConfig } from '../config/index.js';
import { buildRuntime } from '../app/runtime.js';
import { historyView } from '../app/history-query.js';
import { configForPair } from '../app/fleet-once.js';
import { parseIntArg } from './cmd-run.js';
import { fail } from './fatal.js';

interface HistoryFlags {
  last: number;
  scenario?: string;
  json?: boolean;
  config?: string;
  pair?: string;
}

export function registerHistory(program: Command): void {
  program
    .command('history')
    .description('past runs, pass rate and p50/p95 reply latency per scenario')
    .option('--last <n>', 'how many runs', parseIntArg, 20)
    .option('--scenario <name>', 'only this scenario')
    .option('--json', 'JSON output')
    .option('--config <file>', 'config file')
    .option('--pair <name>', 'the history of this pair of the config\'s pairs:')
    .action(async (flags: HistoryFlags) => {
      try {
        const config = await loadConfig({ env: process.env, file: flags.config, require: [] });
        const rt = buildRuntime(configForPair(config, flags.pair), { storeMode: 'readonly' });
        try {
          const { runs, scenarios: stats } = historyView(rt, { last: flags.last, scenario: flags.scenario });
          if (flags.json) {
            process.stdout.write(`${JSON.stringify({ runs, scenarios: stats }, null, 2)}\n`);
            return;
          }
          process.stdout.write('run                        started               verdict       score\n');
          for (const r of runs) {
            process.stdout.write(`${r.runId.padEnd(26)} ${new Date(r.startedAt).toISOString().slice(0, 19).padEnd(21)} ${(r.aborted ? `${r.verdict} (aborted)` : r.verdict).padEnd(13)} ${r.score.toFixed(2)}\n`);
          }
          process.stdout.write('\ntarget  suite    scenario                       runs  pass%  errors  p50 ms  p95 ms\n');
          for (const s of stats.sort((a, b) => `${a.target}${a.suite}${a.scenario}`.localeCompare(`${b.target}${b.suite}${b.scenario}`))) {
            const pr = s.passRate === null ? '   -' : `${Math.round(s.passRate * 100)}`.padStart(4);
            process.stdout.write(`${(s.target ?? '').padEnd(7)} ${(s.suite ?? '').padEnd(8)} ${(s.scenario ?? '').padEnd(30)} ${String(s.runs).padStart(4)}  ${pr}%  ${String(s.errors).padStart(6)}  ${String(s.p50 ?? '-').padStart(6)}  ${String(s.p95 ?? '-').padStart(6)}\n`);
          }
        } finally {
          rt.close();
        }
      } catch (e) {
        fail(e);
      }
    });
}
