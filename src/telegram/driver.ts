/**
 * The BotDriver over a real user session (teleproto): talks to bots as a person would. Replies are detected from
 * pushed updates, never by polling; edits are merged by message id; the bot's typing status and drafts (Bot API
 * 9.5 streaming) are heard too, so the tester knows when a reply is final and when its first token came.
 * Lost pushes are recovered by the client's pts-based updates.getDifference (after a gap, a reconnect or
 * updatesTooLong); a history re-read after a reconnect and once at the deadline is the last resort, and a message
 * found there is stamped from its server date (corrected by the measured clock offset), never with the time of
 * the sweep.
 */
import { randomBytes } from 'node:crypto';
import { Api, helpers, type TelegramClient } from 'teleproto';
import { Raw } from 'teleproto/events/index.js';
import { UpdateConnectionState } from 'teleproto/network/index.js';
import type { BotDriver, BotPeer, Clock, GroupChatTarget, PeerCacheStore, SendOptions, SentMessage, WaitOptions } from '../core/ports.js';
import type { OutgoingMedia } from '../core/media-types.js';
import type { InlineButton, Reply, ReplyMessage } from '../core/types.js';
import { TgCanaryError } from '../core/errors.js';
import type { Logger } from '../util/logger.js';
import { ChatLog, type SeenMessage } from './chat-log.js';
import { buttonsOf, markupOf } from './buttons.js';
import { ClockOffset } from './clock-offset.js';
import { judgeFinality } from './finality.js';
import { mapTelegramError, rpcTimeout } from './errors.js';
import { sharedResolveLimiter, type ResolveLimiter } from './resolve-limiter.js';
import type { BotProfileInfo, InlineResultsInfo, InlineSentInfo } from '../core/bot-surface.js';
import type { SurfaceCall } from './bot-surface-call.js';
import { readBotProfile, startBot } from './bot-info.js';
import { inlineQuery, sendInlineResult } from './inline.js';
import { floodWaitSeconds, methodFamily, unmeteredFloodBudget, type FloodBudget } from './flood-budget.js';
import { shortChatMessage } from './basic-group-chat.js';
import { countsInThread, groupPeerId, groupSendError, hold, inThread, openGroupThread, release, repliedTo, replyToFor, type GroupThread } from './group-chat.js';
import { buildInputMedia, hasFile, mediaFileSize, replyMediaOf } from './media.js';

export interface GramjsDriverOptions {
  client: TelegramClient;
  clock: Clock;
  logger: Logger;
  /** Own deadline on every RPC: the client has none. */
  rpcTimeoutMs: number;
  /** Minimum gap between two prompts we send. */
  pacingMs: number;
  /**
   * Flood waits up to this long are slept through by the driver (the client itself never sleeps: its threshold is
   * 0), inside the send's own deadline; longer ones are an infrastructure error. Default 0.
   */
  floodBudgetMs?: number;
  /** Recognises a progress message ("🔎 Searching…", "On it!") that is not the answer yet. */
  isProgress?: (text: string) => boolean;
  /**
   * Resolved bots kept across runs (id + access hash per account): `contacts.resolveUsername` is only called on a
   * miss, or when a cached peer is refused (PEER_ID_INVALID). Without it every run resolves.
   */
  peerCache?: PeerCacheStore;
  /** Per-account limit on `contacts.resolveUsername`; default the process-wide one (10 a minute). */
  resolveLimiter?: ResolveLimiter;
  /**
   * The account's flood budget (flood-budget.ts), shared by every driver of one account (fleet mode: many bot
   * chats on one connection). Every RPC takes a token of its method family; a flood wait pauses the family for
   * the whole account. Default: one of its own without token buckets (flood pauses and `resolveLimiter` only).
   */
  floodBudget?: FloodBudget;
  /** The account's name in the budget (and /metrics); default the session's user id. */
  budgetAccount?: string;
}

/** One message of a chat's history, either side (for `tg-canary record --from-history`). */
export interface ChatHistoryEntry {
  id: number;
  /** Sent by the test user. */
  out: boolean;
  text: string;
  /** Telegram's date, ms (second resolution). */
  date: number;
  /** Date of the last edit, ms. */
  editDate?: number;
  buttons?: InlineButton[][];
}

interface PeerEntry {
  peer: BotPeer;
  input: Api.TypeInputPeer;
  log: ChatLog;
  /** Set when this is the bot inside a group (scenario `chat:`), not its private chat. */
  group?: GroupThread;
  /** Built from the peer cache, not resolved by this process: a PEER_ID_INVALID means resolve again. */
  cached: boolean;
}

/** A bot as Telegram resolved it. */
interface Resolved {
  userId: string;
  accessHash: string;
}

