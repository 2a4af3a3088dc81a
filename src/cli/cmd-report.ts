import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../config/index.js';
import { buildRuntime } from '../app/runtime.js';
import { rebuildRunReport } from '../app/rebuild-run-report.js';
import { fail } from './fatal.js';

interface ReportFlags {
  format: 'md' | 'json' | 'files';
  config?: string;
}

export function registerReport(program: Command): void {
  program
    .command('report [runId]')
    .description('rebuild the reports of a run (default: the latest) and print its summary')
    .option('--format <f>', 'what to print: md (Markdown summary), json (verdict), files (paths)', 'md')
    .option('--config <file>', 'config file')
    .action(async (runId: string | undefined, flags: ReportFlags) => {
      try {
        const config = await loadConfig({ env: process.env, file: flags.config, require: [] });
        const rt = buildRuntime(config);
        try {
          const files = await rebuildRunReport(rt, runId);
          if (flags.format === 'files') process.stdout.write(`${files.join('\n')}\n`);
          else {
            const want = flags.format === 'json' ? '.json' : '.md';
            const f = files.find((x) => x.endsWith(want));
            process.stdout.write(f ? readFileSync(f, 'utf8') : `${files.join('\n')}\n`);
          }
        } finally {
          rt.close();
        }
      } catch (e) {
        fail(e);
      }
    });
}
