import type { Command } from 'commander';
import { loadConfig } from '../config/index.js';
import { buildRuntime } from '../app/runtime.js';
import { outboxView } from '../app/outbox-view.js';
import { parseIntArg } from './cmd-run.js';
import { fail } from './fatal.js';
import { safeText } from '../util/terminal-text.js';

interface AlertsFlags {
  last: number;
  pending?: boolean;
  json?: boolean;
  config?: string;
}

export function registerAlerts(program: Command): void {
  program
    .command('alerts')
    .description('list alert and status deliveries (the outbox): delivered, pending, failing')
    .option('--last <n>', 'how many', parseIntArg, 30)
    .option('--pending', 'only deliveries not yet made')
    .option('--json', 'JSON output')
    .option('--config <file>', 'config file')
    .action(async (flags: AlertsFlags) => {
      try {
        const config = await loadConfig({ env: process.env, file: flags.config, require: [] });
        const rt = buildRuntime(config, { storeMode: 'readonly' });
        try {
          const rows = outboxView(rt, { last: flags.last, pendingOnly: flags.pending });
          if (flags.json) {
            process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
            return;
          }
          for (const r of rows) {
            // a receiver's error body is untrusted: control characters escaped
            process.stdout.write(`${safeText(`${String(r.id).padStart(5)} ${r.created.slice(0, 19)} ${r.channel.padEnd(12)} ${r.state.padEnd(9)} ${String(r.attempts).padStart(2)}x ${r.key}${r.lastError ? `  (${r.lastError.slice(0, 80)})` : ''}`, { singleLine: true })}\n`);
          }
          process.stdout.write(`${rows.length} deliveries\n`);
        } finally {
          rt.close();
        }
      } catch (e) {
        fail(e);
      }
    });
}