export class GramjsDriver implements BotDriver {
  private readonly client: TelegramClient;
  private readonly o: GramjsDriverOptions;
  private readonly peers = new Map<string, PeerEntry>();
  private readonly byUsername = new Map<string, PeerEntry>();
  private readonly resolving = new Map<string, Promise<BotPeer>>();
  /** Groups opened for a scenario `chat:` (group, topic, bot → the peer). */
  private readonly groupOpens = new Map<string, Promise<BotPeer>>();
  /** The session's user id (the peer cache's and the limiter's account), from the first users.getUsers(self). */
  private account?: Promise<string>;
  private readonly offset = new ClockOffset();
  /** Ids of prompts whose send we gave up on but that went out later: replies to them are never counted. */
  private readonly abandoned = new Set<number>();
  private lastSendAt = 0;
  private wasDisconnected = false;
  private resyncs = 0;
  private readonly handler = (u: unknown): void => this.onUpdate(u);
  private readonly raw = new Raw({});
  /** The file media of recent bot messages by id (private-chat ids are unique per account), for downloads. */
  private readonly files = new Map<number, Api.MessageMediaDocument | Api.MessageMediaPhoto>();

  private readonly budget: FloodBudget;

  constructor(opts: GramjsDriverOptions) {
    this.o = opts;
    this.client = opts.client;
    const limiter = opts.resolveLimiter ?? sharedResolveLimiter;
    this.budget = opts.floodBudget ?? unmeteredFloodBudget(limiter);
  }

  /** Stamps for prompts and replies: sub-millisecond where the clock has it (latencies of a few ms stay exact). */
  private now(): number {
    return this.o.clock.preciseNow?.() ?? this.o.clock.now();
  }

  /** How many times history was re-read (for tests and logs). */
  get resyncCount(): number {
    return this.resyncs;
  }

  /** Local clock minus Telegram's, as measured from pushed messages' dates (ms). */
  get clockOffsetMs(): number | undefined {
    return this.offset.estimate();
  }

  async connect(opts: { bots?: readonly string[] } = {}): Promise<void> {
    await this.rpc('connect', () => this.client.connect());
    this.client.addEventHandler(this.handler, this.raw);
    // The first real RPC proves the session is valid (AUTH_KEY_UNREGISTERED shows up here). The bots are resolved
    // alongside it: the client packs concurrent requests into one container, so the first prompt goes out one
    // round trip sooner (bench/cold-start.mjs). Their errors surface when the run asks resolveBot for them.
    // With a peer cache the lookups wait for the account id (cache hits then cost no round trip at all).
    const me = this.me();
    if (!this.account) {
      this.account = me.then((m) => m.id);
      this.account.catch(() => undefined); // a failed session check is reported by `await me` below
    }
    for (const bot of opts.bots ?? []) this.resolveBot(bot).catch(() => undefined);
    await me;
  }

  async me(): Promise<{ id: string; username?: string }> {
    const me = await this.rpc('users.getUsers(self)', () => this.client.getMe());
    return { id: String(me.id), username: me.username ?? undefined };
  }

  async resolveBot(username: string): Promise<BotPeer> {
    const name = username.replace(/^@/, '');
    const key = name.toLowerCase();
    const known = this.byUsername.get(key);
    if (known) return known.peer;
    // One lookup per name at a time: a run asking while connect's lookup is in flight shares it.
    let pending = this.resolving.get(key);
    if (!pending) {
      pending = this.findBot(name);
      this.resolving.set(key, pending);
      const forget = (): void => void this.resolving.delete(key);
      pending.then(forget, forget);
    }
    return pending;
  }

  /** From the peer cache when it has the bot, else from Telegram (and then cached). */
  private async findBot(name: string): Promise<BotPeer> {
    const account = await this.accountId();
    const hit = this.cacheCall('reading', () => this.o.peerCache?.cachedPeer(account, name));
    if (hit) return this.remember(name, hit, true).peer;
    return this.remember(name, await this.lookUpBot(name, account), false).peer;
  }

  private accountId(): Promise<string> {
    this.account ??= this.me().then((m) => m.id);
    return this.account;
  }

  /** contacts.resolveUsername, within the account's limit; the answer goes to the peer cache, a miss leaves it. */
  private async lookUpBot(name: string, account: string): Promise<Resolved> {
    const limiter = this.budget.resolveLimiter;
    const key = this.o.budgetAccount ?? account;
    if (limiter.recent(key, this.o.clock.now()) >= limiter.perMinute) {
      this.o.logger.info({ bot: name, perMinute: limiter.perMinute }, 'holding a bot lookup back: this account hit its resolveUsername limit');
    }
    let res: Api.contacts.ResolvedPeer;
    try {
      res = await this.rpc(`contacts.resolveUsername(${name})`, () =>
        this.client.invoke(new Api.contacts.ResolveUsername({ username: name })),
      );
    } catch (e) {
      if (e instanceof TgCanaryError && e.code === 'TG_BOT_NOT_FOUND') this.cacheCall('writing to', () => this.o.peerCache?.forgetPeer(account, name));
      throw e;
    }
    const user = res.users.find((u): u is Api.User => u instanceof Api.User);
    if (!user) {
      this.cacheCall('writing to', () => this.o.peerCache?.forgetPeer(account, name));
      throw new TgCanaryError('TG_BOT_NOT_FOUND', `@${name} did not resolve to a user or bot`, {
        kind: 'config',
        hint: 'Check CANARY_BOT / STABLE_BOT.',
      });
    }
    const found: Resolved = { userId: String(user.id), accessHash: String(user.accessHash ?? 0) };
    this.cacheCall('writing to', () => this.o.peerCache?.savePeer(account, name, found));
    return found;
  }

