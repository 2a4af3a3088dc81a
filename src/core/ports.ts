/**
 * Ports: the small interfaces behind which each external system sits. Adapters live in their own folders
 * (telegram/, store/, reporters/, notifiers/, status/); core imports none of them. The store's roles (run history,
 * facts, outbox, alert state, session lease, scenario cache, upkeep) are in store-ports.ts, re-exported here.
 */
import type { OutgoingMedia } from './media-types.js';
import type { RunSummary } from './store-ports.js';
import type { BotProfileInfo, InlineResultsInfo, InlineSentInfo } from './bot-surface.js';
import type {
  InlineButton,
  Reply,
  ReplyMessage,
  RunResult,
  TargetName,
  VerdictReport,
} from './types.js';

// ---------------------------------------------------------------- time

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /**
   * Epoch milliseconds with sub-millisecond resolution, never more than 2 ms away from now(). The driver stamps
   * prompts and replies with it, so a reply latency of 2.4 ms is not reported as 2 or 3. Optional: now() is used
   * where it is missing (test clocks).
   */
  preciseNow?(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

// ---------------------------------------------------------------- Telegram

export interface BotPeer {
  username: string;
  id: string;
}

/** A group chat a scenario talks to its bot in (scenario `chat:`). */
export interface GroupChatTarget {
  /** "@username" of a public supergroup, or its id (-100… or the bare id); a basic group's title or "chat:<id>" / -<id>. */
  group: string;
  /** A forum topic's title (absent: the General topic, or a group without topics). */
  topic?: string;
}

/** How a prompt is sent: as a reply to a message of the chat. */
export interface SendOptions {
  replyToId?: number;
}

export interface SentMessage {
  id: number;
  /** When the prompt went out (after any flood wait). */
  at: number;
  /** Time spent in Telegram flood waits before it went out. */
  floodWaitMs?: number;
}

export interface WaitOptions {
  /** Deadline for the first message, ms after `sentAt`. */
  timeoutMs: number;
  /** Floor of the adaptive quiet window. */
  settleMs: number;
  /** Ceiling of the adaptive quiet window (default: max(settleMs, 10 s)). */
  settleMaxMs?: number;
  minMessages: number;
  maxMessages?: number;
  signal?: AbortSignal;
  /** Messages whose later edits count as part of this reply (the message whose button was pressed). */
  watchIds?: number[];
  /** Telegram replies to messages below this id answer an earlier prompt (default: the prompt's id). */
  floorId?: number;
  /**
   * Web-first waiting: called whenever the reply looks complete; `false` keeps waiting (the reply may still
   * change) until the deadline, where the last state is returned.
   */
  accept?: (reply: Reply) => boolean | Promise<boolean>;
}

export interface BotDriver {
  /** Connects and proves the session works; `bots` (usernames) may be resolved in the same round trip. */
  connect(opts?: { bots?: readonly string[] }): Promise<void>;
  me(): Promise<{ id: string; username?: string }>;
  resolveBot(username: string): Promise<BotPeer>;
  /** Sends a prompt; replies to it are messages from the bot with an id greater than the returned id. */
  send(bot: BotPeer, text: string, opts?: SendOptions): Promise<SentMessage>;
  /**
   * The bot inside a group (optionally a forum topic) the test user shares with it: the returned peer sends there,
   * and only the bot's messages in that chat/topic that reply to our message or follow it count as replies.
   */
  inGroup?(bot: BotPeer, chat: GroupChatTarget): Promise<BotPeer>;
  /** Waits for the bot's reply to the message `after`, merging edits, until it settles or the deadline. */
  waitForReply(bot: BotPeer, after: SentMessage, opts: WaitOptions): Promise<Reply>;
  /** Presses an inline button of a bot message; returns the callback answer text, if any. */
  click(bot: BotPeer, messageId: number, button: InlineButton): Promise<{ answer?: string; alert?: boolean; url?: string; at: number }>;
  /** A Mini App button: messages.requestWebView → the page URL with Telegram's signed init data. */
  openWebApp?(bot: BotPeer, button: InlineButton, opts?: { simple?: boolean }): Promise<{ url: string }>;
  /**
   * New bot messages above `afterId` seen within `quietMs` from now (trailing messages after a scenario), except
   * Telegram replies to a message below `floorId` (late answers to another run's or scenario's prompts).
   */
  collectTrailing?(bot: BotPeer, afterId: number, quietMs: number, signal?: AbortSignal, floorId?: number): Promise<ReplyMessage[]>;
  /** Opens t.me/<bot>?start=<payload> (messages.startBot): the chat shows `/start`, the bot gets the payload. */
  startBot?(bot: BotPeer, payload: string): Promise<SentMessage>;
  /** The bot's command menu, description and about text (users.getFullUser). */
  botProfile?(bot: BotPeer): Promise<BotProfileInfo>;
  /** `@bot query` in the bot's chat (messages.getInlineBotResults); bot faults are TgCanaryErrors of kind bot. */
  inlineQuery?(bot: BotPeer, query: string, offset?: string): Promise<InlineResultsInfo>;
  /** Sends one inline result into the bot's chat (messages.sendInlineBotResult). */
  sendInlineResult?(bot: BotPeer, queryId: string, resultId: string): Promise<InlineSentInfo>;
  /** Sends a photo, document, voice note, video note, sticker, location or contact, with `caption` (may be empty). */
  sendMedia?(bot: BotPeer, media: OutgoingMedia, caption: string): Promise<SentMessage>;
  /**
   * The bytes of a bot message's file, refused above `maxBytes` (MEDIA_TOO_LARGE, the bot's doing). Telegram's
   * failures (an expired file reference that cannot be refreshed, flood waits, timeouts) are infra errors.
   */
  downloadMedia?(bot: BotPeer, messageId: number, opts: { maxBytes: number; signal?: AbortSignal }): Promise<Buffer>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------- store

export type {
  AlertLogEntry, AlertStateRow, AlertStateStore, CachedPeer, ClaimOutcome, PeerCacheStore, FactStore, LeaseInfo, OutboxItem, OutboxStore,
  PendingRun, PlantedFact, PruneResult, RunHistoryReader, RunHistoryStore, RunStore, RunSummary, ScenarioCacheStore,
  ScenarioHistoryRow, SessionLeaseStore, StoreUpkeep, SilenceStore, HistoryRollupReader, OperationsStore,
} from './store-ports.js';

// ---------------------------------------------------------------- outputs

export interface ReportContext {
  run: RunResult;
  /** Recent runs, newest first, for trends. */
  history: RunSummary[];
  dir: string;
}

export interface Reporter {
  readonly name: string;
  /** Writes the report into `ctx.dir`; returns the files written. */
  write(ctx: ReportContext): Promise<string[]>;
}

export interface AlertMessage {
  kind: 'failing' | 'reminder' | 'resolved' | 'inconclusive' | 'inconclusive-resolved';
  target: TargetName;
  subject: string;
  /** Plain text body. */
  text: string;
  verdict: VerdictReport;
  runId: string;
  /**
   * Stable per delivery (the outbox dedupe key): a resend after a crash carries the same key, so the receiver can
   * drop the copy (email Message-ID, a `ref:` line in Telegram alerts).
   */
  idempotencyKey?: string;
  reportDir?: string;
  /**
   * The incident this alert belongs to (`<state key>:<since>`): the same for the opening alert, its reminders and
   * its resolution, also after a restart (the state is in SQLite). Absent on alerts queued by older versions.
   */
  incident?: string;
  /** Where in its incident this alert sits: the one that opened it, a reminder, or the resolution. */
  phase?: 'open' | 'reminder' | 'resolved';
}

export interface Notifier {
  readonly name: string;
  send(msg: AlertMessage): Promise<void>;
}
