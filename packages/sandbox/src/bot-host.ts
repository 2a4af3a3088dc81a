/**
 * Hosts the scriptable bots: loads bot modules, hands them a chat per user, applies per-bot faults.
 * A bot that throws is logged and replies nothing more, like a crashed bot.
 */
import { randomBytes } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SandboxError } from './errors.js';
import type { SandboxLogger } from './logger.js';
import type { BotChat, BotExport, BotIncomingMessage, BotModule, BotOutgoingMedia, BotReplyOptions } from './bot-contract.js';
import { BotApiError, DEFAULT_LIMITS, TokenBuckets, tooManyRequests, type SandboxLimits } from './bot-limits.js';
import { buildBotMedia, describeMedia, wrapMediaFaults } from './bot-media.js';
import { createDemoBot } from './demo-bots/index.js';
import { callbackAnswerOf, markupOf } from './ui-markup.js';
import type { WebAppServer } from './web-app-server.js';
import type { FaultEngine, FaultSpec } from './faults.js';
import type { MsgRec, UserRec, World } from './world.js';

/** A bot-side call as the call log records it (`bot.sendMessage`, `bot.editMessageText`, `bot.sendMessageDraft`, …). */
export interface BotCallRecord {
  method: string;
  userId: string;
  botId: string;
  /** e.g. `429 retry after 2`. */
  error?: string;
  fault?: string;
}

/** A draft in progress in one chat: its random_id and when it was last updated. */
interface DraftRec {
  randomId: bigint;
  lastAt: number;
}

/** The answer of a bot to a button press: `text` shown to the user (undefined = answered without text). */
export interface CallbackAnswer {
  text?: string;
  /** show_alert: a dialog the user must dismiss, not a toast. */
  alert?: boolean;
  url?: string;
}

function isBotModule(v: unknown): v is BotModule {
  return typeof v === 'object' && v !== null && typeof (v as { onMessage?: unknown }).onMessage === 'function';
}

/** Resolves a bot from a module path, a module object, or a wrapper of the built-in demo bot of that name. */
export async function loadBotModule(name: string, spec: string | BotExport, random?: () => number): Promise<BotModule> {
  const base = (): BotModule => {
    const b = createDemoBot(name, random ? { random } : {});
    if (!b) {
      throw new SandboxError('SANDBOX_BOT_NO_BASE', `bot ${name}: the module wraps a built-in bot, but there is no built-in bot named ${name}`, {
        kind: 'config',
        hint: 'export an object with onMessage instead, or name the bot canary_bot or stable_bot',
      });
    }
    return b;
  };
  if (spec === 'builtin' || spec === 'demo') return base();
  // `builtin:canary_bot` / `builtin:stable_bot`: a demo bot under another username (a fleet of many bots)
  if (typeof spec === 'string' && spec.startsWith('builtin:')) return demoAs(name, spec.slice('builtin:'.length), random);
  if (typeof spec !== 'string') {
    if (typeof spec !== 'function') return check(name, spec, '(object)');
    const b = base();
    return keepBaseCallback(spec(b), b);
  }
  const file = isAbsolute(spec) ? spec : resolve(process.cwd(), spec);
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (e) {
    throw new SandboxError('SANDBOX_BOT_LOAD_FAILED', `bot ${name}: cannot load module ${spec}: ${(e as Error).message}`, {
      kind: 'config',
      file,
      cause: e,
      hint: 'the module must be ESM (.mjs, or .js in a "type": "module" package) with a default export',
    });
  }
  const exp = mod.default;
  if (typeof exp === 'function') {
    let wrapped: unknown;
    const b = base();
    try {
      wrapped = (exp as (b: BotModule) => unknown)(b);
    } catch (e) {
      if (e instanceof SandboxError) throw e;
      throw new SandboxError('SANDBOX_BOT_LOAD_FAILED', `bot ${name}: module ${spec} threw while wrapping the built-in bot: ${(e as Error).message}`, {
        kind: 'config',
        file,
        cause: e,
      });
    }
    return keepBaseCallback(check(name, wrapped, spec, file), b);
  }
  return check(name, exp, spec, file);
}

/**
 * A wrapper that only overrides onMessage keeps the built-in bot's inline buttons (its onCallback), inline mode,
 * command menu and texts: what it does not set comes from the base.
 */