  private remember(name: string, r: Resolved, cached: boolean): PeerEntry {
    const peer: BotPeer = { username: name, id: r.userId };
    const entry: PeerEntry = { peer, input: inputPeerOf(r), log: this.peers.get(peer.id)?.log ?? new ChatLog(), cached };
    this.peers.set(peer.id, entry);
    this.byUsername.set(name.toLowerCase(), entry);
    return entry;
  }

  /**
   * A cached peer Telegram refused (the bot was re-created, or the hash is stale): drop it, resolve the name again
   * and point the entry (under the old id too, which the run's BotPeer still carries) at the fresh peer.
   */
  private async refresh(entry: PeerEntry): Promise<void> {
    const name = entry.peer.username;
    const account = await this.accountId();
    this.o.logger.info({ bot: name }, 'the cached peer of a bot was refused (PEER_ID_INVALID); resolving it again');
    this.cacheCall('writing to', () => this.o.peerCache?.forgetPeer(account, name));
    const fresh = await this.lookUpBot(name, account);
    entry.input = inputPeerOf(fresh);
    entry.cached = false;
    this.peers.set(fresh.userId, entry);
  }

  /** The peer cache is derived data: a failing store (read-only, locked) costs a lookup, never the run. */
  private cacheCall<T>(what: 'reading' | 'writing to', fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      this.o.logger.warn({ err: e instanceof Error ? e.message : String(e) }, `${what} the peer cache failed; carrying on without it`);
      return undefined;
    }
  }

  /**
   * Sends a prompt. A flood wait within the budget is slept through here and reported as `floodWaitMs` (it is no
   * part of the bot's latency: `at` is when the prompt really went out). The send has one deadline covering the
   * flood waits and the RPC; a send given up on is watched, and if it still goes out, replies to it are ignored.
   */
  async send(bot: BotPeer, text: string, opts: SendOptions = {}): Promise<SentMessage> {
    const entry = this.entry(bot);
    if (entry.group) {
      const g = entry.group;
      try {
        const sent = await this.sendOnce(entry, text, replyToFor(g, opts.replyToId));
        for (const h of release(g, sent.id)) entry.log.upsert({ ...toSeen(h.m), replyToId: sent.id }, h.at, h.via);
        return sent;
      } catch (e) {
        throw groupSendError(e, g) ?? e;
      }
    }
    const replyTo = opts.replyToId === undefined ? undefined : new Api.InputReplyToMessage({ replyToMsgId: opts.replyToId });
    try {
      return await this.sendOnce(entry, text, replyTo);
    } catch (e) {
      if (!entry.cached || rpcErrorMessage(e) !== 'PEER_ID_INVALID') throw e;
      await this.refresh(entry);
      return this.sendOnce(entry, text, replyTo);
    }
  }

  /**
   * The bot inside a group or forum topic the test user shares with it (group-chat.ts). Opened once per process
   * and (group, topic, bot): every scenario of a run in that chat reuses it (resolveUsername is rate-limited).
   */
  inGroup(bot: BotPeer, chat: GroupChatTarget): Promise<BotPeer> {
    const key = `${chat.group.trim().toLowerCase()}\n${(chat.topic ?? '').trim().toLowerCase()}\n${bot.id}`;
    let open = this.groupOpens.get(key);
    if (!open) {
      open = this.openGroup(bot, chat);
      this.groupOpens.set(key, open);
      open.catch(() => this.groupOpens.delete(key)); // a failed open is retried by the next scenario
    }
    return open;
  }

  private async openGroup(bot: BotPeer, chat: GroupChatTarget): Promise<BotPeer> {
    this.entry(bot);
    const account = await this.accountId();
    const limiter = this.o.resolveLimiter ?? sharedResolveLimiter;
    const { input, thread } = await openGroupThread(this.client, (during, fn) => this.rpc(during, fn), bot, chat, () => limiter.acquire(account, this.o.clock));
    const id = groupPeerId(thread);
    const known = this.peers.get(id);
    if (known) return known.peer;
    const peer: BotPeer = { username: bot.username, id };
    this.peers.set(id, { peer, input, log: new ChatLog(), cached: false, group: thread });
    return peer;
  }

  /** Sends a photo, document, voice note, video note, sticker, location or contact (uploading the file first). */
  async sendMedia(bot: BotPeer, media: OutgoingMedia, caption: string): Promise<SentMessage> {
    const entry = this.entry(bot);
    const input = await buildInputMedia(this.client, media, (during, fn) => this.rpc(during, fn));
    const request = (randomId: Api.long): Api.messages.SendMedia => new Api.messages.SendMedia({ peer: entry.input, media: input, message: caption, randomId });
    try {
      return await this.sendOnce(entry, caption, undefined, request);
    } catch (e) {
      if (!entry.cached || rpcErrorMessage(e) !== 'PEER_ID_INVALID') throw e;
      await this.refresh(entry);
      return this.sendOnce(entry, caption, undefined, (randomId) => new Api.messages.SendMedia({ peer: entry.input, media: input, message: caption, randomId }));
    }
  }

  /**
   * The bytes of a bot message's file, refused above `maxBytes` (before any byte is fetched when Telegram states
   * the size). An expired file reference is refreshed once by re-reading the message (messages.getMessages).
   */
  async downloadMedia(bot: BotPeer, messageId: number, opts: { maxBytes: number; signal?: AbortSignal }): Promise<Buffer> {
    this.entry(bot); // the bot must have been resolved first
    let media = this.files.get(messageId) ?? (await this.refetchMedia(messageId));
    for (let attempt = 0; ; attempt++) {
      if (!media) {
        throw new TgCanaryError('MEDIA_NOT_FOUND', `@${bot.username}'s message ${messageId} has no file to download`, { kind: 'bot' });
      }
      const stated = mediaFileSize(media);
      if (stated !== undefined && stated > opts.maxBytes) throw tooLarge(bot, messageId, stated, opts.maxBytes);
      const m = media;
      try {
        const data = await this.rpc('upload.getFile', () => this.client.downloadMedia(m, { signal: opts.signal } as never));
        const buf = Buffer.isBuffer(data) ? data : Buffer.alloc(0);
        if (buf.length > opts.maxBytes) throw tooLarge(bot, messageId, buf.length, opts.maxBytes);
        return buf;
      } catch (e) {
        if (attempt === 0 && /^FILE_REFERENCE_/.test(rpcErrorMessage(e) ?? '')) {
          this.o.logger.info({ messageId }, 'the file reference expired; re-reading the message for a fresh one');
          media = await this.refetchMedia(messageId);
          continue;
        }
        throw e;
      }
    }
  }

  /** A message's file media, read again from Telegram (a fresh file reference). */
  private async refetchMedia(id: number): Promise<Api.MessageMediaDocument | Api.MessageMediaPhoto | undefined> {
    const res = await this.rpc('messages.getMessages', () => this.client.invoke(new Api.messages.GetMessages({ id: [new Api.InputMessageID({ id })] })));
    const msgs = 'messages' in res ? res.messages : [];
    const m = msgs.find((x): x is Api.Message => x instanceof Api.Message && x.id === id);
    if (!m || !hasFile(m.media)) return undefined;
    this.keepFile(id, m.media);
    return m.media;
  }

  private keepFile(id: number, media: Api.TypeMessageMedia | undefined): void {
    if (!hasFile(media)) return;
    if (this.files.size >= MAX_KEPT_FILES && !this.files.has(id)) {
      const oldest = this.files.keys().next().value;
      if (oldest !== undefined) this.files.delete(oldest);
    }
    this.files.set(id, media);
  }

  private async sendOnce(entry: PeerEntry, text: string, replyTo?: Api.InputReplyToMessage, request?: (randomId: Api.long) => Api.messages.SendMedia): Promise<SentMessage> {
    const gap = this.lastSendAt + this.o.pacingMs - this.now();
    if (gap > 0) await this.o.clock.sleep(gap);
    const budget = this.o.floodBudgetMs ?? 0;
    const deadline = this.now() + this.o.rpcTimeoutMs + budget;
    let floodWaitMs = 0;
    const account = await this.budgetKey('messages.sendMessage');
    for (;;) {
      if (account !== undefined) await this.budget.take(account, 'send', this.o.clock, deadline);
      const at = this.now();
      this.lastSendAt = at;
      // A raw messages.sendMessage: the text goes out exactly as written (the client's sendMessage would parse it
      // as Markdown by default, turning `_x_` into italics), and without its extra entity work.
      const randomId = randomBigInt();
      const call: Promise<Api.TypeUpdates> = request
        ? this.client.invoke(request(randomId))
        : this.client.invoke(new Api.messages.SendMessage({ peer: entry.input, message: text, randomId, noWebpage: true, replyTo }));
      try {
        const res = await withDeadline(call, Math.max(1, Math.min(this.o.rpcTimeoutMs, deadline - at)), 'messages.sendMessage');
        return { id: sentMessageId(res, randomId), at, floodWaitMs: floodWaitMs || undefined };
      } catch (e) {
        const wait = floodWaitSeconds(e);
        // The whole account's sends pause, not only this chat's (every chat of the account takes from one budget).
        if (wait !== undefined && account !== undefined) this.budget.pause(account, 'messages.sendMessage', wait, this.o.clock.now());
        if (wait !== undefined && wait * 1000 <= budget - floodWaitMs && this.now() + wait * 1000 < deadline) {
          this.o.logger.info({ seconds: wait }, 'flood wait on messages.sendMessage: sleeping it through (not counted as latency)');
          // With a budget the pause is slept through by the next take (every chat of the account waits with us).
          if (account === undefined) await this.o.clock.sleep(wait * 1000);
          floodWaitMs += wait * 1000;
          continue;
        }
        if (e instanceof TgCanaryError && e.code === 'TG_RPC_TIMEOUT') this.watchAbandoned(call, randomId);
        throw mapTelegramError(e, 'messages.sendMessage');
      }
    }
  }

  /** A send we gave up on may still reach Telegram later: remember its id so nothing answering it is counted. */
  private watchAbandoned(call: Promise<Api.TypeUpdates>, randomId: Api.long): void {
    call.then(
      (res) => {
        try {
          const id = sentMessageId(res, randomId);
          this.abandoned.add(id);
          this.o.logger.warn({ id }, 'a prompt we gave up on was delivered late; replies to it are ignored');
        } catch {
          // no id: nothing to ignore
        }
      },
      () => undefined,
    );
  }

  async waitForReply(bot: BotPeer, after: SentMessage, opts: WaitOptions): Promise<Reply> {
    const entry = this.entry(bot);
    const win = { afterId: after.id, floorId: opts.floorId ?? after.id, watchIds: opts.watchIds, sentAt: after.at };
    const fin = {
      timeoutMs: opts.timeoutMs,
      settleMs: opts.settleMs,
      settleMaxMs: opts.settleMaxMs ?? Math.max(opts.settleMs, 10_000),
      minMessages: opts.minMessages,
      isProgress: this.o.isProgress,
    };
    let swept = false;
    let rejected = false;
    for (;;) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      const state = judgeFinality(entry.log, win, fin, this.now());
      const reply = this.withoutAbandoned(state.reply);
      // Web-first: a complete-looking reply that fails its checks may still change (a stream paused between
      // edits). Keep waiting while it changes; once it has stayed the same for a while longer, up to the answer's
      // deadline (prompt + timeout), the failing state is final.
      const giveUpAt = Math.min(state.answerDeadline, (state.lastEventAt ?? this.now()) + Math.max(REJECTED_QUIET_MS, 2 * state.windowMs));
      if (state.settled && opts.accept && this.now() < giveUpAt) {
        if (await opts.accept(reply)) return reply;
        rejected = true;
      } else if (state.done || (rejected && state.settled)) {
        if (reply.messageCount === 0 && !swept) {
          // Last look before calling the bot silent: pushes lost beyond the client's recovery are only in history.
          swept = true;
          await this.resync(entry);
          if (entry.log.candidates(win.afterId, win.watchIds, win.sentAt).length > 0) continue;
        }
        if (rejected && state.settled) reply.finality = `${reply.finality}; its checks still failed at the deadline`;
        return reply;
      }
      const wakeAt = rejected && state.settled ? giveUpAt : state.wakeAt;
      await this.waitForChange(entry, Math.max(1, wakeAt - this.now()), opts.signal);
    }
  }

  /** New bot messages above `afterId` that arrive within `quietMs` (a bot that keeps talking after the scenario). */
  async collectTrailing(bot: BotPeer, afterId: number, quietMs: number, signal?: AbortSignal, floorId = 0): Promise<ReplyMessage[]> {
    const entry = this.entry(bot);
    const end = this.now() + quietMs;
    while (this.now() < end && !signal?.aborted) await this.waitForChange(entry, Math.max(1, end - this.now()), signal);
    const lateElsewhere = (m: ReplyMessage): boolean => m.replyToId !== undefined && (m.replyToId < floorId || this.abandoned.has(m.replyToId));
    return entry.log.candidates(afterId).filter((m) => !m.deleted && !lateElsewhere(m));
  }

  async click(bot: BotPeer, messageId: number, button: InlineButton): Promise<{ answer?: string; alert?: boolean; url?: string; at: number }> {
    const entry = this.entry(bot);
    const at = this.now();
    try {
      const res = await this.rpc('messages.getBotCallbackAnswer', () =>
        this.client.invoke(
          new Api.messages.GetBotCallbackAnswer({ peer: entry.input, msgId: messageId, data: Buffer.from(button.data, 'utf8') }),
        ),
      );
      return { answer: res.message ?? undefined, alert: res.alert ? true : undefined, url: res.url ?? undefined, at };
    } catch (e) {
      // Answering a button press (answerCallbackQuery) is the bot's job; Telegram's own -503 Timeout stays ours.
      const cause = e instanceof TgCanaryError ? e.cause : e;
      if ((cause as { errorMessage?: string } | undefined)?.errorMessage === 'BOT_RESPONSE_TIMEOUT') {
        throw new TgCanaryError('BOT_RESPONSE_TIMEOUT', `@${bot.username} did not answer the press of "${button.text}" in time (BOT_RESPONSE_TIMEOUT)`, {
          kind: 'bot',
          hint: 'The bot must call answerCallbackQuery for every button press, within about 10 s.',
          cause: e,
        });
      }
      throw e;
    }
  }

  /** A deep link t.me/<bot>?start=<payload> (messages.startBot); replies to it are the bot's next messages. */
  async startBot(bot: BotPeer, payload: string): Promise<SentMessage> {
    const sent = await startBot(this.surface(bot), payload);
    this.lastSendAt = sent.at;
    return sent;
  }

  async botProfile(bot: BotPeer): Promise<BotProfileInfo> {
    return readBotProfile(this.surface(bot));
  }

  async inlineQuery(bot: BotPeer, query: string, offset?: string): Promise<InlineResultsInfo> {
    return inlineQuery(this.surface(bot), query, offset);
  }

  async sendInlineResult(bot: BotPeer, queryId: string, resultId: string): Promise<InlineSentInfo> {
    const sent = await sendInlineResult(this.surface(bot), queryId, resultId);
    this.lastSendAt = sent.at;
    return sent;
  }

  private surface(bot: BotPeer): SurfaceCall {
    const entry = this.entry(bot);
    if (!(entry.input instanceof Api.InputPeerUser)) throw new TgCanaryError('INTERNAL_UNRESOLVED_BOT', `@${bot.username} is not a user peer`, { kind: 'internal' });
    return { client: this.client, bot, peer: entry.input, rpc: (during, fn) => this.rpc(during, fn), now: () => this.now() };
  }

  /**
   * Opens a Mini App button as a user's client does: messages.requestWebView (an inline keyboard's button; a reply
   * keyboard's: messages.requestSimpleWebView) with
   * the button's URL; Telegram answers with the URL carrying the signed init data (tgWebAppData).
   */
  async openWebApp(bot: BotPeer, button: InlineButton, opts: { simple?: boolean } = {}): Promise<{ url: string }> {
    const entry = this.entry(bot);
    const input = entry.input as Api.InputPeerUser;
    if (opts.simple) {
      // a reply keyboard's Mini App button (KeyboardButtonSimpleWebView)
      const res = await this.rpc('messages.requestSimpleWebView', () =>
        this.client.invoke(new Api.messages.RequestSimpleWebView({ bot: new Api.InputUser({ userId: input.userId, accessHash: input.accessHash }), url: button.url ?? '', platform: 'web' })),
      );
      return { url: res.url };
    }
    const res = await this.rpc('messages.requestWebView', () =>
      this.client.invoke(
        new Api.messages.RequestWebView({
          peer: entry.input,
          bot: new Api.InputUser({ userId: input.userId, accessHash: input.accessHash }),
          url: button.url ?? '',
          platform: 'web',
        }),
      ),
    );
    return { url: res.url };
  }

  /** The messages seen in a bot chat, for the runner's bookkeeping (last id consumed, buttons to press). */
  chatLog(bot: BotPeer): ChatLog {
    return this.entry(bot).log;
  }

  /** The last `limit` messages of the chat with a bot, both sides, oldest first. */
  async history(bot: BotPeer, limit: number): Promise<ChatHistoryEntry[]> {
    const entry = this.entry(bot);
    const res = await this.rpc('messages.getHistory', () =>
      this.client.invoke(
        new Api.messages.GetHistory({ peer: entry.input, limit, offsetId: 0, addOffset: 0, maxId: 0, minId: 0, hash: 0 as never }),
      ),
    );
    if (!('messages' in res)) return [];
    const out: ChatHistoryEntry[] = [];
    for (const m of [...res.messages].reverse()) {
      if (!(m instanceof Api.Message)) continue;
      out.push({
        id: m.id, out: !!m.out, text: m.message ?? '', date: m.date * 1000,
        editDate: m.editDate ? m.editDate * 1000 : undefined, buttons: buttonsOf(m.replyMarkup),
      });
    }
    return out;
  }

  /** Sends a message to any peer (the Telegram-user alert channel). */
  async sendTo(peer: string, text: string, html = false): Promise<void> {
    await this.rpc('messages.sendMessage', () =>
      this.client.sendMessage(peer, { message: text, parseMode: html ? 'html' : undefined }),
    );
  }

  async close(): Promise<void> {
    this.client.removeEventHandler(this.handler, this.raw);
    try {
      await withDeadline(this.client.destroy(), 3000, 'disconnect');
    } catch (e) {
      this.o.logger.debug({ err: String(e) }, 'disconnect did not finish cleanly');
    }
  }

  // ---------------------------------------------------------------- internals

  private entry(bot: BotPeer): PeerEntry {
    const e = this.peers.get(bot.id);
    if (!e) throw new TgCanaryError('INTERNAL_UNRESOLVED_BOT', `@${bot.username} was not resolved first`, { kind: 'internal' });
    return e;
  }

  private withoutAbandoned(reply: Reply): Reply {
    if (!this.abandoned.size) return reply;
    const keep = reply.messages.filter((m) => !(m.replyToId !== undefined && this.abandoned.has(m.replyToId)));
    if (keep.length === reply.messages.length) return reply;
    const live = keep.filter((m) => !m.deleted);
    return { ...reply, messages: keep, text: live.map((m) => m.text).join('\n'), messageCount: live.length };
  }

  /**
   * One RPC within its deadline, through the account's flood budget: a token of the method's family first; a flood
   * wait pauses the family for the account and is slept through when it fits the flood budget and the deadline.
   */
  private async rpc<T>(during: string, fn: () => Promise<T>): Promise<T> {
    const account = await this.budgetKey(during);
    const family = methodFamily(during);
    const budget = this.o.floodBudgetMs ?? 0;
    const deadline = this.now() + this.o.rpcTimeoutMs + budget;
    let slept = 0;
    for (;;) {
      if (account !== undefined) await this.budget.take(account, family, this.o.clock, deadline);
      try {
        return await withDeadline(fn(), this.o.rpcTimeoutMs, during);
      } catch (e) {
        const wait = floodWaitSeconds(e);
        if (wait !== undefined && account !== undefined) this.budget.pause(account, during, wait, this.o.clock.now());
        if (wait !== undefined && account !== undefined && wait * 1000 <= budget - slept && this.now() + wait * 1000 < deadline) {
          this.o.logger.info({ seconds: wait, during }, 'flood wait: the account pauses these calls, then retries');
          slept += wait * 1000;
          continue;
        }
        throw mapTelegramError(e, during);
      }
    }
  }

  /** The account's key in the flood budget; none for connecting and the session check that names the account. */
  private async budgetKey(during: string): Promise<string | undefined> {
    if (this.o.budgetAccount !== undefined) return during === 'connect' ? undefined : this.o.budgetAccount;
    if (during === 'connect' || during.startsWith('users.getUsers')) return undefined;
    return this.accountId();
  }

  private waitForChange(entry: PeerEntry, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(t);
        off();
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const t = setTimeout(done, ms);
      const off = entry.log.onChange(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /**
   * Re-reads the chat's recent history. A failure is Telegram's, never "the bot said nothing": it throws an
   * infrastructure error. Messages found only here are stamped from their server date, not with now.
   */
  private async resync(entry: PeerEntry): Promise<void> {
    this.resyncs += 1;
    const g = entry.group;
    const res = await this.rpc('messages.getHistory', () =>
      g?.topicId !== undefined
        ? this.client.invoke(new Api.messages.GetReplies({ peer: entry.input, msgId: g.topicId, limit: 30, offsetId: 0, offsetDate: 0, addOffset: 0, maxId: 0, minId: 0, hash: 0 as never })) :
      this.client.invoke(
        new Api.messages.GetHistory({ peer: entry.input, limit: 30, offsetId: 0, addOffset: 0, maxId: 0, minId: 0, hash: 0 as never }),
      ),
    );
    if (!('messages' in res)) return;
    const now = this.now();
    for (const m of [...res.messages].reverse()) {
      if (!(m instanceof Api.Message) || m.out || (g && !countsInThread(g, m))) continue;
      this.keepFile(m.id, m.media);
      const seen = g ? { ...toSeen(m), replyToId: repliedTo(m) } : toSeen(m);
      if (entry.log.get(m.id)) {
        entry.log.upsert(seen, now, 'history');
        continue;
      }
      entry.log.upsert(seen, this.offset.localTime(m.date, now), 'history');
    }
  }

  private onUpdate(u: unknown): void {
    try {
      this.dispatch(u);
    } catch (e) {
      this.o.logger.warn({ err: String(e) }, 'could not read an update');
    }
  }

  private dispatch(u: unknown): void {
    const now = this.now();
    if (u instanceof UpdateConnectionState) {
      if (u.state === UpdateConnectionState.connected && this.wasDisconnected) {
        this.wasDisconnected = false;
        // Updates pushed while we were away come back through updates.getDifference; only if that fails is the
        // history of each bot chat re-read.
        this.o.logger.info('reconnected to Telegram; fetching the updates missed meanwhile');
        void this.client.catchUp().catch(() => {
          for (const e of this.peers.values()) void this.resync(e).catch(() => undefined);
        });
      } else if (u.state !== UpdateConnectionState.connected) {
        this.wasDisconnected = true;
      }
      return;
    }
    if (u instanceof Api.UpdateShortMessage) {
      if (u.out) return;
      const log = this.peers.get(String(u.userId))?.log;
      if (!log) return;
      this.offset.sample(u.date, now);
      log.upsert({ id: u.id, text: u.message, replyToId: replyToOf(u.replyTo), serverDate: u.date * 1000 }, now);
      return;
    }
    if (u instanceof Api.UpdateShortChatMessage) {
      if (!u.out) this.toGroupThreads(shortChatMessage(u), now, 'push');
      return;
    }
    if (u instanceof Api.UpdateNewMessage || u instanceof Api.UpdateEditMessage) {
      const m = u.message;
      if (!(m instanceof Api.Message) || m.out) return;
      if (m.peerId instanceof Api.PeerChat) {
        // a basic group's message (in our own id / pts sequence): for the group threads only
        const dated = this.offset.localTime(u instanceof Api.UpdateEditMessage ? m.editDate ?? m.date : m.date, now);
        const recovered = (u instanceof Api.UpdateNewMessage && u.pts === 0 && u.ptsCount === 0) || now - dated > LATE_ARRIVAL_MS;
        this.toGroupThreads(m, recovered ? dated : now, recovered ? 'difference' : 'push');
        return;
      }
      const peer = m.peerId instanceof Api.PeerUser ? String(m.peerId.userId) : undefined;
      const log = peer ? this.peers.get(peer)?.log : undefined;
      if (!log) return;
      this.keepFile(m.id, m.media);
      // The client hands on messages it recovered by updates.getDifference as UpdateNewMessage with pts 0; an
      // edit recovered that way is only known by its date lying well before its arrival.
      const dated = this.offset.localTime(u instanceof Api.UpdateEditMessage ? m.editDate ?? m.date : m.date, now);
      const recovered = (u instanceof Api.UpdateNewMessage && u.pts === 0 && u.ptsCount === 0) || now - dated > LATE_ARRIVAL_MS;
      if (recovered) {
        log.upsert(toSeen(m), dated, 'difference');
      } else {
        if (u instanceof Api.UpdateNewMessage) this.offset.sample(m.date, now);
        log.upsert(toSeen(m), now, 'push');
      }
      return;
    }
    if (u instanceof Api.UpdateNewChannelMessage || u instanceof Api.UpdateEditChannelMessage) {
      const m = u.message;
      if (!(m instanceof Api.Message)) return;
      const recovered = u instanceof Api.UpdateNewChannelMessage && u.pts === 0 && u.ptsCount === 0;
      const at = recovered ? this.offset.localTime(m.date, now) : now;
      this.toGroupThreads(m, at, recovered ? 'difference' : 'push');
      return;
    }
    if (u instanceof Api.UpdateDeleteChannelMessages) {
      for (const e of this.peers.values()) if (e.group?.channelId === String(u.channelId)) e.log.markDeleted(u.messages, now);
      return;
    }
    if (u instanceof Api.UpdateUserTyping) {
      const log = this.peers.get(String(u.userId))?.log;
      if (!log) return;
      const a = u.action;
      if (a instanceof Api.SendMessageTextDraftAction) {
        log.addActivity({ kind: 'draft', at: now, draftId: String(a.randomId ?? ''), text: a.text?.text ?? '' });
      } else if (a instanceof Api.SendMessageCancelAction) {
        log.addActivity({ kind: 'cancel', at: now });
      } else {
        log.addActivity({ kind: 'typing', at: now });
      }
      return;
    }
    if (u instanceof Api.UpdateDeleteMessages) {
      // Private-chat deletions carry no peer: ids are unique per user account, so mark them wherever they are.
      for (const e of this.peers.values()) if (!e.group || e.group.basic) e.log.markDeleted(u.messages, now);
    }
  }

  /** A group message to the threads it belongs to (the bot's, in that group and topic). */
  private toGroupThreads(m: Api.Message, at: number, via: 'push' | 'difference'): void {
    for (const e of this.peers.values()) {
      if (!e.group || !inThread(e.group, m)) continue;
      // a reply to someone else's message is the bot talking to them (held: the id may yet turn out ours)
      if (!countsInThread(e.group, m) && !e.log.get(m.id)) hold(e.group, m, at, via);
      else e.log.upsert({ ...toSeen(m), replyToId: repliedTo(m) }, at, via);
    }
  }
}

/** Bot messages whose file media is kept for downloads. */
const MAX_KEPT_FILES = 500;

/** A reply that settled but fails its checks is waited on this much longer (at least) for a change. */
const REJECTED_QUIET_MS = 1500;

/** An update dated this much before it reached us was held back (a lost push recovered later), not just slow. */
const LATE_ARRIVAL_MS = 2000;

/** A random signed 64-bit id, from 8 random bytes (gramjs' generateRandomLong goes through strings: ~10x slower). */
function randomBigInt(): Api.long {
  return helpers.returnBigInt(randomBytes(8).readBigInt64LE());
}

/** The id Telegram gave the message we sent, from either answer shape. */
function sentMessageId(res: Api.TypeUpdates, randomId: Api.long): number {
  if (res instanceof Api.UpdateShortSentMessage) return res.id;
  if (res instanceof Api.Updates || res instanceof Api.UpdatesCombined) {
    for (const u of res.updates) {
      if (u instanceof Api.UpdateMessageID && String(u.randomId) === String(randomId)) return u.id;
    }
    for (const u of res.updates) {
      if ((u instanceof Api.UpdateNewMessage) && u.message instanceof Api.Message && u.message.out) return u.message.id;
    }
  }
  throw new TgCanaryError('TG_BAD_ANSWER', 'Telegram answered messages.sendMessage without the new message id', {
    kind: 'infra',
    hint: 'An unexpected answer from Telegram; the run is inconclusive.',
  });
}

function replyToOf(r: unknown): number | undefined {
  return r instanceof Api.MessageReplyHeader && typeof r.replyToMsgId === 'number' ? r.replyToMsgId : undefined;
}

function toSeen(m: Api.Message): SeenMessage {
  const seen: SeenMessage = { id: m.id, text: m.message ?? '', replyToId: replyToOf(m.replyTo), ...markupOf(m.replyMarkup), serverDate: m.date * 1000 };
  const media = replyMediaOf(m.media);
  if (media) seen.media = media;
  return seen;
}

function tooLarge(bot: BotPeer, messageId: number, size: number, max: number): TgCanaryError {
  return new TgCanaryError('MEDIA_TOO_LARGE', `@${bot.username}'s file in message ${messageId} is ${size} bytes, above the download cap of ${max} bytes`, { kind: 'bot' });
}

/** The InputPeerUser of a resolved bot (ids travel as decimal strings; the client wants its big integers). */
function inputPeerOf(r: Resolved): Api.InputPeerUser {
  return new Api.InputPeerUser({ userId: helpers.returnBigInt(r.userId), accessHash: helpers.returnBigInt(r.accessHash) });
}

/** Telegram's error message (e.g. PEER_ID_INVALID) behind an error, mapped or not. */
function rpcErrorMessage(e: unknown): string | undefined {
  const cause = e instanceof TgCanaryError ? e.cause : e;
  const msg = (cause as { errorMessage?: unknown } | undefined)?.errorMessage;
  return typeof msg === 'string' ? msg : undefined;
}

export function withDeadline<T>(p: Promise<T>, ms: number, during: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(rpcTimeout(during, ms)), ms);
    t.unref?.();
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
