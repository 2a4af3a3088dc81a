/**
 * What one recorded conversation holds: each thing the user did (a message typed, a button pressed) and what the
 * bot was seen to answer, with the timings the scenario's deadlines are derived from. Plain data: the chat
 * session fills it live, `--from-history` fills it from a chat's history.
 */

/** One bot message of a reply, as it ended up. */
export interface ObservedMessage {
  text: string;
  /** Button texts, row by row. */
  buttons?: string[][];
}

export interface ObservedReply {
  /** The reply's live messages (deleted ones left out), oldest first. */
  messages: ObservedMessage[];
  /** The messages' texts joined by a newline (what assertions grade). */
  text: string;
  /** Prompt (or press) → first message, ms. */
  latencyFirstMs?: number;
  /** Prompt (or press) → last change, ms. */
  latencyFinalMs?: number;
  /** Largest pause between two changes of the reply (a stream pausing between edits), ms. */
  maxGapMs?: number;
  /** The reply looked final; false when the wait gave up at its deadline. */
  settled: boolean;
  /** Answer text of a button press. */
  callbackAnswer?: string;
  /** Timings came from Telegram's message dates (second resolution), not from live updates. */
  approximate?: boolean;
}

export type TurnAction =
  | { kind: 'send'; text: string }
  | { kind: 'click'; button: string }
  /** Nothing was done: the bot spoke unasked (a reminder coming due). */
  | { kind: 'unasked' };

export interface Turn {
  action: TurnAction;
  reply: ObservedReply;
}

export interface Transcript {
  /** The bot talked to, without @. */
  bot: string;
  turns: Turn[];
  /** How the transcript was made (shown in the file's header comment). */
  source: 'chat' | 'history';
}
