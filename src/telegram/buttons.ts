/**
 * A message's reply_markup as the tester sees it: inline buttons of every kind (callback, URL, Mini App,
 * switch-inline; the rest as `other`), a reply keyboard, its removal, a force-reply. Button texts and URLs come
 * from the bot: untrusted, capped in size here; escaping is left to whoever prints them.
 */
import { Api } from 'teleproto';
import type { InlineButton, ReplyKeyboard } from '../core/types.js';

const MAX_TEXT = 256;
const MAX_URL = 2048;
const MAX_ROWS = 100;
const MAX_PER_ROW = 12;

export interface MessageMarkup {
  buttons?: InlineButton[][];
  keyboard?: ReplyKeyboard;
  keyboardRemoved?: true;
  forceReply?: true;
}

const cap = (s: string | undefined, n: number): string => (s ?? '').slice(0, n);

/** One inline button with its kind and data (callback data as UTF-8, the URL of a URL or Mini App button). */
export function inlineButtonOf(b: Api.TypeKeyboardInlineButton): InlineButton {
  const text = cap(b.text, MAX_TEXT);
  const t = b.type;
  if (t instanceof Api.InlineButtonTypeCallback) return { text, data: Buffer.from(t.data).toString('utf8'), kind: 'callback' };
  if (t instanceof Api.InlineButtonTypeUrl) return { text, data: '', kind: 'url', url: cap(t.url, MAX_URL) };
  if (t instanceof Api.InlineButtonTypeUrlAuth) return { text, data: '', kind: 'url', url: cap(t.url, MAX_URL) };
  if (t instanceof Api.InlineButtonTypeWebView) return { text, data: '', kind: 'webapp', url: cap(t.url, MAX_URL) };
  if (t instanceof Api.InlineButtonTypeSwitchInline) return { text, data: '', kind: 'switch-inline', query: cap(t.query, MAX_TEXT) };
  return { text, data: '', kind: 'other' };
}

/** The inline keyboard of a message, if it has one. */
export function buttonsOf(markup: Api.TypeReplyMarkup | undefined): InlineButton[][] | undefined {
  if (!(markup instanceof Api.ReplyInlineMarkup)) return undefined;
  return markup.rows.slice(0, MAX_ROWS).map((row) => row.buttons.slice(0, MAX_PER_ROW).map(inlineButtonOf));
}

/** Everything a message's reply_markup shows. */
export function markupOf(markup: Api.TypeReplyMarkup | undefined): MessageMarkup {
  if (markup instanceof Api.ReplyInlineMarkup) return { buttons: buttonsOf(markup) };
  if (markup instanceof Api.ReplyKeyboardHide) return { keyboardRemoved: true };
  if (markup instanceof Api.ReplyKeyboardForceReply) return { forceReply: true };
  if (markup instanceof Api.ReplyKeyboardMarkup) {
    const keyboard: ReplyKeyboard = { rows: markup.rows.slice(0, MAX_ROWS).map((r) => r.buttons.slice(0, MAX_PER_ROW).map((b) => cap(b.text, MAX_TEXT))) };
    if (markup.singleUse) keyboard.oneTime = true;
    if (markup.resize) keyboard.resize = true;
    if (markup.placeholder) keyboard.placeholder = cap(markup.placeholder, MAX_TEXT);
    for (const row of markup.rows.slice(0, MAX_ROWS)) {
      for (const b of row.buttons.slice(0, MAX_PER_ROW)) {
        if (b.type instanceof Api.ButtonTypeSimpleWebView) (keyboard.webApps ??= {})[cap(b.text, MAX_TEXT)] = cap(b.type.url, MAX_URL);
      }
    }
    return { keyboard };
  }
  return {};
}
