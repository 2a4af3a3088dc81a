/**
 * Keyboards and buttons beyond inline callback buttons, from the bot contract to the world and to TL: reply
 * keyboards (ReplyKeyboardMarkup), their removal (ReplyKeyboardHide), force-reply, and URL, Mini App
 * (KeyboardButtonWebView) and switch-inline buttons, in layer 229's shape (KeyboardInlineButton + InlineButtonType*).
 */
import { Api } from './tl.js';
import type { BotButton, BotReplyOptions } from './bot-contract.js';
import { BotApiError } from './bot-limits.js';
import type { MsgButton } from './world.js';

export type MsgLinkButton =
  | { text: string; url: string }
  | { text: string; webApp: string }
  | { text: string; switchInline: string; samePeer?: boolean };

export type MsgReplyMarkup =
  | { kind: 'keyboard'; rows: string[][]; resize?: boolean; oneTime?: boolean; placeholder?: string; webApps?: Record<string, string> }
  | { kind: 'remove' }
  | { kind: 'force-reply'; placeholder?: string };

const MAX_ROWS = 100;
const MAX_TEXT = 256;

/**
 * The bot's reply markup as Telegram would store it, or a 400 as the Bot API answers a bad one. `resolveUrl`
 * makes a bot's relative page path absolute (its Mini App server).
 */
export function markupOf(opts: BotReplyOptions | undefined, resolveUrl: (target: string) => string): { buttons?: MsgButton[][]; markup?: MsgReplyMarkup } {
  if (!opts) return {};
  const chosen = [opts.buttons !== undefined, opts.keyboard !== undefined, opts.removeKeyboard === true, opts.forceReply !== undefined].filter(Boolean).length;
  if (chosen > 1) throw new BotApiError(400, 'Bad Request: only one of inline buttons, a reply keyboard, its removal or force_reply can be sent with a message');
  const out: { buttons?: MsgButton[][]; markup?: MsgReplyMarkup } = {};
  if (opts.buttons) out.buttons = opts.buttons.map((row) => row.map((b) => button(b, resolveUrl)));
  if (opts.keyboard) {
    const rows = opts.keyboard.rows;
    if (!Array.isArray(rows) || rows.length === 0 || rows.length > MAX_ROWS || rows.some((r) => !Array.isArray(r) || r.length === 0)) {
      throw new BotApiError(400, 'Bad Request: reply keyboard must have at least one non-empty row');
    }
    const textOf = (b: string | { text: string }): string => (typeof b === 'string' ? b : String(b?.text ?? ''));
    if (rows.some((r) => r.some((b) => !textOf(b).trim() || textOf(b).length > MAX_TEXT))) throw new BotApiError(400, 'Bad Request: keyboard button text is empty or too long');
    const webApps: Record<string, string> = {};
    for (const r of rows) for (const b of r) if (typeof b !== 'string') webApps[b.text] = httpUrl(resolveUrl(b.webApp), 'BUTTON_URL_INVALID');
    out.markup = { kind: 'keyboard', rows: rows.map((r) => r.map(textOf)), resize: opts.keyboard.resize, oneTime: opts.keyboard.oneTime, placeholder: opts.keyboard.placeholder };
    if (Object.keys(webApps).length) out.markup.webApps = webApps;
  }
  if (opts.removeKeyboard) out.markup = { kind: 'remove' };
  if (opts.forceReply) out.markup = { kind: 'force-reply', placeholder: opts.forceReply.placeholder };
  return out;
}

function button(b: BotButton, resolveUrl: (target: string) => string): MsgButton {
  if (typeof b.text !== 'string' || !b.text.trim()) throw new BotApiError(400, 'Bad Request: inline keyboard button text is empty');
  if ('data' in b) {
    if (Buffer.byteLength(b.data, 'utf8') > 64) throw new BotApiError(400, 'Bad Request: BUTTON_DATA_INVALID');
    return { text: b.text, data: b.data };
  }
  if ('url' in b) return { text: b.text, url: httpUrl(resolveUrl(b.url), 'BUTTON_URL_INVALID') };
  if ('webApp' in b) return { text: b.text, webApp: httpUrl(resolveUrl(b.webApp), 'BUTTON_URL_INVALID') };
  if ('switchInline' in b) return { text: b.text, switchInline: String(b.switchInline), samePeer: b.samePeer };
  throw new BotApiError(400, 'Bad Request: can\'t parse inline keyboard button: a button needs data, url, webApp or switchInline');
}

function httpUrl(u: string, error: string): string {
  try {
    const parsed = new URL(u);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:' || parsed.protocol === 'tg:') return u;
  } catch {
    // fall through
  }
  throw new BotApiError(400, `Bad Request: ${error}`);
}

/** The TL reply_markup of a stored message. */
export function tlReplyMarkup(buttons: MsgButton[][] | undefined, markup: MsgReplyMarkup | undefined): Api.TypeReplyMarkup | undefined {
  if (buttons?.length) {
    return new Api.ReplyInlineMarkup({
      rows: buttons.map((row) => new Api.KeyboardInlineButtonRow({ buttons: row.map((b) => new Api.KeyboardInlineButton({ text: b.text, type: tlButtonType(b) })) })),
    });
  }
  if (!markup) return undefined;
  if (markup.kind === 'remove') return new Api.ReplyKeyboardHide({});
  if (markup.kind === 'force-reply') return new Api.ReplyKeyboardForceReply({ placeholder: markup.placeholder });
  return new Api.ReplyKeyboardMarkup({
    resize: markup.resize,
    singleUse: markup.oneTime,
    placeholder: markup.placeholder,
    rows: markup.rows.map((row) => new Api.KeyboardButtonRow({ buttons: row.map((text) => new Api.KeyboardButton({ text, type: keyboardButtonType(markup.webApps?.[text]) })) })),
  });
}

function keyboardButtonType(webApp: string | undefined): Api.TypeButtonType {
  return webApp === undefined ? new Api.ButtonTypeDefault() : new Api.ButtonTypeSimpleWebView({ url: webApp });
}

function tlButtonType(b: MsgButton): Api.TypeInlineButtonType {
  if ('data' in b) return new Api.InlineButtonTypeCallback({ data: Buffer.from(b.data, 'utf8') });
  if ('url' in b) return new Api.InlineButtonTypeUrl({ url: b.url });
  if ('webApp' in b) return new Api.InlineButtonTypeWebView({ url: b.webApp });
  return new Api.InlineButtonTypeSwitchInline({ query: b.switchInline, samePeer: b.samePeer });
}

/** What a bot's onCallback returned, as answerCallbackQuery's fields (text capped at 200 characters, as Telegram's). */
export function callbackAnswerOf(r: unknown): { text?: string; alert?: boolean; url?: string } {
  if (typeof r === 'string') return { text: r.slice(0, 200) };
  if (typeof r !== 'object' || r === null) return {};
  const o = r as { text?: unknown; alert?: unknown; url?: unknown };
  return {
    text: typeof o.text === 'string' ? o.text.slice(0, 200) : undefined,
    alert: o.alert === true ? true : undefined,
    url: typeof o.url === 'string' ? o.url : undefined,
  };
}
