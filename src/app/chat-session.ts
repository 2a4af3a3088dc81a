/**
 * A person's chat with a bot as the test user (`tg-canary chat`, `record`): under the session lease a run takes
 * (so a scheduled run waits instead of sharing the session), a driver connected and the bot resolved. Each thing
 * the user does comes back as a transcript turn with the timings observed; everything the bot does meanwhile
 * (typing, drafts, messages, edits, deletions) reaches `onEvents` live.
 */
import type { BotPeer, Clock, SentMessage } from '../core/ports.js';
import type { Reply, ReplyMessage } from '../core/types.js';
import { TgCanaryError } from '../core/errors.js';
import type { Config } from '../config/index.js';
import { storeLocation } from '../config/store-location.js';
import { openStore, type SqlRunStore } from '../store/index.js';
import type { ChatLog } from '../telegram/chat-log.js';
import type { ChatHistoryEntry, GramjsDriver } from '../telegram/driver.js';
import type { Logger } from '../util/logger.js';
import { LiveView, numberButtons, type ChatEvent, type NumberedButton } from '../record/live-view.js';
import { largestGap } from '../record/timing.js';
import type { ObservedReply, Turn } from '../record/transcript.js';
import { createSessionDriver, sessionLeaseName } from './telegram-session.js';
import { ownerIsDead, processOwner } from '../util/process-owner.js';

export interface ChatSessionInput {
  config: Config;
  clock: Clock;
  logger: Logger;
  /** The bot's username, with or without @. */
  bot: string;
  onEvents(events: ChatEvent[]): void;
  /** How long to wait for a reply to settle after each message or press (default 30 s). */
  replyWaitMs?: number;
  /** How long to wait for the session lease held by a run (default 15 s). */
  leaseWaitMs?: number;
  signal?: AbortSignal;
}

export interface ChatSession {
  readonly bot: BotPeer;
  send(text: string): Promise<Turn>;
  /** Presses button `n` (1-based) of the newest message with buttons. */
  press(n: number): Promise<Turn>;
  /** The buttons that can be pressed now, numbered. */
  buttons(): NumberedButton[];
  /** What the bot said unasked since the last turn settled (a reminder coming due), as a turn. */
  takeUnasked(): Turn | undefined;
  /** The last `limit` messages of the chat, both sides (for --from-history). */
  history(limit: number): Promise<ChatHistoryEntry[]>;
  close(): Promise<void>;
}

const LEASE_TTL_MS = 5 * 60_000;
const SETTLE_MS = 1000;

export async function openChatSession(input: ChatSessionInput): Promise<ChatSession> {
  const { config, clock, logger } = input;
  const store = openStore(storeLocation(config.paths), { pgSchema: config.paths.pgSchema });
  const lease = sessionLeaseName(config.telegram.session);
  const holder = `${processOwner()}:chat`;
  let driver: GramjsDriver | undefined;
  let renew: ReturnType<typeof setInterval> | undefined;
  const release = async (): Promise<void> => {
    if (renew) clearInterval(renew);
    if (driver) await driver.close();
    try {
      store.releaseLease(lease, holder);
    } finally {
      store.close();
    }
  };
  try {
    await takeLease(store, lease, holder, clock, input.leaseWaitMs ?? 15_000, input.signal);
    renew = setInterval(() => {
      try {
        store.renewLease(lease, holder, LEASE_TTL_MS);
      } catch (e) {
        logger.warn({ err: String(e) }, 'could not renew the session lease');
      }
    }, 60_000);
    renew.unref();
    driver = createSessionDriver(config, clock, logger, { peerCache: store });
    await driver.connect({ bots: [input.bot] });
    const bot = await driver.resolveBot(input.bot);
    return new LiveChat(driver, bot, clock, input, release);
  } catch (e) {
    await release().catch(() => undefined);
    throw e;
  }
}

async function takeLease(store: SqlRunStore, lease: string, holder: string, clock: Clock, waitMs: number, signal?: AbortSignal): Promise<void> {
  const deadline = clock.now() + waitMs;
  while (!store.acquireLease(lease, holder, LEASE_TTL_MS, (h) => ownerIsDead(h))) {
    if (clock.now() >= deadline || signal?.aborted) {
      throw new TgCanaryError('SESSION_LEASE_HELD', 'another tg-canary process (a run, or another chat) is using this Telegram session', {
        kind: 'infra',
        hint: 'Wait for the run to finish and try again; two processes on one session risk AUTH_KEY_DUPLICATED.',
      });
    }
    await clock.sleep(500, signal).catch(() => undefined);
  }
}

class LiveChat implements ChatSession {
  private readonly log: ChatLog;
  private readonly view: LiveView;
  private readonly unsubscribe: () => void;
  /** Highest message id that belongs to a turn already taken. */
  private cursor: number;
  private lastPrompt: SentMessage | undefined;
  /** When the last action (message or press) went out. */
  private lastActionAt: number;
  private firstSentId: number | undefined;

  constructor(
    private readonly driver: GramjsDriver,
    readonly bot: BotPeer,
    private readonly clock: Clock,
    private readonly input: ChatSessionInput,
    private readonly release: () => Promise<void>,
  ) {
    this.log = driver.chatLog(bot);
    this.cursor = this.log.maxId();
    this.lastActionAt = clock.now();
    this.view = new LiveView(this.log, this.cursor, this.now(), (m) => this.isStale(m));
    this.unsubscribe = this.view.subscribe((ev) => input.onEvents(ev));
  }

