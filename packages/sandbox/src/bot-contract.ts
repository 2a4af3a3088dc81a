/**
 * The bot module contract of the sandbox. Keep it stable: users and our own acceptance checks write bots
 * against it.
 *
 * ```js
 * // my-bot.mjs — `tg-canary sandbox --bot canary_bot=./my-bot.mjs`
 * export default {
 *   async onMessage(msg, chat) {},    // msg: { id, text, date, replyToId? }
 *   async onCallback(data, chat) {},  // optional: a button press; returning = answerCallbackQuery (a string = its text)
 * };
 * // or, to wrap the built-in demo bot of the same name instead of rewriting it:
 * export default (base) => ({ async onMessage(msg, chat) { await chat.sleep(500); return base.onMessage(msg, chat); } });
 * ```
 */
import type { BotCallbackReply, BotLinkButton, BotReplyKeyboard, BotWebRequest, BotWebResponse } from './bot-ui-contract.js';

export interface BotIncomingMessage {
  id: number;
  text: string;
  /** Unix seconds, as Telegram dates are. */
  date: number;
  replyToId?: number;
}

/** An inline callback button (pressing it calls onCallback with `data`). */
export interface BotCallbackButton {
  text: string;
  data: string;
}

/**
 * An inline button of another kind: `url` opens a link, `webApp` a Mini App (a path such as `/order` is served by
 * the bot's `onWebRequest` on the sandbox's Mini App server), `switchInline` starts an inline query with that
 * text (in another chat; in this one with `samePeer`). See bot-ui-contract.ts.
 */
export type BotButton = BotCallbackButton | BotLinkButton;

export interface BotReplyOptions {
  replyTo?: number;
  buttons?: BotButton[][];
  /** A reply keyboard (ReplyKeyboardMarkup) shown under the user's input field. */
  keyboard?: BotReplyKeyboard;
  /** ReplyKeyboardHide: removes the reply keyboard. */
  removeKeyboard?: true;
  /** ReplyKeyboardForceReply: the user's client opens a reply to this message. */
  forceReply?: { placeholder?: string };
}

/**
 * What `reply`, `edit` and `draft` reject with, as a Bot API library sees Telegram's error answer: past the
 * per-chat limits `code` 429, `retryAfter` seconds and description `Too Many Requests: retry after N`; a bad
 * call `code` 400 and `Bad Request: …` (e.g. an edit that changes nothing: `message is not modified`).
 */
export interface BotApiErrorShape extends Error {
  code: number;
  description: string;
  retryAfter?: number;
  parameters: { retry_after?: number };
}

export interface BotChat {
  /** Chat id (the user's id, as in a private chat seen from the bot). */
  id: string;
  userId: string;
  /** sendMessage. Ends the chat's draft. Rejects with a BotApiErrorShape (429) past the chat's message limit. */
  reply(text: string, opts?: BotReplyOptions): Promise<number>;
  /** editMessageText of one of the bot's messages. Rejects (429) past the message's edit limit. */
  edit(messageId: number, text: string): Promise<void>;
  delete(messageId: number): Promise<void>;
  /** sendChatAction typing: shown ~5 s by the user's client unless renewed or ended by a message. */
  typing(): Promise<void>;
  /**
   * sendMessageDraft (Bot API 9.5): shows `text` as the bot's message being written. Calls within one draft keep
   * its random_id; `reply` ends it; a draft not updated for ~30 s expires. Rate-limited like edits (429).
   */
  draft(text: string): Promise<void>;
  sleep(ms: number): Promise<void>;
  /** Per chat, lives as long as the sandbox. */
  state: Map<string, unknown>;
}

export interface BotModule {
  onMessage(msg: BotIncomingMessage, chat: BotChat): Promise<unknown> | unknown;
  /**
   * An inline button was pressed. Returning is the bot's answerCallbackQuery (a string = the answer text shown).
   * No onCallback, a throw, or no return within the window (limits.callbackTimeoutMs, Telegram ~10–15 s) → the
   * user's client gets BOT_RESPONSE_TIMEOUT; what the handler edits later still arrives.
   */
  onCallback?(data: string, chat: BotChat, messageId: number): Promise<string | BotCallbackReply | void> | string | BotCallbackReply | void;
  /** Optional: the bot's Mini App pages and backend, served on 127.0.0.1 (see bot-ui-contract.ts). */
  onWebRequest?(req: BotWebRequest): Promise<BotWebResponse | void> | BotWebResponse | void;
}

/** A module's default export: a bot, or a factory that wraps the built-in demo bot of the same name. */
export type BotExport = BotModule | ((base: BotModule) => BotModule);
