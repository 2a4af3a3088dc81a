/**
 * `tg-canary record`: a recorded conversation (or a chat's history) written as a scenario file, checked by the
 * same loader `run` uses before it is kept. A file that does not validate is never left behind as the scenario:
 * it is written beside it as NAME.yaml.rejected, and the problems are returned.
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, extname } from 'node:path';
import type { Clock } from '../core/ports.js';
import { TgCanaryError, ValidationError } from '../core/errors.js';
import type { Config } from '../config/index.js';
import { checkScenarioText } from '../scenarios/index.js';
import { SCENARIO_NAME_RE } from '../scenarios/schema.js';
import type { Logger } from '../util/logger.js';
import { transcriptFromHistory } from '../record/from-history.js';
import { writeScenarioYaml } from '../record/scenario-writer.js';
import type { Transcript } from '../record/transcript.js';
import { openChatSession } from './chat-session.js';

export interface SaveRecordingOptions {
  out: string;
  suite: string;
  /** A stable bot is configured (suggest like-stable). */
  stable: boolean;
  /** Replace an existing file. */
  force?: boolean;
  now: Date;
}

export interface SavedRecording {
  file: string;
  name: string;
  steps: number;
}

/** The scenario name a file path stands for: its base name without .yaml/.yml. */
export function scenarioNameFor(out: string): string {
  const ext = extname(out);
  const name = basename(out, ext);
  if (ext !== '.yaml' && ext !== '.yml') {
    throw new TgCanaryError('RECORD_BAD_OUT', `--out ${out} must end in .yaml or .yml`, { kind: 'usage', hint: 'e.g. --out scenarios/booking.yaml' });
  }
  if (!SCENARIO_NAME_RE.test(name)) {
    throw new TgCanaryError('RECORD_BAD_OUT', `"${name}" is not a valid scenario name`, {
      kind: 'usage',
      hint: 'Name the file with letters, digits, dots, dashes and underscores, starting with a letter or digit.',
    });
  }
  return name;
}

/** Refuses to overwrite before anything is recorded (the user should not lose a session to a name clash). */
export function checkOutFree(out: string, force = false): void {
  if (!force && existsSync(out)) {
    throw new TgCanaryError('RECORD_OUT_EXISTS', `${out} exists already`, { kind: 'usage', hint: 'Pick another --out, or pass --force to replace it.' });
  }
}

export async function saveRecording(t: Transcript, o: SaveRecordingOptions): Promise<SavedRecording> {
  const name = scenarioNameFor(o.out);
  if (t.turns.length === 0) {
    throw new TgCanaryError('RECORD_EMPTY', 'nothing was recorded: no message was sent to the bot', {
      kind: 'usage',
      hint: 'Type at least one message before /quit (with --from-history: the chat needs a message from you).',
    });
  }
  const text = writeScenarioYaml(t, { name, suite: o.suite, stable: o.stable, recordedAt: o.now });
  await mkdir(dirname(o.out), { recursive: true });
  const { scenario, issues } = checkScenarioText(o.out, text);
  if (!scenario) {
    await writeFile(`${o.out}.rejected`, text);
    throw new ValidationError('RECORD_INVALID', issues, `the recording was kept in ${o.out}.rejected; fix it and rename it to ${o.out}`);
  }
  checkOutFree(o.out, o.force);
  const tmp = `${o.out}.tmp-${process.pid}`;
  await writeFile(tmp, text);
  await rename(tmp, o.out);
  return { file: o.out, name, steps: scenario.steps.length };
}

export interface HistoryInput {
  config: Config;
  clock: Clock;
  logger: Logger;
  bot: string;
  limit: number;
  leaseWaitMs?: number;
  signal?: AbortSignal;
}

/** Reads the last `limit` messages of the chat with the bot (under the session lease) into a transcript. */
export async function transcriptOfHistory(input: HistoryInput): Promise<Transcript> {
  const session = await openChatSession({ ...input, onEvents: () => undefined });
  try {
    return transcriptFromHistory(session.bot.username, await session.history(input.limit));
  } finally {
    await session.close();
  }
}
