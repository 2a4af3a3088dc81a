/**
 * The gramjs BotDriver: talks to bots as a real user session. Replies are detected from pushed updates (never by
 * polling), edits merged by message id; history is re-read after a reconnect and once at the deadline, because
 * gramjs 2.26 never calls updates.getDifference and updates pushed while disconnected are lost.
 */
import { randomBytes } from 'node:crypto';
import { Api, helpers, type TelegramClient } from 'teleproto';
import { Raw } from 'teleproto/events/index.js';
import { UpdateConnectionState } from 'teleproto/network/index.js';
import type { BotDriver, BotPeer, Clock, SentMessage, WaitOptions } from '../core/ports.js';
import type { InlineButton, Reply } from '../core/types.js';
import { TgCanaryError } from '../core/errors.js';
import type { Logger } from '../util/logger.js';
import { ChatLog, evaluateSettle, type SeenMessage } from './reply-tracker.js';
import { mapTelegramError, rpcTimeout } from './errors.js';

export interface GramjsDriverOptions {
  client: TelegramClient;
  clock: Clock;
  logger: Logger;
  /** Own deadline on every RPC: gramjs has none. */
  rpcTimeoutMs: number;
  /** Minimum gap between two prompts we send. */
  pacingMs: number;
  /** Recognises a placeholder ("Thinking…") that is not an answer yet. */
  isPlaceholder?: (text: string) => boolean;
}

export interface WaitExtras {
  /** Messages whose later edits count as part of this reply (the message whose button was pressed). */
  watchIds?: number[];
}

interface PeerEntry {
  peer: BotPeer;
  input: Api.TypeInputPeer;
  log: ChatLog;
}

export class GramjsDriver implements BotDriver {
  private readonly client: TelegramClient;
  private readonly o: GramjsDriverOptions;
  private readonly peers = new Map<string, PeerEntry>();
  private readonly byUsername = new Map<string, PeerEntry>();
  private readonly resolving = new Map<string, Promise<BotPeer>>();
  private lastSendAt = 0;
  private wasDisconnected = false;
  private resyncs = 0;
  private readonly handler = (u: unknown): void => this.onUpdate(u);
  private readonly raw = new Raw({});

  constructor(opts: GramjsDriverOptions) {
    this.o = opts;
    this.client = opts.client;
  }

  /** Stamps for prompts and replies: sub-millisecond where the clock has it (latencies of a few ms stay exact). */
  private now(): number {
    return this.o.clock.preciseNow?.() ?? this.o.clock.now();
  }

  /** How many times history was re-read after a reconnect (for tests and logs). */
  get resyncCount(): number {
    return this.resyncs;
  }

