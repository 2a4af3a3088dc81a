/**
 * The bot module contract of the sandbox. Keep it stable: users and our own acceptance checks write bots
 * against it.
 *
 * ```js
 * // my-bot.mjs — `tg-canary sandbox --bot canary_bot=./my-bot.mjs`
 * export default {
 *   async onMessage(msg, chat) {},    // msg: { id, text, date, replyToId? }
 *   async onCallback(data, chat) {},  // optional: an inline button was pressed; may return an answer text
 * };
 * // or, to wrap the built-in demo bot of the same name instead of rewriting it:
 * export default (base) => ({ async onMessage(msg, chat) { await chat.sleep(500); return base.onMessage(msg, chat); } });
 * ```
 */

export interface BotIncomingMessage {
  id: number;
  text: string;
  /** Unix seconds, as Telegram dates are. */
  date: number;
  replyToId?: number;
}

export interface BotButton {
  text: string;
  data: string;
}

export interface BotReplyOptions {
  replyTo?: number;
  buttons?: BotButton[][];
}

export interface BotChat {
  /** Chat id (the user's id, as in a private chat seen from the bot). */
  id: string;
  userId: string;
  reply(text: string, opts?: BotReplyOptions): Promise<number>;
  edit(messageId: number, text: string): Promise<void>;
  delete(messageId: number): Promise<void>;
  typing(): Promise<void>;
  sleep(ms: number): Promise<void>;
  /** Per chat, lives as long as the sandbox. */
  state: Map<string, unknown>;
}

export interface BotModule {
  onMessage(msg: BotIncomingMessage, chat: BotChat): Promise<unknown> | unknown;
  /** An inline button was pressed; may return an answer text (shown as the callback answer). */
  onCallback?(data: string, chat: BotChat, messageId: number): Promise<string | void> | string | void;
}

/** A module's default export: a bot, or a factory that wraps the built-in demo bot of the same name. */
export type BotExport = BotModule | ((base: BotModule) => BotModule);
