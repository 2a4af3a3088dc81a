/**
 * `tg-canary record @bot --out scenarios/NAME.yaml`: the terminal chat, recorded. On /quit the conversation is
 * written as a scenario (steps as typed, deadlines from what was observed, suggested assertions marked for
 * editing). `--from-history N` writes one from the last N messages of the chat instead, without chatting.
 */
import type { Command } from 'commander';
import { loadConfig } from '../config/index.js';
import { systemClock } from '../core/clock.js';
import { checkOutFree, saveRecording, scenarioNameFor, transcriptOfHistory } from '../app/record-scenario.js';
import type { Transcript, Turn } from '../record/transcript.js';
import { createLogger } from '../util/logger.js';
import { safeText } from '../util/terminal-text.js';
import { chatCommand, parseWait } from './cmd-chat.js';
import { parseIntArg } from './cmd-run.js';
import { fail } from './fatal.js';

export interface RecordFlags {
  out: string;
  suite: string;
  fromHistory?: number;
  force?: boolean;
  wait?: number;
  leaseWait?: number;
  config?: string;
}

export function registerRecord(program: Command): void {
  program
    .command('record <bot>')
    .description('chat with a bot and write the conversation as a scenario (deadlines and assertions suggested from the replies)')
    .requiredOption('--out <file>', 'scenario file to write, e.g. scenarios/booking.yaml (its name is the scenario name)')
    .option('--suite <suite>', 'suite of the scenario', 'recorded')
    .option('--from-history <n>', 'no chat: turn the last N messages of the existing chat with the bot into the scenario', parseIntArg)
    .option('--force', 'replace the --out file if it exists')
    .option('--wait <duration>', 'how long to wait for each reply to settle (default 30s)', parseWait)
    .option('--lease-wait <duration>', 'how long to wait for a run using the Telegram session to finish (default 15s)', parseWait)
    .option('--config <file>', 'config file (default ./tg-canary.config.yaml if present)')
    .action(async (bot: string, flags: RecordFlags) => {
      try {
        await recordCommand(bot, flags);
      } catch (e) {
        fail(e);
      }
    });
}

export async function recordCommand(bot: string, flags: RecordFlags): Promise<void> {
  // a bad --out is told before the user spends a conversation on it
  scenarioNameFor(flags.out);
  checkOutFree(flags.out, flags.force);
  const config = await loadConfig({ env: process.env, file: flags.config });
  let transcript: Transcript;
  if (flags.fromHistory !== undefined) {
    const logger = createLogger({ level: config.logLevel });
    transcript = await transcriptOfHistory({ config, clock: systemClock, logger, bot, limit: Math.max(1, flags.fromHistory), leaseWaitMs: flags.leaseWait });
  } else {
    const turns: Turn[] = [];
    await chatCommand(bot, { config: flags.config, wait: flags.wait, leaseWait: flags.leaseWait }, (t) => turns.push(t));
    transcript = { bot: bot.replace(/^@/u, ''), turns, source: 'chat' };
  }
  const saved = await saveRecording(transcript, {
    out: flags.out, suite: flags.suite, stable: !!config.targets.stable, force: flags.force, now: new Date(systemClock.now()),
  });
  process.stdout.write(
    `wrote ${safeText(saved.file)}: scenario ${saved.name}, ${saved.steps} steps (it validates). Edit the lines marked # suggested, then: tg-canary run --scenario ${saved.name}\n`,
  );
}
