/**
 * Helpers the zoo's bot modules share: wrap the built-in demo bot and change one behaviour — what it says, how
 * it delivers it, when. Each zoo module stays a few lines, like the patch a bad (or harmless) deploy would be.
 */
import type { BotChat, BotExport, BotIncomingMessage, BotModule, BotReplyOptions } from '@tg-canary/sandbox';

export type { BotChat, BotExport, BotIncomingMessage, BotModule };

/** The kinds of request the demo conversation has, told from the user's text. */
export type Topic = 'joke' | 'kb' | 'memory-put' | 'memory-get' | 'units' | 'reminder' | 'booking' | 'other';

export function topicOf(text: string): Topic {
  const t = text.trim();
  if (/^remember\b/iu.test(t)) return 'memory-put';
  if (/^what(?:'s| is) my\b/iu.test(t)) return 'memory-get';
  if (/^convert\b/iu.test(t)) return 'units';
  if (/^remind me\b/iu.test(t)) return 'reminder';
  if (/^book a table\b/iu.test(t)) return 'booking';
  if (/joke|blague|chiste|witz|шутк|анекдот/iu.test(t)) return 'joke';
  if (/\b(orbit|acme)\b/iu.test(t)) return 'kb';
  return 'other';
}

/** What the user asked in (for preambles in the user's language). */
export function languageOf(text: string): 'fr' | 'ru' | 'en' {
  if (/[а-яё]/iu.test(text)) return 'ru';
  if (/fran[çc]ais|blague|s'il te pla[iî]t/iu.test(text)) return 'fr';
  return 'en';
}

export interface Rewrites {
  /** Changes the text of every message, edit and draft the base bot produces for this request. */
  text?(text: string, msg: BotIncomingMessage, kind: 'reply' | 'edit' | 'draft'): string;
  /** Changes the reply options (e.g. button labels). */
  options?(opts: BotReplyOptions | undefined, msg: BotIncomingMessage): BotReplyOptions | undefined;
}

/** A chat whose outgoing texts pass through `r` (typing, sleep, state unchanged). */
export function rewritingChat(chat: BotChat, msg: BotIncomingMessage, r: Rewrites): BotChat {
  const t = (s: string, kind: 'reply' | 'edit' | 'draft'): string => (r.text ? r.text(s, msg, kind) : s);
  return {
    ...chat,
    reply: (text, opts) => chat.reply(t(text, 'reply'), r.options ? r.options(opts, msg) : opts),
    edit: (id, text) => chat.edit(id, t(text, 'edit')),
    draft: (text) => chat.draft(t(text, 'draft')),
  };
}

/** The built-in bot with its outgoing texts rewritten; its button handling kept. */
export function rewrite(r: Rewrites): BotExport {
  return (base: BotModule): BotModule => ({
    onMessage: (msg, chat) => base.onMessage(msg, rewritingChat(chat, msg, r)),
    onCallback: base.onCallback ? (data, chat, id) => base.onCallback?.(data, rewritingChat(chat, { id, text: '', date: 0 }, r), id) : undefined,
  });
}

/** A chat that keeps every call but only records what would have been sent: for bots that post-process. */
export function capturingChat(chat: BotChat): { chat: BotChat; sent: { text: string; opts?: BotReplyOptions }[] } {
  const sent: { text: string; opts?: BotReplyOptions }[] = [];
  let next = -1;
  return {
    sent,
    chat: {
      ...chat,
      reply: async (text, opts) => {
        sent.push({ text, opts });
        return next--;
      },
      edit: async (id, text) => {
        const i = -id - 1;
        const m = sent[i];
        if (m) m.text = text;
      },
      draft: async () => undefined,
      typing: async () => undefined,
      sleep: async () => undefined,
    },
  };
}

/**
 * Asks the built-in bot for its answer without sending it (the "model" of a bot with another delivery): the
 * messages it would have sent, their final texts. Reminders scheduled by the base still use the real chat.
 */
export async function baseAnswer(base: BotModule, msg: BotIncomingMessage, chat: BotChat): Promise<{ text: string; opts?: BotReplyOptions }[]> {
  if (topicOf(msg.text) === 'reminder') return [];
  const cap = capturingChat(chat);
  await base.onMessage(msg, cap.chat);
  return cap.sent;
}

/** A seeded random source (mulberry32), so a zoo case behaves the same on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const GENERATED: ReadonlySet<Topic> = new Set(['joke', 'kb']);
