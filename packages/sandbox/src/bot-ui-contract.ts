/**
 * The keyboard, button and Mini App part of the bot contract (bot-contract.ts re-uses these types).
 *
 * ```js
 * export default {
 *   async onMessage(msg, chat) {
 *     if (msg.text === '/menu') return chat.reply('Pick one', { keyboard: { rows: [['🍕 Order', '📦 Status']], resize: true } });
 *     if (msg.text === '🍕 Order') return chat.reply('Thanks!', { removeKeyboard: true, buttons: [[{ text: 'Open shop', webApp: '/shop' }]] });
 *   },
 *   async onCallback(data) { return { text: 'Out of stock', alert: true }; },
 *   // Mini App pages and backend of this bot, served at http://127.0.0.1:<port>/bots/<username>/<path>
 *   async onWebRequest(req) { return { body: '<h1>Shop</h1>' }; },
 * };
 * ```
 */

/** An inline button that is not a callback button. */
export type BotLinkButton =
  /** KeyboardButtonUrl: an absolute http(s) URL, or a path served by this bot's onWebRequest. */
  | { text: string; url: string }
  /** KeyboardButtonWebView (a Mini App): as `url`; the client asks messages.requestWebView for the signed URL. */
  | { text: string; webApp: string }
  /** KeyboardButtonSwitchInline: the query the user's client starts (`samePeer`: in this chat). */
  | { text: string; switchInline: string; samePeer?: boolean };

/**
 * ReplyKeyboardMarkup: rows of button texts (pressing one sends its text as a message), or `{ text, webApp }` for
 * a Mini App button (KeyboardButtonSimpleWebView: the client calls messages.requestSimpleWebView).
 */
export interface BotReplyKeyboard {
  rows: (string | { text: string; webApp: string })[][];
  resize?: boolean;
  /** one_time_keyboard (single_use): the client hides it after one press. */
  oneTime?: boolean;
  /** input_field_placeholder */
  placeholder?: string;
}

/** answerCallbackQuery with options: `alert` shows a dialog instead of a toast; `url` opens a link (games, t.me). */
export interface BotCallbackReply {
  text?: string;
  alert?: boolean;
  url?: string;
}

/** An HTTP request to the bot's Mini App server (pages and backend calls). */
export interface BotWebRequest {
  method: string;
  /** The path below the bot's prefix, e.g. `/shop` or `/api/me`. */
  path: string;
  query: Record<string, string>;
  /** The request body as text (capped at 64 KiB). */
  body: string;
  headers: Record<string, string | undefined>;
  /** This bot's token: a real Mini App backend validates init data with it. */
  botToken: string;
}

export interface BotWebResponse {
  status?: number;
  /** Default text/html; charset=utf-8. */
  contentType?: string;
  body: string;
  /** true: never answer (a Mini App that never loads). */
  hang?: boolean;
}
