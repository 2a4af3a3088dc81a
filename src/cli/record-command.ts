/** The `record` command's work, loaded on first use (keeps `run`'s cold start short). */
import { loadConfig } from '../config/index.js';
import { systemClock } from '../core/clock.js';
import { checkOutFree, saveRecording, scenarioNameFor, transcriptOfHistory } from '../app/record-scenario.js';
import type { Transcript, Turn } from '../record/transcript.js';
import { createLogger } from '../util/logger.js';
import { safeText } from '../util/terminal-text.js';
import { chatCommand } from './chat-command.js';

/** Telegram returns at most 100 messages per history request. */
export interface RecordFlags {
  out: string;
  suite: string;
  fromHistory?: number;
  force?: boolean;
  wait?: number;
  leaseWait?: number;
  config?: string;
}

const MAX_HISTORY = 100;

export async function recordCommand(bot: string, flags: RecordFlags): Promise<void> {
  // a bad --out is told before the user spends a conversation on it
  scenarioNameFor(flags.out);
  checkOutFree(flags.out, flags.force);
  const config = await loadConfig({ env: process.env, file: flags.config });
  let transcript: Transcript;
  if (flags.fromHistory !== undefined) {
    const logger = createLogger({ level: config.logLevel });
    transcript = await transcriptOfHistory({ config, clock: systemClock, logger, bot, limit: Math.min(MAX_HISTORY, Math.max(1, flags.fromHistory)), leaseWaitMs: flags.leaseWait });
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
