/**
 * A scripted BotDriver (the port in src/core/ports.ts) for fast runner tests: each bot answers prompts from a
 * script (exact prompt, regular expression or function), with delays and edits in the injected clock's time, and
 * Telegram-side failures such as a flood wait. No sockets: a run of several scenarios takes milliseconds with the
 * virtual clock (test/support/virtual-clock.ts).
 */
import type { BotDriver, BotPeer, Clock, SentMessage, WaitOptions } from '../../src/core/ports.js';
import type { InlineButton, Reply, ReplyMessage } from '../../src/core/types.js';
import { TgCanaryError } from '../../src/core/errors.js';
import { mapTelegramError } from '../../src/telegram/errors.js';

/** One message of a scripted answer. */
export interface ScriptedMessage {
  text: string;
  /** When it arrives, ms after the prompt went out (default 50). */
  afterMs?: number;
  /** Later versions of its text (a streamed answer), each ms after the prompt. */
  edits?: { text: string; afterMs: number }[];
  buttons?: InlineButton[][];
}

/** A bot's answer to one prompt: text (one message after 50 ms), messages, silence, or a failure. */
export type ScriptedAnswer =
  | string
  | {
      messages?: ScriptedMessage[];
      /** Telegram makes the prompt wait this long before it goes out (a flood wait within the budget). */
      floodWaitMs?: number;
      /** The send fails with this error (e.g. `floodWait(120)`: a flood wait over the budget). */
      sendError?: Error;
      /** Waiting for the reply fails with this error (a dropped connection the driver could not recover). */
      waitError?: Error;
    };

export type BotScript =
  | Record<string, ScriptedAnswer>
  | ((prompt: string, ctx: { bot: string; turn: number }) => ScriptedAnswer | undefined);

export interface FakeDriverOptions {
  clock: Clock;
  /** Username → script. A prompt the script does not answer gets silence. */
  bots: Record<string, BotScript>;
  /** `connect` fails with this (an unreachable data center, a revoked session). */
  connectError?: Error;
  /** Answers to inline button presses: button data → answer (callback text and follow-up messages). */
  clicks?: Record<string, { answer?: string; then?: ScriptedAnswer }>;
}

/** The error the real driver raises for a flood wait longer than the budget (src/telegram/errors.ts). */
export function floodWait(seconds: number): TgCanaryError {
  return mapTelegramError({ errorMessage: `FLOOD_WAIT_${seconds}`, seconds }, 'sending a prompt');
}

interface Pending {
  bot: string;
  msg: ScriptedMessage & { id: number; sentAt: number };
}

export class FakeDriver implements BotDriver {
  readonly sent: { bot: string; text: string; id: number; at: number }[] = [];
  readonly clicked: { bot: string; messageId: number; data: string }[] = [];
  connected = false;
  closed = false;
  private nextId = 100;
  private readonly pending: Pending[] = [];
  private readonly waitErrors = new Map<number, Error>();
  private readonly turns = new Map<string, number>();

  constructor(private readonly o: FakeDriverOptions) {}

  async connect(opts?: { bots?: readonly string[] }): Promise<void> {
    if (this.o.connectError) throw this.o.connectError;
    for (const b of opts?.bots ?? []) await this.resolveBot(b);
    this.connected = true;
  }

  async me(): Promise<{ id: string; username?: string }> {
    return { id: '1', username: 'canary_tester' };
  }

  async resolveBot(username: string): Promise<BotPeer> {
    const name = username.replace(/^@/, '');
    if (!(name in this.o.bots)) {
      throw new TgCanaryError('TG_BOT_NOT_FOUND', `The bot username does not exist (USERNAME_NOT_OCCUPIED) during resolving @${name}`, {
        kind: 'config', hint: 'Check CANARY_BOT / STABLE_BOT.',
      });
    }
    return { username: name, id: `bot-${name}` };
  }

  async send(bot: BotPeer, text: string): Promise<SentMessage> {
    const turn = (this.turns.get(bot.username) ?? 0) + 1;
    this.turns.set(bot.username, turn);
    const answer = this.answer(bot.username, text, turn);
    const spec = typeof answer === 'string' ? { messages: [{ text: answer }] } : (answer ?? {});
    if (spec.sendError) throw spec.sendError;
    if (spec.floodWaitMs) await this.o.clock.sleep(spec.floodWaitMs);
    const sent: SentMessage = { id: this.nextId++, at: this.o.clock.now(), ...(spec.floodWaitMs ? { floodWaitMs: spec.floodWaitMs } : {}) };
    this.sent.push({ bot: bot.username, text, id: sent.id, at: sent.at });
    this.queue(bot.username, sent, spec);
    return sent;
  }

