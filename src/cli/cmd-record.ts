/**
 * `tg-canary record @bot --out scenarios/NAME.yaml`: the terminal chat, recorded. On /quit the conversation is
 * written as a scenario (steps as typed, deadlines from what was observed, suggested assertions marked for
 * editing). `--from-history N` writes one from the last N messages of the chat instead, without chatting.
 */
import type { Command } from 'commander';
import { parseWait } from './cmd-chat.js';
import { parseIntArg } from './cmd-run.js';
import { fail } from './fatal.js';
import type { RecordFlags } from './record-command.js';

export function registerRecord(program: Command): void {
  program
    .command('record <bot>')
    .description('chat with a bot and write the conversation as a scenario (deadlines and assertions suggested from the replies)')
    .requiredOption('--out <file>', 'scenario file to write, e.g. scenarios/booking.yaml (its name is the scenario name)')
    .option('--suite <suite>', 'suite of the scenario', 'recorded')
    .option('--from-history <n>', 'no chat: turn the last N messages (up to 100) of the existing chat with the bot into the scenario', parseIntArg)
    .option('--force', 'replace the --out file if it exists')
    .option('--wait <duration>', 'how long to wait for each reply to settle (default 30s)', parseWait)
    .option('--lease-wait <duration>', 'how long to wait for a run using the Telegram session to finish (default 15s)', parseWait)
    .option('--config <file>', 'config file (default ./tg-canary.config.yaml if present)')
    .action(async (bot: string, flags: RecordFlags) => {
      try {
        const { recordCommand } = await import('./record-command.js'); // lazy: keeps `run`'s cold start short
        await recordCommand(bot, flags);
      } catch (e) {
        fail(e);
      }
    });
}