  /**
   * A message older than this chat: found by a history re-read (the driver's last look for a missing reply) below
   * the first message we sent, or before anything was sent.
   */
  private isStale(m: ReplyMessage): boolean {
    return m.via === 'history' && (this.firstSentId === undefined || m.id < this.firstSentId);
  }

  private now(): number {
    return this.clock.preciseNow?.() ?? this.clock.now();
  }

  async send(text: string): Promise<Turn> {
    const sent = await this.driver.send(this.bot, text);
    this.firstSentId ??= sent.id;
    this.lastPrompt = sent;
    this.lastActionAt = sent.at;
    const reply = await this.driver.waitForReply(this.bot, sent, this.waitOptions());
    return { action: { kind: 'send', text }, reply: this.observe(reply) };
  }

  async press(n: number): Promise<Turn> {
    const found = this.buttons().find((b) => b.n === n);
    if (!found) {
      throw new TgCanaryError('CHAT_NO_SUCH_BUTTON', `there is no button ${n} to press`, {
        kind: 'usage',
        hint: 'Type /buttons to list the buttons of the latest message, then /<number> to press one.',
      });
    }
    const kind = found.button.kind ?? 'callback';
    if (kind !== 'callback') {
      const target = found.button.url ?? found.button.query;
      throw new TgCanaryError('CHAT_NOT_A_CALLBACK_BUTTON', `button ${n} is a ${kind} button${target !== undefined ? ` (${JSON.stringify(target.slice(0, 200))})` : ''}: pressing it sends the bot nothing`, {
        kind: 'usage',
        hint: 'Check URL, Mini App and switch-inline buttons in a scenario: `click: { text: …, open: { text: … } }`, `button-url`, `button-query`.',
      });
    }
    const res = await this.driver.click(this.bot, found.messageId, found.button);
    this.lastActionAt = res.at;
    const after: SentMessage = { id: this.lastPrompt?.id ?? Math.max(0, found.messageId - 1), at: res.at };
    const reply = await this.driver.waitForReply(this.bot, after, { ...this.waitOptions(), watchIds: [found.messageId] });
    if (res.answer !== undefined) reply.callbackAnswer = res.answer;
    const observed = this.observe(reply);
    // the pressed message was there before the press: its change is the first sign of the answer
    if ((observed.latencyFirstMs ?? 0) <= 0) observed.latencyFirstMs = observed.latencyFinalMs;
    return { action: { kind: 'click', button: found.button.text }, reply: observed };
  }

  buttons(): NumberedButton[] {
    return numberButtons(this.log.candidates(0));
  }

  takeUnasked(): Turn | undefined {
    const extra = this.log.candidates(this.cursor).filter((m) => !m.deleted && !this.isStale(m));
    if (extra.length === 0) return undefined;
    this.cursor = Math.max(this.cursor, ...extra.map((m) => m.id));
    const first = Math.min(...extra.map((m) => m.firstSeenAt));
    const last = Math.max(...extra.map((m) => m.lastChangeAt));
    return {
      action: { kind: 'unasked' },
      reply: {
        messages: extra.map((m) => ({ text: m.text, buttons: m.buttons?.map((r) => r.map((b) => b.text)) })),
        text: extra.map((m) => m.text).join('\n'),
        latencyFirstMs: first - this.lastActionAt,
        latencyFinalMs: last - this.lastActionAt,
        maxGapMs: largestGap(extra.flatMap((m) => [...this.log.changeTimes(m.id)])),
        settled: true,
      },
    };
  }

  history(limit: number): Promise<ChatHistoryEntry[]> {
    return this.driver.history(this.bot, limit);
  }

  async close(): Promise<void> {
    this.unsubscribe();
    await this.release();
  }

  private waitOptions(): { timeoutMs: number; settleMs: number; minMessages: number; signal?: AbortSignal } {
    return { timeoutMs: this.input.replyWaitMs ?? 30_000, settleMs: SETTLE_MS, minMessages: 1, signal: this.input.signal };
  }

  private observe(reply: Reply): ObservedReply {
    const live = reply.messages.filter((m) => !m.deleted);
    for (const m of reply.messages) this.cursor = Math.max(this.cursor, m.id);
    // the pauses inside the reply: between changes of its messages and the drafts streamed meanwhile
    const times = live.flatMap((m) => this.log.changeTimes(m.id).filter((t) => t >= reply.sentAt));
    for (const a of this.log.activitySince(reply.sentAt)) if (a.kind === 'draft' && (reply.finalAt === undefined || a.at <= reply.finalAt)) times.push(a.at);
    return {
      messages: live.map((m) => ({ text: m.text, buttons: m.buttons?.map((r) => r.map((b) => b.text)) })),
      text: reply.text,
      latencyFirstMs: reply.latencyFirstMs,
      latencyFinalMs: reply.latencyFinalMs,
      maxGapMs: largestGap(times),
      settled: reply.settled,
      callbackAnswer: reply.callbackAnswer,
      approximate: reply.latencyApprox,
    };
  }
}
