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

export interface BotIncomingMessage {
  id: number;
  text: string;
  /** Unix seconds, as Telegram dates are. */
  date: number;
  replyToId?: number;
  /** A photo, file, voice note, video note, sticker, location or contact the user sent; `text` is its caption. */
  media?: BotIncomingMedia;
}

/** What a media message is, as a Bot API library tells them apart (message.photo, .voice, .video_note, …). */
export type BotMediaKind =
  | 'photo' | 'document' | 'voice' | 'audio' | 'video' | 'video-note' | 'animation' | 'sticker' | 'location' | 'contact' | 'poll';

export interface BotIncomingMedia {
  kind: BotMediaKind;
  mimeType?: string;
  /** Bytes. */
  size?: number;
  fileName?: string;
  /** Seconds (voice, audio, video, video notes). */
  duration?: number;
  width?: number;
  height?: number;
  /** Same as the message's text. */
  caption: string;
  location?: { lat: number; lon: number };
  contact?: { phone: string; firstName: string; lastName?: string };
  /** The file's bytes (getFile); absent for a location or a contact. */
  read?(): Promise<Buffer>;
}

/** A media message a bot sends (sendPhoto, sendDocument, sendVoice, sendVideoNote, sendSticker, sendPoll, …). */
export interface BotOutgoingMedia {
  kind: BotMediaKind;
  /** The file (photo, document, voice, audio, video, video-note, animation, sticker). */
  bytes?: Buffer | Uint8Array;
  fileName?: string;
  /** Defaults per kind: image/jpeg, application/octet-stream, audio/ogg, video/mp4, image/webp, … */
  mimeType?: string;
  caption?: string;
  /** Seconds. */
  duration?: number;
  width?: number;
  height?: number;
  /** poll */
  question?: string;
  options?: string[];
  /** location */
  lat?: number;
  lon?: number;
  /** contact */
  phone?: string;
  firstName?: string;
  lastName?: string;
  replyTo?: number;
}

export interface BotButton {
  text: string;
  data: string;
}

export interface BotReplyOptions {
  replyTo?: number;
  buttons?: BotButton[][];
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
  /**
   * sendPhoto / sendDocument / sendVoice / sendVideoNote / sendSticker / sendPoll / sendLocation / sendContact.
   * The sandbox always provides it (optional only so chat fakes written before media still type-check).
   */
  replyMedia?(media: BotOutgoingMedia): Promise<number>;
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
  onCallback?(data: string, chat: BotChat, messageId: number): Promise<string | void> | string | void;
}

/** A module's default export: a bot, or a factory that wraps the built-in demo bot of the same name. */
export type BotExport = BotModule | ((base: BotModule) => BotModule);
