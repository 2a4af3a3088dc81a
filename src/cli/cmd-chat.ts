/** `tg-canary chat @bot`: an interactive terminal chat with a bot as the test user. */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { loadConfig } from '../config/index.js';
import { parseDuration } from '../config/duration.js';
import { systemClock } from '../core/clock.js';
import { openChatSession } from '../app/chat-session.js';
import { createLogger } from '../util/logger.js';
import { createTerminalChat } from './chat-terminal.js';
import { abortOnSignals } from './signals.js';
import { fail } from './fatal.js';
import type { Turn } from '../record/transcript.js';

export interface ChatFlags {
  config?: string;
  wait?: number;
  leaseWait?: number;
}

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
        await chatCommand(bot, flags);
      } catch (e) {
        fail(e);
      }
    });
}

/** Runs the terminal chat; `onTurn` receives each completed turn (record keeps them). */
export async function chatCommand(bot: string, flags: ChatFlags, onTurn?: (t: Turn) => void): Promise<void> {
  const config = await loadConfig({ env: process.env, file: flags.config });
  const logger = createLogger({ level: config.logLevel });
  const sig = abortOnSignals();
  const term = createTerminalChat(bot.replace(/^@/u, ''), { input: process.stdin, output: process.stdout, onTurn, signal: sig.signal });
  try {
    const session = await openChatSession({
      config, clock: systemClock, logger, bot, replyWaitMs: flags.wait, leaseWaitMs: flags.leaseWait, signal: sig.signal,
      onEvents: (ev) => term.show(ev),
    });
    try {
      await term.run(session);
    } finally {
      await session.close();
    }
  } finally {
    sig.dispose();
  }
}