function keepBaseCallback(wrapped: BotModule, b: BotModule): BotModule {
  if (!isBotModule(wrapped)) return wrapped;
  const out: BotModule = { onMessage: (msg, chat) => wrapped.onMessage(msg, chat) };
  const cb = wrapped.onCallback ?? b.onCallback;
  if (cb) out.onCallback = cb.bind(wrapped.onCallback ? wrapped : b);
  const iq = wrapped.onInlineQuery ?? b.onInlineQuery;
  if (iq) out.onInlineQuery = iq.bind(wrapped.onInlineQuery ? wrapped : b);
  const chosen = wrapped.onChosenInlineResult ?? b.onChosenInlineResult;
  if (chosen) out.onChosenInlineResult = chosen.bind(wrapped.onChosenInlineResult ? wrapped : b);
  const web = wrapped.onWebRequest ?? b.onWebRequest;
  if (web) out.onWebRequest = web.bind(wrapped.onWebRequest ? wrapped : b);
  const commands = 'commands' in wrapped ? wrapped.commands : b.commands;
  if (commands !== undefined) out.commands = commands;
  const description = 'description' in wrapped ? wrapped.description : b.description;
  if (description !== undefined) out.description = description;
  const about = 'about' in wrapped ? wrapped.about : b.about;
  if (about !== undefined) out.about = about;
  return out;
}

function check(name: string, v: unknown, spec: string, file?: string): BotModule {
  if (!isBotModule(v)) {
    throw new SandboxError('SANDBOX_BOT_INVALID', `bot ${name}: module ${spec} does not export a bot (an object with onMessage, or a function wrapping the built-in bot)`, {
      kind: 'config',
      file,
      hint: 'export default { async onMessage(msg, chat) { await chat.reply("hi") } }',
    });
  }
  return v;
}

interface HostedBot {
  user: UserRec;
  module: BotModule;
}

/**
 * A bot's sleep and injected latency, to within ~0.1 ms: setTimeout counts whole milliseconds and fires up to
 * 1-2 ms late, which a tester measuring its own overhead against L would see as its own. The timer wakes 2 ms
 * early and the rest is waited out in event-loop turns (I/O keeps flowing). Bot timers never keep the process
 * alive on their own (the listening socket does while the sandbox runs).
 */
export function sleep(ms: number): Promise<void> {
  const until = performance.now() + ms;
  return new Promise((resolve) => {
    const tick = (): void => {
      const left = until - performance.now();
      if (left <= 0) resolve();
      else if (left > 2) setTimeout(tick, left - 2).unref();
      else setImmediate(tick); // not unref'd: the poll phase would block and the turn would come at the next I/O
    };
    tick();
  });
}

export class BotHost {
  private readonly bots = new Map<string, HostedBot>();
  private readonly buckets: TokenBuckets;
  private readonly drafts = new Map<string, DraftRec>();
  /** Bot-side calls go to the data center's call log (set by startSandbox). */
  record: (r: BotCallRecord) => void = () => undefined;
  /** The Mini App server (set by startSandbox): bots' page paths in buttons become its URLs. */
  webApps?: WebAppServer;

  constructor(
    private readonly world: World,
    private readonly faults: FaultEngine,
    private readonly log: SandboxLogger,
    readonly limits: SandboxLimits = { ...DEFAULT_LIMITS },
    private readonly now: () => number = () => performance.now(),
  ) {
    this.buckets = new TokenBuckets(now);
  }

  set(user: UserRec, module: BotModule): void {
    this.bots.set(user.id, { user, module });
  }

  get(botId: string): HostedBot | undefined {
    return this.bots.get(botId);
  }

  /**
   * Telegram's per-chat limits for one bot call: resolves when allowed, else throws the 429 a Bot API library
   * sees. A `rate_limit` fault on the bot replaces the rate and burst while it lasts.
   */
  private limit(method: string, key: string, perSecond: number, burst: number, bot: HostedBot, userId: string): void {
    const fault = this.faults.takeLimit(bot.user.username ?? bot.user.id);
    const rate = fault?.perSecond ?? perSecond;
    const cap = fault?.burst ?? burst;
    const wait = this.buckets.take(key, rate, cap);
    if (wait === 0) return;
    const err = tooManyRequests(wait);
    this.record({ method, userId, botId: bot.user.id, error: `429 retry after ${wait}`, fault: fault ? 'rate_limit' : undefined });
    throw err;
  }

