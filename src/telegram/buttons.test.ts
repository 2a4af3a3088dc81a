import { Api } from 'teleproto';
import { describe, expect, it } from 'vitest';
import { markupOf } from './buttons.js';

const btn = (text: string, type: Api.TypeInlineButtonType): Api.KeyboardInlineButton => new Api.KeyboardInlineButton({ text, type });

describe('reply markup as the tester sees it', () => {
  it('gives every inline button its kind and data (URL, Mini App, switch-inline query, callback)', () => {
    const markup = new Api.ReplyInlineMarkup({
      rows: [
        new Api.KeyboardInlineButtonRow({ buttons: [btn('Yes', new Api.InlineButtonTypeCallback({ data: Buffer.from('book:yes') })), btn('Docs', new Api.InlineButtonTypeUrl({ url: 'https://example.org/docs' }))] }),
        new Api.KeyboardInlineButtonRow({ buttons: [btn('Shop', new Api.InlineButtonTypeWebView({ url: 'https://shop.example/app' })), btn('Share', new Api.InlineButtonTypeSwitchInline({ query: 'pizza' })), btn('Play', new Api.InlineButtonTypeGame())] }),
      ],
    });
    expect(markupOf(markup).buttons).toEqual([
      [{ text: 'Yes', data: 'book:yes', kind: 'callback' }, { text: 'Docs', data: '', kind: 'url', url: 'https://example.org/docs' }],
      [{ text: 'Shop', data: '', kind: 'webapp', url: 'https://shop.example/app' }, { text: 'Share', data: '', kind: 'switch-inline', query: 'pizza' }, { text: 'Play', data: '', kind: 'other' }],
    ]);
  });

  it('reads a reply keyboard with its options, a removal and a force-reply', () => {
    const kb = new Api.ReplyKeyboardMarkup({
      resize: true,
      singleUse: true,
      placeholder: 'Choose',
      rows: [new Api.KeyboardButtonRow({ buttons: [new Api.KeyboardButton({ text: 'A', type: new Api.ButtonTypeDefault() }), new Api.KeyboardButton({ text: 'B', type: new Api.ButtonTypeDefault() })] })],
    });
    expect(markupOf(kb)).toEqual({ keyboard: { rows: [['A', 'B']], oneTime: true, resize: true, placeholder: 'Choose' } });
    const app = new Api.ReplyKeyboardMarkup({ rows: [new Api.KeyboardButtonRow({ buttons: [new Api.KeyboardButton({ text: 'Shop', type: new Api.ButtonTypeSimpleWebView({ url: 'https://shop.example/' }) })] })] });
    expect(markupOf(app)).toEqual({ keyboard: { rows: [['Shop']], webApps: { Shop: 'https://shop.example/' } } });
    expect(markupOf(new Api.ReplyKeyboardHide({}))).toEqual({ keyboardRemoved: true });
    expect(markupOf(new Api.ReplyKeyboardForceReply({}))).toEqual({ forceReply: true });
    expect(markupOf(undefined)).toEqual({});
  });

  it('caps what a bot can make us hold (button texts, URLs)', () => {
    const long = 'x'.repeat(10_000);
    const m = new Api.ReplyInlineMarkup({ rows: [new Api.KeyboardInlineButtonRow({ buttons: [btn(long, new Api.InlineButtonTypeUrl({ url: `https://e.org/${long}` }))] })] });
    const b = markupOf(m).buttons?.[0]?.[0];
    expect(b?.text).toHaveLength(256);
    expect(b?.url).toHaveLength(2048);
  });
});