  async waitForReply(bot: BotPeer, after: SentMessage, opts: WaitOptions): Promise<Reply> {
    const err = this.waitErrors.get(after.id);
    if (err) throw err;
    const clock = this.o.clock;
    const deadline = after.at + opts.timeoutMs;
    const mine = this.pending
      .filter((p) => p.bot === bot.username && (p.msg.id > after.id || opts.watchIds?.includes(p.msg.id)))
      .sort((a, b) => (a.msg.afterMs ?? 50) - (b.msg.afterMs ?? 50));
    const arrivals = mine.map((p) => ({ p, at: p.msg.sentAt + (p.msg.afterMs ?? 50) })).filter((x) => x.at <= deadline);
    const max = opts.maxMessages ?? Number.POSITIVE_INFINITY;
    const taken = arrivals.slice(0, max);
    const enough = taken.length >= Math.max(1, opts.minMessages);
    const messages: ReplyMessage[] = [];
    let lastChange = 0;
    for (const { p, at } of taken) {
      const edits = (p.msg.edits ?? []).map((e) => ({ text: e.text, at: p.msg.sentAt + e.afterMs })).filter((e) => e.at <= deadline);
      const final = edits.at(-1);
      const changedAt = final ? Math.max(at, final.at) : at;
      lastChange = Math.max(lastChange, changedAt);
      messages.push({
        id: p.msg.id, text: final?.text ?? p.msg.text, firstSeenAt: at, lastChangeAt: changedAt, edits: edits.length,
        ...(p.msg.buttons ? { buttons: p.msg.buttons } : {}),
      });
    }
    // Time passes as it would: up to the last change and a quiet window, or to the deadline when too little came.
    const settledAt = enough ? Math.min(deadline, lastChange + opts.settleMs) : deadline;
    await clock.sleep(Math.max(0, settledAt - clock.now()), opts.signal);
    const text = messages.map((m) => m.text).join('\n');
    const first = messages[0]?.firstSeenAt;
    return {
      messages,
      text,
      sentAt: after.at,
      ...(first !== undefined ? { firstAt: first, latencyFirstMs: first - after.at, latencyFirstTokenMs: first - after.at } : {}),
      ...(messages.length ? { finalAt: lastChange, latencyFinalMs: lastChange - after.at } : {}),
      editCount: messages.reduce((n, m) => n + m.edits, 0),
      messageCount: messages.length,
      settled: enough,
      finality: enough ? 'quiet' : 'deadline',
    };
  }

  async click(bot: BotPeer, messageId: number, button: InlineButton): Promise<{ answer?: string; at: number }> {
    this.clicked.push({ bot: bot.username, messageId, data: button.data });
    const c = this.o.clicks?.[button.data];
    const at = this.o.clock.now();
    if (c?.then) {
      const spec = typeof c.then === 'string' ? { messages: [{ text: c.then }] } : c.then;
      this.queue(bot.username, { id: messageId, at }, spec);
    }
    return { ...(c?.answer !== undefined ? { answer: c.answer } : {}), at };
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private answer(bot: string, prompt: string, turn: number): ScriptedAnswer | undefined {
    const script = this.o.bots[bot];
    if (!script) return undefined;
    if (typeof script === 'function') return script(prompt, { bot, turn });
    if (prompt in script) return script[prompt];
    for (const [k, v] of Object.entries(script)) {
      const m = /^\/(.*)\/([a-z]*)$/.exec(k);
      if (m && new RegExp(m[1] ?? '', m[2]).test(prompt)) return v;
    }
    return undefined;
  }

  private queue(bot: string, sent: SentMessage, spec: Exclude<ScriptedAnswer, string>): void {
    if (spec.waitError) this.waitErrors.set(sent.id, spec.waitError);
    for (const m of spec.messages ?? []) this.pending.push({ bot, msg: { ...m, id: this.nextId++, sentAt: sent.at } });
  }
}