  private makeChat(bot: HostedBot, userId: string): BotChat {
    const w = this.world;
    const L = this.limits;
    const botId = bot.user.id;
    const chat = w.chat(userId, botId);
    const draftKey = `${userId}:${botId}`;
    const own = (id: number): MsgRec | undefined => {
      const m = w.getMessage(userId, id);
      return m && m.fromId === botId ? m : undefined;
    };
    const text = (t: unknown, method: string): string => {
      const s = String(t ?? '');
      if (!s.trim()) throw new BotApiError(400, `Bad Request: message text is empty (${method})`);
      if (s.length > 4096) throw new BotApiError(400, `Bad Request: message is too long (${method})`);
      return s;
    };
    return {
      id: userId,
      userId,
      state: chat.state,
      reply: async (t: string, opts?: BotReplyOptions): Promise<number> => {
        const body = text(t, 'sendMessage');
        this.limit('bot.sendMessage', `m:${draftKey}`, L.messagesPerSecond, L.messageBurst, bot, userId);
        this.drafts.delete(draftKey); // a message ends the chat's draft
        const ui = markupOf(opts, (target) => this.webApps?.resolve(bot.user.username ?? botId, target) ?? target);
        const m = w.addMessage(userId, botId, botId, body, { replyToId: opts?.replyTo, ...ui });
        this.record({ method: 'bot.sendMessage', userId, botId });
        return m.id;
      },
      edit: async (messageId: number, t: string): Promise<void> => {
        const m = own(messageId);
        if (!m) throw new BotApiError(400, `Bad Request: message to edit not found (message ${messageId} is not this bot's message in this chat)`);
        const body = text(t, 'editMessageText');
        if (m.text === body) {
          throw new BotApiError(400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
        }
        this.limit('bot.editMessageText', `e:${userId}:${messageId}`, L.editsPerSecond, L.editBurst, bot, userId);
        w.editMessage(userId, messageId, body);
        this.record({ method: 'bot.editMessageText', userId, botId });
      },
      delete: async (messageId: number): Promise<void> => {
        if (own(messageId)) w.deleteMessages(userId, [messageId], true);
      },
      replyMedia: async (m: BotOutgoingMedia): Promise<number> => {
        const caption = String(m.caption ?? '');
        if (caption.length > 1024) throw new BotApiError(400, 'Bad Request: message caption is too long');
        const media = buildBotMedia(w.files, m);
        this.limit('bot.sendMedia', `m:${draftKey}`, L.messagesPerSecond, L.messageBurst, bot, userId);
        this.drafts.delete(draftKey);
        const msg = w.addMessage(userId, botId, botId, m.kind === 'sticker' ? '' : caption, { replyToId: m.replyTo, media });
        this.record({ method: `bot.send${m.kind}`, userId, botId });
        return msg.id;
      },
      typing: async (): Promise<void> => {
        w.typing(userId, botId);
        this.record({ method: 'bot.sendChatAction', userId, botId });
      },
      draft: async (t: string): Promise<void> => {
        const body = text(t, 'sendMessageDraft');
        this.limit('bot.sendMessageDraft', `d:${draftKey}`, L.draftsPerSecond, L.draftBurst, bot, userId);
        const at = this.now();
        let d = this.drafts.get(draftKey);
        if (!d || at - d.lastAt > L.draftExpiresMs) {
          d = { randomId: randomBytes(8).readBigInt64LE(0), lastAt: at };
          this.drafts.set(draftKey, d);
        }
        d.lastAt = at;
        w.typing(userId, botId, { type: 'draft', randomId: d.randomId, text: body });
        this.record({ method: 'bot.sendMessageDraft', userId, botId });
      },
      sleep: (ms: number): Promise<void> => sleep(Math.max(0, ms)),
    };
  }

  /** A user's message reached the bot: run it (in the background of the RPC that delivered it). */
  async deliver(botId: string, userId: string, msg: MsgRec): Promise<void> {
    const bot = this.bots.get(botId);
    if (!bot) return;
    const name = bot.user.username ?? botId;
    const faults = this.faults.takeBot(name);
    const chat = wrapMediaFaults(this.wrapChat(this.makeChat(bot, userId), faults), faults);
    const incoming: BotIncomingMessage = { id: msg.id, text: msg.text, date: msg.date, replyToId: msg.replyToId, ...commandFields(msg) };
    if (msg.media) incoming.media = describeMedia(msg.media, msg.text);
    try {
      for (const f of faults) {
        if (f.kind === 'latency') await sleep(this.latency(f));
      }
      if (faults.some((f) => f.kind === 'silence')) return;
      const errorText = faults.find((f) => f.kind === 'error_text');
      if (errorText) {
        await chat.reply(errorText.text ?? 'Sorry, something went wrong. Please try again later.');
        return;
      }
      const placeholder = faults.find((f) => f.kind === 'placeholder');
      if (placeholder) {
        await chat.reply(placeholder.text ?? 'Thinking…');
        return;
      }
      await bot.module.onMessage(incoming, chat);
    } catch (e) {
      this.log.error({ bot: name, err: (e as Error).message }, 'sandbox bot threw while handling a message; it replies nothing');
    }
  }

  /**
   * An inline button was pressed: the bot's answer, or undefined when it never answers (no onCallback, or it
   * threw) — Telegram then answers BOT_RESPONSE_TIMEOUT once the window is over. A slow onCallback keeps running
   * after the window: its later edits still arrive.
   */
  async callback(botId: string, userId: string, messageId: number, data: string): Promise<CallbackAnswer | undefined> {
    const bot = this.bots.get(botId);
    if (!bot?.module.onCallback) return undefined;
    this.record({ method: 'bot.callbackQuery', userId, botId });
    try {
      const r = await bot.module.onCallback(data, this.makeChat(bot, userId), messageId);
      this.record({ method: 'bot.answerCallbackQuery', userId, botId });
      return callbackAnswerOf(r);
    } catch (e) {
      this.log.error({ bot: bot.user.username, err: (e as Error).message }, 'sandbox bot threw while handling a button press; it never answers it');
      return undefined;
    }
  }

  /** A chat of the bot with a user, for handlers that are not a message (inline queries); undefined for no bot. */
  chatFor(botId: string, userId: string): BotChat | undefined {
    const bot = this.bots.get(botId);
    return bot ? this.makeChat(bot, userId) : undefined;
  }

  /** Whether a Mini App fault of this kind hits the bot now (messages.requestWebView applies webapp_bad_signature). */
  takeWebAppFault(bot: string, kind: 'webapp_bad_signature'): boolean {
    return this.faults.takeWebApp(bot, kind) !== undefined;
  }

  private latency(f: FaultSpec): number {
    if (f.ms !== undefined && f.maxMs === undefined) return f.ms;
    const min = f.minMs ?? 0;
    const max = f.maxMs ?? f.ms ?? min;
    return Math.round(min + this.faults.random() * (max - min));
  }

  /** Chat wrappers for the split and stream faults. */
  private wrapChat(chat: BotChat, faults: FaultSpec[]): BotChat {
    const split = faults.find((f) => f.kind === 'split');
    const stream = faults.find((f) => f.kind === 'stream');
    if (!split && !stream) return chat;
    const reply = chat.reply.bind(chat);
    return {
      ...chat,
      reply: async (text: string, opts?: BotReplyOptions): Promise<number> => {
        if (split) {
          const parts = splitText(text, split.parts ?? 3);
          let first = -1;
          for (let i = 0; i < parts.length; i++) {
            const last = i === parts.length - 1;
            const id = await reply((parts[i] ?? '').trim(), { ...(last ? opts : {}), replyTo: i === 0 ? opts?.replyTo : undefined });
            if (first < 0) first = id;
          }
          return first;
        }
        const s = stream as FaultSpec;
        const edits = s.edits ?? 5;
        const chunks = splitText(text, edits + 1);
        const step = Math.floor((s.overMs ?? 1000) / edits);
        // the stream fault is the sandbox's own: its edits bypass the per-message edit limit
        const id = await reply(chunks[0] ?? '', { ...opts, buttons: undefined, replyTo: opts?.replyTo });
        let acc = chunks[0] ?? '';
        for (let i = 1; i < chunks.length; i++) {
          await sleep(step);
          acc += chunks[i] ?? '';
          const last = i === chunks.length - 1;
          this.world.editMessage(chat.userId, id, acc, last ? opts?.buttons : undefined);
        }
        return id;
      },
    };
  }
}

/** The deep-link payload of `/start PAYLOAD` and the via-bot mark of a message, as the bot sees them. */
function commandFields(msg: MsgRec): Pick<BotIncomingMessage, 'startPayload' | 'viaBotId'> {
  const out: Pick<BotIncomingMessage, 'startPayload' | 'viaBotId'> = {};
  const m = /^\/start(?:@\w+)?\s+(\S+)/u.exec(msg.text);
  if (m?.[1]) out.startPayload = m[1];
  if (msg.viaBotId !== undefined) out.viaBotId = msg.viaBotId;
  return out;
}

/** Splits text into up to n non-empty pieces, at spaces when possible; concatenated they give the text back. */
export function splitText(text: string, n: number): string[] {
  if (n <= 1 || text.length < n) return [text];
  const out: string[] = [];
  let rest = text;
  for (let i = n; i > 1; i--) {
    let cut = Math.ceil(rest.length / i);
    const space = rest.indexOf(' ', cut);
    if (space > 0 && space < rest.length - 1 && space - cut < 20) cut = space + 1;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut);
    if (!rest) break;
  }
  if (rest) out.push(rest);
  return out.filter((p) => p.length > 0);
}

/** The built-in demo bot `base` (canary_bot or stable_bot) hosted under the username `name`. */
function demoAs(name: string, base: string, random?: () => number): BotModule {
  const b = createDemoBot(base, random ? { random } : {});
  if (!b) {
    throw new SandboxError('SANDBOX_BOT_NO_BASE', `bot ${name}: there is no built-in bot named ${JSON.stringify(base)}`, {
      kind: 'config',
      hint: 'write builtin:canary_bot or builtin:stable_bot',
    });
  }
  return b;
}
