import type { Command } from 'commander';
import { parseIntArg } from './cmd-run.js';
import { fail } from './fatal.js';

interface SandboxFlags {
  port: number;
  bot: string[];
  faults?: string;
  envFile?: string;
  envOut?: string;
}

export function registerSandbox(program: Command): void {
  program
    .command('sandbox')
    .description('run the loopback Telegram data center with its demo bots in the foreground')
    .option('--port <port>', 'TCP port on 127.0.0.1 (0 = any free one)', parseIntArg, 0)
    .option('--bot <NAME=MODULE>', 'host a bot module under this username (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--faults <file>', 'fault file (YAML or JSON)')
    .option('--env-file <file>', 'also write the KEY=value lines to this file (mode 0600)')
    // Node 20 itself parses `--env-file` anywhere on its command line; bin/tg-canary passes it on as --env-out.
    .option('--env-out <file>', 'same as --env-file')
    .action(async (flags: SandboxFlags) => {
      try {
        const { runSandboxCli } = await import('../sandbox/index.js'); // lazy: keeps `run`'s cold start short
        const handle = await runSandboxCli(
          { port: flags.port, bots: flags.bot, faults: flags.faults, envFile: flags.envFile ?? flags.envOut },
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
        fail(e);
      }
    });
}