  async connect(opts: { bots?: readonly string[] } = {}): Promise<void> {
    await this.rpc('connect', () => this.client.connect());
    this.client.addEventHandler(this.handler, this.raw);
    // The first real RPC proves the session is valid (AUTH_KEY_UNREGISTERED shows up here). The bots are resolved
    // alongside it: gramjs packs concurrent requests into one container, so the first prompt goes out one round
    // trip sooner (bench/cold-start.mjs). Their errors surface when the run asks resolveBot for them.
    const me = this.me();
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
      pending = this.lookUpBot(name);
      this.resolving.set(key, pending);
      const forget = (): void => void this.resolving.delete(key);
      pending.then(forget, forget);
    }
    return pending;
  }

  private async lookUpBot(name: string): Promise<BotPeer> {
    const res = await this.rpc(`contacts.resolveUsername(${name})`, () =>
      this.client.invoke(new Api.contacts.ResolveUsername({ username: name })),
    );
    const user = res.users.find((u): u is Api.User => u instanceof Api.User);
    if (!user) {
      throw new TgCanaryError('TG_BOT_NOT_FOUND', `@${name} did not resolve to a user or bot`, {
        kind: 'config',
        hint: 'Check CANARY_BOT / STABLE_BOT.',
      });
    }
    const peer: BotPeer = { username: name, id: String(user.id) };
    const entry: PeerEntry = {
      peer,
      input: new Api.InputPeerUser({ userId: user.id, accessHash: user.accessHash ?? (0 as never) }),
      log: this.peers.get(peer.id)?.log ?? new ChatLog(),
    };
    this.peers.set(peer.id, entry);
    this.byUsername.set(name.toLowerCase(), entry);
    return peer;
  }

  async send(bot: BotPeer, text: string): Promise<SentMessage> {
    const entry = this.entry(bot);
    const gap = this.lastSendAt + this.o.pacingMs - this.now();
    if (gap > 0) await this.o.clock.sleep(gap);
    const at = this.now();
    this.lastSendAt = at;
    // A raw messages.sendMessage: the text goes out exactly as written (gramjs' sendMessage would parse it as
    // Markdown by default, turning `_x_` into italics), and without gramjs' extra entity work.
    const randomId = randomBigInt();
    const res = await this.rpc('messages.sendMessage', () =>
      this.client.invoke(new Api.messages.SendMessage({ peer: entry.input, message: text, randomId, noWebpage: true })),
    );
    return { id: sentMessageId(res, randomId), at };
  }

  async waitForReply(bot: BotPeer, after: SentMessage, opts: WaitOptions & WaitExtras): Promise<Reply> {
    const entry = this.entry(bot);
    const sel = { afterId: after.id, excludeRepliesBelow: after.id, watchIds: opts.watchIds, since: after.at };
    const settleOpts = {
      sentAt: after.at,
      timeoutMs: opts.timeoutMs,
      settleMs: opts.settleMs,
      minMessages: opts.minMessages,
      isPlaceholder: this.o.isPlaceholder,
    };
    let swept = false;
    for (;;) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      const state = evaluateSettle(entry.log.select(sel), settleOpts, this.now());
      if (state.done) {
        if (state.reply.messageCount === 0 && !swept) {
          // Last look before calling the bot silent: replies pushed while we were disconnected are only in history.
          swept = true;
          await this.resync(entry).catch((e: unknown) => this.o.logger.warn({ err: String(e) }, 'history sweep failed'));
          if (entry.log.select(sel).length > 0) {
            // Found only in history (its push was lost): give it one settle window from now to prove it is final.
            settleOpts.timeoutMs = Math.max(settleOpts.timeoutMs, this.now() - after.at);
            continue;
          }
        }
        return state.reply;
      }
      await this.waitForChange(entry, Math.max(1, state.wakeAt - this.now()), opts.signal);
    }
  }

  async click(bot: BotPeer, messageId: number, button: InlineButton): Promise<{ answer?: string; at: number }> {
    const entry = this.entry(bot);
    const at = this.now();
    const res = await this.rpc('messages.getBotCallbackAnswer', () =>
      this.client.invoke(
        new Api.messages.GetBotCallbackAnswer({ peer: entry.input, msgId: messageId, data: Buffer.from(button.data, 'utf8') }),
      ),
    );
    return { answer: res.message ?? undefined, at };
  }

  /** The messages seen in a bot chat, for the runner's bookkeeping (last id consumed, buttons to press). */
  chatLog(bot: BotPeer): ChatLog {
    return this.entry(bot).log;
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

  private async rpc<T>(during: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await withDeadline(fn(), this.o.rpcTimeoutMs, during);
    } catch (e) {
      throw mapTelegramError(e, during);
    }
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

  private async resync(entry: PeerEntry): Promise<void> {
    this.resyncs += 1;
    const res = await this.rpc('messages.getHistory', () =>
      this.client.invoke(
        new Api.messages.GetHistory({ peer: entry.input, limit: 30, offsetId: 0, addOffset: 0, maxId: 0, minId: 0, hash: 0 as never }),
      ),
    );
    if (!('messages' in res)) return;
    const now = this.now();
    for (const m of [...res.messages].reverse()) {
      if (!(m instanceof Api.Message) || m.out) continue;
      entry.log.upsert(toSeen(m), now, true);
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
        this.o.logger.info('reconnected to Telegram; re-reading bot chats');
        for (const e of this.peers.values()) void this.resync(e).catch(() => undefined);
      } else if (u.state !== UpdateConnectionState.connected) {
        this.wasDisconnected = true;
      }
      return;
    }
    if (u instanceof Api.UpdateShortMessage) {
      if (u.out) return;
      this.peers.get(String(u.userId))?.log.upsert(
        { id: u.id, text: u.message, replyToId: replyToOf(u.replyTo) },
        now,
      );
      return;
    }
    if (u instanceof Api.UpdateNewMessage || u instanceof Api.UpdateEditMessage) {
      const m = u.message;
      if (!(m instanceof Api.Message) || m.out) return;
      const peer = m.peerId instanceof Api.PeerUser ? String(m.peerId.userId) : undefined;
      if (peer) this.peers.get(peer)?.log.upsert(toSeen(m), now);
      return;
    }
    if (u instanceof Api.UpdateDeleteMessages) {
      // Private-chat deletions carry no peer: ids are unique per user account, so mark them wherever they are.
      for (const e of this.peers.values()) e.log.markDeleted(u.messages, now);
    }
  }
}

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
  return { id: m.id, text: m.message ?? '', replyToId: replyToOf(m.replyTo), buttons: buttonsOf(m.replyMarkup) };
}

function buttonsOf(markup: Api.TypeReplyMarkup | undefined): InlineButton[][] | undefined {
  if (!(markup instanceof Api.ReplyInlineMarkup)) return undefined;
  return markup.rows.map((row) =>
    row.buttons.map((b) => ({
      text: b.text,
      data: b.type instanceof Api.InlineButtonTypeCallback ? Buffer.from(b.type.data).toString('utf8') : '',
    })),
  );
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
