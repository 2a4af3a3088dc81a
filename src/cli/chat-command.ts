/** The `chat` command's work, loaded on first use (keeps `run`'s cold start short). */
import { loadConfig } from '../config/index.js';
import { systemClock } from '../core/clock.js';
import { openChatSession } from '../app/chat-session.js';
import { createLogger } from '../util/logger.js';
import { createTerminalChat } from './chat-terminal.js';
import { abortOnSignals } from './signals.js';
import type { Turn } from '../record/transcript.js';

/** Runs the terminal chat; `onTurn` receives each completed turn (record keeps them). */
export interface ChatFlags {
  config?: string;
  wait?: number;
  leaseWait?: number;
}

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
