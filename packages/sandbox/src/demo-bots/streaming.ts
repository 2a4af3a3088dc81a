/**
 * How the demo bots pace an answer, like a real bot under Telegram's limits: typing while they think, then an
 * LLM-like stream — by drafts (Bot API 9.5 sendMessageDraft, the canary's default) or by a placeholder and edits
 * at most one a second — then the final message.
 */
import type { BotChat, BotReplyOptions } from '../bot-contract.js';

export const STREAM_PLACEHOLDER = 'Thinking…';

/** Milliseconds, each a [min, max] drawn uniformly. Sized so that `npm run demo` stays well under 40 s. */
export interface DemoPace {
  /** A rule-based skill (memory, units, reminder, booking question, fallback) before its reply. */
  skillMs: [number, number];
  /** A generated answer (joke, knowledge base) sent in one piece: the whole generation. */
  generateMs: [number, number];
  /** A streamed answer: time to the first token (the first draft or the placeholder). */
  firstTokenMs: [number, number];
  /** Between two drafts of a stream. */
  draftGapMs: [number, number];
  /** Between two edits of a stream: never under 1,000 (Telegram's ~1 edit/s per message). */
  editGapMs: [number, number];
  /** Handling a button press before answering it (answerCallbackQuery). */
  callbackMs: [number, number];
}

const PACE: DemoPace = {
  skillMs: [150, 350],
  generateMs: [500, 800],
  firstTokenMs: [300, 500],
  draftGapMs: [250, 350],
  editGapMs: [1000, 1150],
  callbackMs: [80, 200],
};
export const DEMO_PACE: Readonly<DemoPace> = Object.freeze(PACE);

/** A value of the range, from `random` (0..1). */
export function pick(range: readonly [number, number], random: () => number): number {
  return Math.round(range[0] + random() * (range[1] - range[0]));
}

/** Telegram's 429 as a Bot API library surfaces it. */
export function isTooManyRequests(e: unknown): e is { code: 429; retryAfter?: number } {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 429;
}

/**
 * sendMessage the way a well-behaved bot does it (grammY's auto-retry, python-telegram-bot's rate limiter): a 429
 * is waited out for its retry_after and the message sent again, a few times at most.
 */
export async function replyWithRetry(chat: Pick<BotChat, 'reply' | 'sleep'>, text: string, opts?: BotReplyOptions): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await chat.reply(text, opts);
    } catch (e) {
      if (!isTooManyRequests(e) || attempt >= 4) throw e;
      await chat.sleep((e.retryAfter ?? 1) * 1000);
    }
  }
}

/**
 * `parts` strictly growing prefixes of `text` (cut at word boundaries when there are enough words), the last
 * one being `text` itself. Fewer are returned when the text is too short to grow `parts` times.
 */
export function streamPrefixes(text: string, parts: number): string[] {
  const words = text.match(/\S+\s*/gu) ?? [];
  const units = words.length >= parts ? words : Array.from(text);
  const out: string[] = [];
  for (let i = 1; i <= parts; i++) {
    const cut = Math.round((i * units.length) / parts);
    const prefix = i === parts ? text : units.slice(0, cut).join('').trimEnd();
    if (prefix.length > 0 && prefix !== out[out.length - 1] && prefix !== STREAM_PLACEHOLDER) out.push(prefix);
  }
  if (out[out.length - 1] !== text) out.push(text);
  return out;
}

/**
 * Streams `text` by drafts: the growing prefixes as drafts (the first after the time to first token), then the
 * whole text as the message. A draft refused with 429 is skipped, as streaming bots do: the message still goes.
 */
export async function streamByDrafts(
  chat: BotChat,
  text: string,
  opts: { replyTo?: number; pace: DemoPace; random: () => number },
): Promise<number> {
  const drafts = streamPrefixes(text, 3).slice(0, -1);
  await chat.sleep(pick(opts.pace.firstTokenMs, opts.random));
  for (let i = 0; i < drafts.length; i++) {
    if (i > 0) await chat.sleep(pick(opts.pace.draftGapMs, opts.random));
    try {
      await chat.draft(drafts[i] ?? '');
    } catch (e) {
      if (!isTooManyRequests(e)) throw e;
    }
  }
  await chat.sleep(pick(opts.pace.draftGapMs, opts.random));
  return replyWithRetry(chat, text, { replyTo: opts.replyTo });
}

/**
 * Streams `text` by editing: a placeholder after the time to first token, then growing edits no faster than
 * `editGapMs` (≥ 1 s). An edit refused with 429 is retried after retry_after, so the final text always lands.
 */
export async function streamByEdits(
  chat: BotChat,
  text: string,
  opts: { replyTo?: number; pace: DemoPace; random: () => number },
): Promise<number> {
  await chat.sleep(pick(opts.pace.firstTokenMs, opts.random));
  const id = await replyWithRetry(chat, STREAM_PLACEHOLDER, { replyTo: opts.replyTo });
  for (const part of streamPrefixes(text, 2)) {
    await chat.sleep(Math.max(1000, pick(opts.pace.editGapMs, opts.random)));
    for (let attempt = 0; ; attempt++) {
      try {
        await chat.edit(id, part);
        break;
      } catch (e) {
        if (!isTooManyRequests(e) || attempt >= 3) throw e;
        await chat.sleep((e.retryAfter ?? 1) * 1000);
      }
    }
  }
  return id;
}
