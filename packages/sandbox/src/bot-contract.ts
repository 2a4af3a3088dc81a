/**
 * The bot module contract of the sandbox. Keep it stable: users and our own acceptance checks write bots
 * against it.
 *
 * ```js
 * // my-bot.mjs — `tg-canary sandbox --bot canary_bot=./my-bot.mjs`
 * export default {
 *   async onMessage(msg, chat) {},    // msg: { id, text, date, replyToId? }
 *   async onCallback(data, chat) {},  // optional: a button press; returning = answerCallbackQuery (a string = its text)
 *   async onInlineQuery(q, chat) {},  // optional: inline mode; return [{ title, message }] (answerInlineQuery)
 *   commands: [{ command: 'help', description: 'How to use me' }], // optional: the command menu
 *   description: 'What can this bot do?', about: 'Short profile text', // optional: BotFather texts
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
  /**
   * The deep-link payload of `/start PAYLOAD`: set when the user opened t.me/bot?start=PAYLOAD (the client calls
   * messages.startBot; the bot gets the text `/start PAYLOAD`, the user's chat shows `/start`) or typed it.
   */
  startPayload?: string;
  /** The message was sent by the user "via @bot" (an inline result they picked): the id of that bot. */
  viaBotId?: string;
  /** Where it was said: absent in a private chat. */
  chat?: BotChatInfo;
  /** Who said it (groups: the member; a private chat: the user). */
  from?: BotSender;
  /** The forum topic it was posted in (absent: General, or not a forum). */
  topicId?: number;
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

/** A group the bot is in (Bot API `chat`). */
export interface BotChatInfo {
  type: 'private' | 'supergroup' | 'group';
  /** Bot API chat id (`-100…` for a supergroup, `-…` for a basic group). */
  id: string;
  title?: string;
  username?: string;
  forum?: boolean;
}

export interface BotSender {
  id: string;
  firstName: string;
  username?: string;
  isBot: boolean;
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
  /**
   * Groups: the forum topic to post in (Bot API message_thread_id). Default: the topic of the message being
   * answered, as Bot API libraries' `ctx.reply` do; `null` = the General topic.
   */
  threadId?: number | null;
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
  /** `private` (absent = private), `supergroup` or `group` (a basic group). */
  type?: 'private' | 'supergroup' | 'group';
}

export interface BotModule extends BotProfile {
  onMessage(msg: BotIncomingMessage, chat: BotChat): Promise<unknown> | unknown;
  /**
   * An inline button was pressed. Returning is the bot's answerCallbackQuery (a string = the answer text shown).
   * No onCallback, a throw, or no return within the window (limits.callbackTimeoutMs, Telegram ~10–15 s) → the
   * user's client gets BOT_RESPONSE_TIMEOUT; what the handler edits later still arrives.
   */
  onCallback?(data: string, chat: BotChat, messageId: number): Promise<string | BotCallbackReply | void> | string | BotCallbackReply | void;
  /**
   * Inline mode (BotFather /setinline): a bot without it → the user's client gets BOT_INLINE_DISABLED. Returning
   * is answerInlineQuery (a list = the results); no answer within limits.inlineTimeoutMs, a throw, or an answer
   * Telegram rejects (an article without title, an empty message, more than 50 results) → BOT_RESPONSE_TIMEOUT.
   */
  onInlineQuery?(query: BotInlineQuery, chat: BotChat): Promise<BotInlineAnswer | BotInlineResultSpec[] | void> | BotInlineAnswer | BotInlineResultSpec[] | void;
  /** chosen_inline_result: the user sent one of the results (the message "via @bot" is in `chat`). */
  onChosenInlineResult?(resultId: string, query: string, chat: BotChat): Promise<unknown> | unknown;
  /** Optional: the bot's Mini App pages and backend, served on 127.0.0.1 (see bot-ui-contract.ts). */
  onWebRequest?(req: BotWebRequest): Promise<BotWebResponse | void> | BotWebResponse | void;
}

/** One entry of the bot's command menu (setMyCommands): `command` without the slash. */
export interface BotCommandSpec {
  command: string;
  description: string;
}

/**
 * The command menu per scope, as setMyCommands sets it: `default`, and `users` (all private chats) which wins in a
 * private chat. A plain list is the default scope.
 */
export type BotCommandsSpec = BotCommandSpec[] | { default?: BotCommandSpec[]; users?: BotCommandSpec[] };

/** An inline query (`@bot query` typed in any chat). */
export interface BotInlineQuery {
  id: string;
  query: string;
  /** The offset the client asks for (the `nextOffset` of an earlier answer, or ''). */
  offset: string;
  userId: string;
}

/** Result types of answerInlineQuery; `photo`, `gif`, `video`, `audio`, `voice`, `document`, `sticker` are media results. */
export const INLINE_RESULT_KINDS = ['article', 'photo', 'gif', 'video', 'audio', 'voice', 'document', 'sticker', 'location', 'venue', 'contact', 'game'] as const;
export type BotInlineResultKind = (typeof INLINE_RESULT_KINDS)[number];

/** One result of answerInlineQuery. */
export interface BotInlineResultSpec {
  /** Unique in the answer (default: its position). */
  id?: string;
  /** Default article. */
  kind?: BotInlineResultKind;
  /** Required for articles (else Telegram rejects the answer: ARTICLE_TITLE_EMPTY). */
  title?: string;
  description?: string;
  url?: string;
  /** Text of the message sent when the user picks this result (input_message_content). */
  message: string;
}

/** answerInlineQuery: the results and their options. */
export interface BotInlineAnswer {
  results: BotInlineResultSpec[];
  nextOffset?: string;
  /** Seconds Telegram may cache the answer (default 300). */
  cacheTime?: number;
  /** Show the results as a grid (media). */
  gallery?: boolean;
}

/** What a bot module may declare besides its handlers: its profile and command menu (BotFather settings). */
export interface BotProfile {
  /** setMyCommands: the command menu (`bots.getBotCommands`, `userFull.bot_info.commands`). */
  commands?: BotCommandsSpec;
  /** setMyDescription: shown in an empty chat with the bot ("What can this bot do?"). */
  description?: string;
  /** setMyShortDescription: the bot's profile "about" text. */
  about?: string;
}

/** A module's default export: a bot, or a factory that wraps the built-in demo bot of the same name. */
export type BotExport = BotModule | ((base: BotModule) => BotModule);
