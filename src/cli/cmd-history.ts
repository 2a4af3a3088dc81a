import type { Command } from 'commander';
import { loadConfig } from '../config/index.js';
import { percentile } from '../core/stats.js';
import { openStore } from '../store/index.js';
import { parseIntArg } from './cmd-run.js';
import { fail } from './fatal.js';

interface HistoryFlags {
  last: number;
  scenario?: string;
  json?: boolean;
  config?: string;
}

export function registerHistory(program: Command): void {
  program
    .command('history')
    .description('past runs, pass rate and p50/p95 reply latency per scenario')
    .option('--last <n>', 'how many runs', parseIntArg, 20)
    .option('--scenario <name>', 'only this scenario')
    .option('--json', 'JSON output')
    .option('--config <file>', 'config file')
    .action(async (flags: HistoryFlags) => {
      try {
        const config = await loadConfig({ env: process.env, file: flags.config, require: [] });
        const store = openStore(config.paths.db, { readonly: true });
        try {
          const runs = store.listRuns({ last: flags.last });
          const rows = store.scenarioHistory({ scenario: flags.scenario, last: flags.last * 64 }).filter((r) => runs.some((x) => x.runId === r.runId));
          const groups = new Map<string, typeof rows>();
          for (const r of rows) {
            const k = `${r.target}\t${r.suite}\t${r.scenario}`;
            groups.set(k, [...(groups.get(k) ?? []), r]);
          }
          const stats = [...groups.entries()].map(([k, rs]) => {
            const [target, suite, scenario] = k.split('\t');
            const judged = rs.filter((r) => r.status === 'pass' || r.status === 'fail');
            const lat = rs.map((r) => r.latencyFinalMs).filter((x): x is number => x !== null);
            return {
              target, suite, scenario, runs: new Set(rs.map((r) => r.runId)).size,
              passRate: judged.length ? judged.filter((r) => r.status === 'pass').length / judged.length : null,
              errors: rs.filter((r) => r.status === 'error').length,
              p50: lat.length ? Math.round(percentile(lat, 50)) : null,
              p95: lat.length ? Math.round(percentile(lat, 95)) : null,
            };
          });
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
          store.close();
        }
      } catch (e) {
        fail(e);
      }
    });
}
