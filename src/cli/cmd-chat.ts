/** `tg-canary chat @bot`: an interactive terminal chat with a bot as the test user. */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { parseDuration } from '../schema-kit/duration.js';
import { fail } from './fatal.js';
import type { ChatFlags } from './chat-command.js';

export function parseWait(v: string): number {
  const ms = parseDuration(v);
  if (ms === undefined || ms <= 0) throw new InvalidArgumentError('expected a duration such as 30s or 2m');
  return ms;
}

export function registerChat(program: Command): void {
  program
    .command('chat <bot>')
    .description('chat with a bot as the test user: replies stream in live (typing, drafts, edits, buttons); /quit ends')
    .option('--wait <duration>', 'how long to wait for each reply to settle (default 30s)', parseWait)
    .option('--lease-wait <duration>', 'how long to wait for a run using the Telegram session to finish (default 15s)', parseWait)
    .option('--config <file>', 'config file (default ./tg-canary.config.yaml if present)')
    .action(async (bot: string, flags: ChatFlags) => {
      try {
        const { chatCommand } = await import('./chat-command.js'); // lazy: keeps `run`'s cold start short
        await chatCommand(bot, flags);
      } catch (e) {
        fail(e);
      }
    });
}
