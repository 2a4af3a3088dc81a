import type { Command } from 'commander';
import { configError } from '../core/errors.js';
import { createLogger, type Logger } from '../util/logger.js';
import { parseIntArg } from './cmd-run.js';
import { fail } from './fatal.js';
import { fromSandboxError } from './sandbox-errors.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** The sandbox's logger at LOG_LEVEL (default warn), as `run` and `serve` use it. */
export function sandboxLogger(env: NodeJS.ProcessEnv = process.env): Logger {
  const level = env.LOG_LEVEL === undefined || env.LOG_LEVEL === '' ? 'warn' : env.LOG_LEVEL;
  if (!LOG_LEVELS.includes(level)) {
    throw configError('CONFIG_INVALID', `LOG_LEVEL: ${JSON.stringify(level)} is not a log level`, `use one of ${LOG_LEVELS.join(', ')}`);
  }
  return createLogger({ level });
}

interface SandboxFlags {
  port: number;
  bot: string[];
  faults?: string;
  groups?: string;
  envOut?: string;
}

export function registerSandbox(program: Command): void {
  program
    .command('sandbox')
    .description('run the loopback Telegram data center with its demo bots in the foreground')
    .option('--port <port>', 'TCP port on 127.0.0.1 (0 = any free one)', parseIntArg, 0)
    .option('--bot <NAME=MODULE>', 'host a bot module under this username (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--faults <file>', 'fault file (YAML or JSON)')
    .option('--groups <file>', 'groups to host: supergroups, forums, basic groups (type: group) (YAML or JSON list; default: the demo groups @sandbox_group, @sandbox_forum and "Sandbox Team")')
    // Not `--env-file`: Node 20 claims that flag anywhere on its own command line (npx is a Node script too).
    .option('--env-out <file>', 'also write the KEY=value lines to this file (mode 0600)')
    .action(async (flags: SandboxFlags) => {
      try {
        const { runSandboxCli } = await import('@tg-canary/sandbox'); // lazy: keeps `run`'s cold start short
        const handle = await runSandboxCli(
          { port: flags.port, bots: flags.bot, faults: flags.faults, groups: flags.groups, envFile: flags.envOut, logger: sandboxLogger() },
          (line) => process.stdout.write(`${line}\n`),
        );
        await new Promise<void>((resolveStop) => {
          const stop = (): void => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            void handle.stop().finally(resolveStop);
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
      } catch (e) {
        fail(fromSandboxError(e));
      }
    });
}
