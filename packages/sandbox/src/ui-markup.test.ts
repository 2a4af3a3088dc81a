import { describe, expect, it } from 'vitest';
import { Api } from './tl.js';
import { callbackAnswerOf, markupOf, tlReplyMarkup } from './ui-markup.js';

const resolve = (t: string): string => (t.startsWith('/') ? `http://127.0.0.1:1234/bots/b_bot${t}` : t);

describe('bot reply markup', () => {
  it('stores a reply keyboard, its removal and force-reply as Telegram encodes them', () => {
    const kb = markupOf({ keyboard: { rows: [['A', 'B'], ['C']], resize: true, oneTime: true, placeholder: 'Pick' } }, resolve);
    const tl = tlReplyMarkup(kb.buttons, kb.markup);
    expect(tl).toBeInstanceOf(Api.ReplyKeyboardMarkup);
    const m = tl as Api.ReplyKeyboardMarkup;
    expect(m.rows.map((r) => r.buttons.map((b) => b.text))).toEqual([['A', 'B'], ['C']]);
    expect([m.resize, m.singleUse, m.placeholder]).toEqual([true, true, 'Pick']);
    expect(tlReplyMarkup(undefined, markupOf({ removeKeyboard: true }, resolve).markup)).toBeInstanceOf(Api.ReplyKeyboardHide);
    expect(tlReplyMarkup(undefined, markupOf({ forceReply: { placeholder: 'Name?' } }, resolve).markup)).toBeInstanceOf(Api.ReplyKeyboardForceReply);
  });

  it('encodes a reply keyboard\'s Mini App button as KeyboardButtonSimpleWebView', () => {
    const kb = markupOf({ keyboard: { rows: [[{ text: '🛒 Shop', webApp: '/shop' }, 'Help']] } }, resolve);
    const row = (tlReplyMarkup(undefined, kb.markup) as Api.ReplyKeyboardMarkup).rows[0] as Api.KeyboardButtonRow;
    expect(row.buttons.map((b) => b.text)).toEqual(['🛒 Shop', 'Help']);
    expect(row.buttons[0]?.type).toMatchObject({ className: 'ButtonTypeSimpleWebView', url: 'http://127.0.0.1:1234/bots/b_bot/shop' });
    expect(row.buttons[1]?.type).toBeInstanceOf(Api.ButtonTypeDefault);
  });

  it('encodes every inline button kind, making a page path absolute on the Mini App server', () => {
    const { buttons } = markupOf({ buttons: [[{ text: 'cb', data: 'x' }, { text: 'u', url: '/docs' }], [{ text: 'app', webApp: '/shop' }, { text: 'q', switchInline: 'pizza', samePeer: true }]] }, resolve);
    const tl = tlReplyMarkup(buttons, undefined) as Api.ReplyInlineMarkup;
    const types = tl.rows.flatMap((r) => r.buttons.map((b) => b.type));
    expect(types[0]).toBeInstanceOf(Api.InlineButtonTypeCallback);
    expect(types[1]).toMatchObject({ className: 'InlineButtonTypeUrl', url: 'http://127.0.0.1:1234/bots/b_bot/docs' });
    expect(types[2]).toMatchObject({ className: 'InlineButtonTypeWebView', url: 'http://127.0.0.1:1234/bots/b_bot/shop' });
    expect(types[3]).toMatchObject({ className: 'InlineButtonTypeSwitchInline', query: 'pizza', samePeer: true });
  });

  it('answers 400 like the Bot API for markup Telegram refuses', () => {
    expect(() => markupOf({ buttons: [[{ text: 'a', data: 'x' }]], removeKeyboard: true }, resolve)).toThrow(/only one of/u);
    expect(() => markupOf({ keyboard: { rows: [] } }, resolve)).toThrow(/at least one non-empty row/u);
    expect(() => markupOf({ buttons: [[{ text: 'u', url: 'javascript:alert(1)' }]] }, resolve)).toThrow(/BUTTON_URL_INVALID/u);
    expect(() => markupOf({ buttons: [[{ text: 'cb', data: 'x'.repeat(65) }]] }, resolve)).toThrow(/BUTTON_DATA_INVALID/u);
  });

  it('reads a callback answer: a string is a toast; an object may be an alert with a url', () => {
    expect(callbackAnswerOf('Done')).toEqual({ text: 'Done' });
    expect(callbackAnswerOf({ text: 'Sold out', alert: true })).toEqual({ text: 'Sold out', alert: true, url: undefined });
    expect(callbackAnswerOf(undefined)).toEqual({});
    expect(callbackAnswerOf('x'.repeat(300)).text).toHaveLength(200);
  });
});
