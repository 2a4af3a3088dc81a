import { describe, expect, it } from 'vitest';
import { Api } from 'teleproto';
import bigInt from 'big-integer';
import { TlReader, type TlValueObject } from './codec.js';
import { answerToLayer, schemaFor } from './layers.js';
import { tlReplyMarkup } from '../ui-markup.js';

const s227 = schemaFor(227);

function message(markup: Api.TypeReplyMarkup | undefined): Api.Message {
  return new Api.Message({ id: 9, out: false, peerId: new Api.PeerUser({ userId: bigInt('1000001') }), fromId: new Api.PeerUser({ userId: bigInt('2000002') }), date: 1_780_000_000, message: 'menu', replyMarkup: markup });
}

function at227(m: Api.Message): TlValueObject {
  const out = answerToLayer(227, { kind: 'object', name: 'Message', bare: false }, m.getBytes());
  return new TlReader(s227 as NonNullable<typeof s227>, out).readBoxed() as TlValueObject;
}

describe('keyboards and buttons for a layer-227 client', () => {
  it('maps URL, Mini App and switch-inline buttons onto their layer-227 constructors', () => {
    const markup = tlReplyMarkup([[{ text: 'Docs', url: 'https://e.org/d' }, { text: 'Shop', webApp: 'https://e.org/s' }, { text: 'Share', switchInline: 'pizza' }]], undefined);
    const row = ((at227(message(markup)).replyMarkup as TlValueObject).rows as TlValueObject[])[0] as TlValueObject;
    expect(row.buttons).toMatchObject([
      { className: 'KeyboardButtonUrl', text: 'Docs', url: 'https://e.org/d' },
      { className: 'KeyboardButtonWebView', text: 'Shop', url: 'https://e.org/s' },
      { className: 'KeyboardButtonSwitchInline', text: 'Share', query: 'pizza' },
    ]);
  });

  it('keeps a reply keyboard, its removal and force-reply', () => {
    const kb = at227(message(tlReplyMarkup(undefined, { kind: 'keyboard', rows: [['A', 'B']], resize: true, placeholder: 'Pick' }))).replyMarkup as TlValueObject;
    expect(kb).toMatchObject({ className: 'ReplyKeyboardMarkup', resize: true, placeholder: 'Pick' });
    expect(((kb.rows as TlValueObject[])[0] as TlValueObject).buttons).toMatchObject([{ className: 'KeyboardButton', text: 'A' }, { className: 'KeyboardButton', text: 'B' }]);
    expect((at227(message(tlReplyMarkup(undefined, { kind: 'remove' }))).replyMarkup as TlValueObject).className).toBe('ReplyKeyboardHide');
    expect((at227(message(tlReplyMarkup(undefined, { kind: 'force-reply' }))).replyMarkup as TlValueObject).className).toBe('ReplyKeyboardForceReply');
  });
});
