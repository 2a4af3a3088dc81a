/**
 * Ports: the small interfaces behind which each external system sits. Adapters live in their own folders
 * (telegram/, store/, reporters/, notifiers/, status/); core imports none of them.
 */
import type {
  InlineButton,
  Reply,
  ReplyMessage,
  RunResult,
  ScenarioResult,
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
  send(bot: BotPeer, text: string): Promise<SentMessage>;
  /** Waits for the bot's reply to the message `after`, merging edits, until it settles or the deadline. */
  waitForReply(bot: BotPeer, after: SentMessage, opts: WaitOptions): Promise<Reply>;
  /** Presses an inline button of a bot message; returns the callback answer text, if any. */
  click(bot: BotPeer, messageId: number, button: InlineButton): Promise<{ answer?: string; at: number }>;
  /**
   * New bot messages above `afterId` seen within `quietMs` from now (trailing messages after a scenario), except
   * Telegram replies to a message below `floorId` (late answers to another run's or scenario's prompts).
   */
  collectTrailing?(bot: BotPeer, afterId: number, quietMs: number, signal?: AbortSignal, floorId?: number): Promise<ReplyMessage[]>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------- store

export interface RunSummary {
  runId: string;
  startedAt: number;
  finishedAt: number | null;
  verdict: string;
  score: number;
  aborted: boolean;
  revision?: string;
}

export interface ScenarioHistoryRow {
  runId: string;
  startedAt: number;
  scenario: string;
  suite: string;
  target: TargetName;
  status: string;
  score: number;
  latencyFirstMs: number | null;
  latencyFinalMs: number | null;
  /** 1-based attempt of a repeated scenario (1 when it ran once). */
  attempt?: number;
  /** Cause signatures of a failed attempt (src/core/failure-cause.ts); absent for rows stored before they existed. */
  causes?: string[];
}

export interface OutboxItem {
  id: number;
  /** Delivery channel, e.g. `email`, `telegram`, `pushgateway`, `webhook`, `ping`. */
  channel: string;
  /** Stable key so the same delivery is never queued twice (e.g. `alert:42:email`). */
  dedupeKey: string;
  payload: string;
  attempts: number;
  createdAt: number;
  nextAttemptAt: number;
  lastError?: string;
  deliveredAt?: number;
  /** Earliest next attempt the receiver asked for (its Retry-After). */
  notBefore?: number;
}

export interface AlertStateRow {
  /** e.g. `canary` or `canary:inconclusive` */
  key: string;
  state: 'ok' | 'failing';
  since: number;
  lastNotifiedAt: number | null;
  failures: number;
  successes: number;
  alertId: number | null;
}

export interface RunStore {
  /** Records a run as started (so an abort still leaves a row). */
  beginRun(run: { runId: string; startedAt: number; revision?: string }): void;
  saveScenario(runId: string, result: ScenarioResult): void;
  finishRun(result: RunResult): void;
  getRun(runId: string): RunResult | undefined;
  latestRun(): RunResult | undefined;
  listRuns(opts: { last?: number; before?: number }): RunSummary[];
  scenarioHistory(opts: { scenario?: string; target?: TargetName; last?: number }): ScenarioHistoryRow[];
  /** Final texts of the last `limit` replies graded for this scenario and target (for `novel`). */
  recentReplyTexts(scenario: string, target: TargetName, limit: number): string[];
  lastSuccessAt(target: TargetName): number | null;
  plantFact(fact: { key: string; target: TargetName; value: string; runId: string; at: number }): void;
  getFact(key: string, target: TargetName): { value: string; runId: string; at: number } | undefined;
  // outbox
  enqueue(item: { channel: string; dedupeKey: string; payload: string; at: number }): boolean;
  dueOutbox(now: number, limit?: number): OutboxItem[];
  /**
   * Claims an item for `claimer` until `until` before it is sent (one write transaction): `claimed` to send it,
   * `held` while another live process sends it, `done` once delivered, `changed` when tried since `attempts` was
   * read. Optional: a store without it cannot be shared by processes.
   */
  claimOutbox?(id: number, claimer: string, until: number, canSteal?: (holder: string) => boolean, attempts?: number): 'claimed' | 'held' | 'done' | 'changed';
  markDelivered(id: number, at: number): void;
  /** `notBefore`: the receiver asked not to be called before then (Retry-After); even a forced retry waits. */
  markFailed(id: number, error: string, nextAttemptAt: number, notBefore?: number): void;
  listOutbox(opts: { last?: number; pendingOnly?: boolean }): OutboxItem[];
  // alert state
  getAlertState(key: string): AlertStateRow | undefined;
  setAlertState(row: AlertStateRow): void;
  // maintenance
  prune(olderThan: number): { runs: number };
  close(): void;
}

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

export interface StatusPusher {
  readonly name: string;
  push(run: RunResult, ctx: { lastSuccessAt: Partial<Record<TargetName, number | null>> }): Promise<void>;
}
