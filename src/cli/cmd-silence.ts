/**
 * `tg-canary silence`: mute alerts for a while, Alertmanager-style (issue 17).
 *   tg-canary silence --for 2h --target canary [--suite rag] [--scenario x] --reason "…"
 *   tg-canary silence --list        tg-canary silence --expire <id>
 * Writes the same SQLite database the `serve` daemon and `run` read (the API is `POST /v1/silences`).
 */
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { buildSilence } from '../app/silence-api.js';
import { loadConfig } from '../config/index.js';
import { parseDuration } from '../schema-kit/duration.js';
import { describeMatchers, silenceActive, type Silence } from '../core/maintenance.js';
import { TgCanaryError } from '../core/errors.js';
import { buildRuntime } from '../app/runtime.js';
import { safeText } from '../util/terminal-text.js';
import { fail } from './fatal.js';

interface SilenceFlags {
  for?: number;
  target?: string;
  suite?: string;
  scenario?: string;
  reason?: string;
  list?: boolean;
  expire?: string;
  json?: boolean;
  config?: string;
}

function parseFor(v: string): number {
  const ms = parseDuration(v);
  if (ms === undefined || ms <= 0) throw new InvalidArgumentError('expected a duration such as 30m, 2h or 1d');
  return ms;
}

function who(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

function line(s: Silence, now: number): string {
  const state = silenceActive(s, now) ? 'active' : now < s.startsAt ? 'pending' : 'ended';
  return safeText(`${s.id}  ${state.padEnd(7)} until ${new Date(s.expiredAt ?? s.endsAt).toISOString().slice(0, 16)}Z  ${describeMatchers(s.matchers)}  "${s.reason}"  (${s.createdBy})`, { singleLine: true });
}

export function registerSilence(program: Command): void {
  program
    .command('silence')
    .description('mute alerts for a while, by target / suite / scenario (list and expire them too)')
    .option('--for <duration>', 'how long, e.g. 30m, 2h, 1d', parseFor)
    .option('--target <name>', 'canary or stable')
    .option('--suite <name>', 'only this suite')
    .option('--scenario <name>', 'only this scenario')
    .option('--reason <text>', 'why (shown on the status page)')
    .option('--list', 'list silences that have not ended')
    .option('--expire <id>', 'end a silence now')
    .option('--json', 'JSON output')
    .option('--config <file>', 'config file')
    .action(async (flags: SilenceFlags) => {
      try {
        const config = await loadConfig({ env: process.env, file: flags.config, require: [] });
        const now = Date.now();
        const store = buildRuntime(config, { storeMode: flags.list ? 'readonly' : 'readwrite' }).store;
        try {
          if (flags.list) {
            const list = store.listSilences(now);
            if (flags.json) process.stdout.write(`${JSON.stringify({ silences: list }, null, 2)}\n`);
            else {
              for (const s of list) process.stdout.write(`${line(s, now)}\n`);
              process.stdout.write(`${list.length} silence${list.length === 1 ? '' : 's'}\n`);
            }
            return;
          }
          if (flags.expire !== undefined) {
            if (!store.expireSilence(flags.expire, now)) {
              throw new TgCanaryError('SILENCE_NOT_FOUND', 'no active silence with that id', { kind: 'usage', hint: 'tg-canary silence --list shows the ids' });
            }
            process.stdout.write(`expired ${flags.expire}\n`);
            return;
          }
          const s = buildSilence({ target: flags.target, suite: flags.suite, scenario: flags.scenario, durationMs: flags.for, reason: flags.reason, createdBy: who() }, now);
          store.addSilence(s);
          if (flags.json) process.stdout.write(`${JSON.stringify({ silence: s }, null, 2)}\n`);
          else process.stdout.write(`${line(s, now)}\n`);
        } finally {
          store.close();
        }
      } catch (e) {
        fail(e);
      }
    });
}
