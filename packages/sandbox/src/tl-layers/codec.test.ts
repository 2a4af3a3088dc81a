import { describe, expect, it } from 'vitest';
import { Api } from 'teleproto';
import bigInt from 'big-integer';
import fc from 'fast-check';
import { config } from '../rpc-messages.js';
import { readTlObject } from '../tl.js';
import { TlReader, TlWriter, type TlValueObject } from './codec.js';
import { answerToLayer, isServedLayer, pushToLayer, requestToNative, resultTypeOf, schemaFor } from './layers.js';
import { LAYER_227_DIFF } from './layer-227.js';
import { teleprotoSchema } from './schema.js';

interface Serializable {
  getBytes(): Buffer;
  className: string;
}

const s229 = teleprotoSchema();

function keyboardMessage(): Api.Message {
  return new Api.Message({
    id: 7,
    out: false,
    peerId: new Api.PeerUser({ userId: bigInt('1000001') }),
    fromId: new Api.PeerUser({ userId: bigInt('2000002') }),
    date: 1_780_000_000,
    message: 'pick one — ünïcødé',
    replyTo: new Api.MessageReplyHeader({ replyToMsgId: 6 }),
    editDate: 1_780_000_001,
    replyMarkup: new Api.ReplyInlineMarkup({
      rows: [
        new Api.KeyboardInlineButtonRow({
          buttons: [
            new Api.KeyboardInlineButton({ text: 'Yes', type: new Api.InlineButtonTypeCallback({ data: Buffer.from('yes') }) }),
            new Api.KeyboardInlineButton({ text: 'Docs', type: new Api.InlineButtonTypeUrl({ url: 'https://example.org/' }) }),
          ],
        }),
      ],
    }),
  });
}

function samples(): Serializable[] {
  const bot = new Api.User({
    bot: true,
    botNochats: true,
    id: bigInt('2000002'),
    accessHash: bigInt('-8000000000000000001'),
    firstName: 'Bot',
    username: 'some_bot',
    botInfoVersion: 1,
  });
  const self = new Api.User({ self: true, id: bigInt('1000001'), accessHash: bigInt('42'), firstName: 'Me', phone: '999661234' });
  return [
    bot,
    self,
    keyboardMessage(),
    new Api.UpdateShortMessage({ out: false, id: 3, userId: bigInt('2000002'), message: 'x'.repeat(300), pts: 9, ptsCount: 1, date: 1_780_000_000 }),
    new Api.Updates({ updates: [new Api.UpdateNewMessage({ message: keyboardMessage(), pts: 10, ptsCount: 1 })], users: [bot, self], chats: [], date: 1_780_000_000, seq: 0 }),
    new Api.UpdateShort({
      update: new Api.UpdateUserTyping({
        userId: bigInt('2000002'),
        action: new Api.SendMessageTextDraftAction({ randomId: bigInt('123456789012345'), text: new Api.TextWithEntities({ text: 'partial', entities: [] }) }),
      }),
      date: 1_780_000_000,
    }),
    new Api.messages.SendMessage({ peer: new Api.InputPeerUser({ userId: bigInt('2000002'), accessHash: bigInt('7') }), message: 'hi', randomId: bigInt('-5'), noWebpage: true }),
    new Api.InvokeWithLayer({
      layer: 229,
      query: new Api.InitConnection({
        apiId: 1,
        deviceModel: 'd',
        systemVersion: 's',
        appVersion: 'a',
        systemLangCode: 'en',
        langPack: '',
        langCode: 'en',
        query: new Api.help.GetConfig(),
      }),
    }),
    new Api.users.UserFull({
      fullUser: new Api.UserFull({
        id: bigInt('2000002'),
        settings: new Api.PeerSettings({}),
        notifySettings: new Api.PeerNotifySettings({}),
        commonChatsCount: 0,
        botInfo: new Api.BotInfo({ userId: bigInt('2000002'), description: 'd', commands: [] }),
      }),
      chats: [],
      users: [bot],
    }),
    new Api.messages.BotCallbackAnswer({ message: 'Done', cacheTime: 0, alert: false }),
    new Api.updates.DifferenceEmpty({ date: 1, seq: 0 }),
    config(4242, '127.0.0.1'),
    new Api.GeoPoint({ long: 13.404954, lat: -52.520008, accessHash: bigInt('9'), accuracyRadius: 5 }),
    new Api.PhoneCallProtocol({ minLayer: 65, maxLayer: 92, libraryVersions: ['1'], udpP2p: true }),
    new Api.PQInnerData({ pq: Buffer.from([1, 2]), p: Buffer.from([1]), q: Buffer.from([2]), nonce: bigInt('12345678901234567890'), serverNonce: bigInt('-1'), newNonce: bigInt('2').pow(200) }),
  ];
}

describe('the schema-driven TL codec at layer 229', () => {
  it('writes teleproto objects to exactly the bytes teleproto writes, and reads them back to the same bytes', () => {
    for (const obj of samples()) {
      const expected = obj.getBytes();
      const ours = new TlWriter(s229).writeObject(obj as unknown as TlValueObject).finish();
      expect(ours.toString('hex'), obj.className).toBe(expected.toString('hex'));
      const reader = new TlReader(s229, expected);
      const value = reader.readBoxed();
      expect(reader.offset, obj.className).toBe(expected.length);
      expect((value as TlValueObject).className).toBe(obj.className);
      expect(new TlWriter(s229).write({ kind: 'any' }, value).finish().toString('hex'), obj.className).toBe(expected.toString('hex'));
    }
  });

  it('matches teleproto for any text and bytes length (the 253/254 length-prefix boundary, padding, UTF-8)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 700 }), fc.uint8Array({ maxLength: 700 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (text, data, n) => {
        const msg = new Api.UpdateShortMessage({ id: n, userId: bigInt(String(n)), message: text, pts: 1, ptsCount: 1, date: 0 });
        const btn = new Api.InlineButtonTypeCallback({ data: Buffer.from(data) });
        for (const obj of [msg, btn]) {
          const expected = obj.getBytes().toString('hex');
          expect(new TlWriter(s229).writeObject(obj as unknown as TlValueObject).finish().toString('hex')).toBe(expected);
          expect(new TlWriter(s229).write({ kind: 'any' }, new TlReader(s229, obj.getBytes()).readBoxed()).finish().toString('hex')).toBe(expected);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('writes bare vectors of bare objects bare (future_salts), where teleproto 1.229.0 boxes each element', () => {
    const salts = { className: 'FutureSalts', reqMsgId: 99n, now: 5, salts: [{ className: 'FutureSalt', validSince: 1, validUntil: 2, salt: -3n }] };
    const ours = new TlWriter(s229).writeObject(salts).finish();
    // future_salts#ae500895 req_msg_id:long now:int salts:vector<future_salt>; future_salt valid_since:int valid_until:int salt:long
    expect(ours.toString('hex')).toBe('950850ae' + '6300000000000000' + '05000000' + '01000000' + '01000000' + '02000000' + 'fdffffffffffffff');
    expect(new TlReader(s229, ours).readBoxed()).toEqual(salts);
  });

  it('reads typed values: longs as bigint, Bool, true flags, strings, vectors of ints', () => {
    const u = new TlReader(s229, (samples()[0] as Serializable).getBytes()).readBoxed() as TlValueObject;
    expect(u).toMatchObject({ className: 'User', bot: true, id: 2000002n, accessHash: -8000000000000000001n, username: 'some_bot', botInfoVersion: 1 });
    expect(u.self).toBeUndefined();
    const ints = Buffer.from('15c4b51c020000000100000002000000', 'hex');
    expect(new TlReader(s229, ints).read({ kind: 'vector', boxed: true, of: { kind: 'prim', prim: 'int' } })).toEqual([1, 2]);
  });

  it('fails with a clear error on an unknown constructor and on truncated data', () => {
    expect(() => new TlReader(s229, Buffer.from('01020304', 'hex')).readBoxed('x')).toThrow(/constructor 0x04030201 is not in layer 229/);
    const bytes = (samples()[0] as Serializable).getBytes();
    expect(() => new TlReader(s229, bytes.subarray(0, bytes.length - 3)).readBoxed()).toThrow(/truncated/);
    expect(() => new TlWriter(s229).writeObject({ className: 'NoSuchThing' })).toThrow(/NoSuchThing has no constructor in layer 229/);
    expect(() => new TlWriter(s229).writeObject({ className: 'UpdateShort', date: 1 })).toThrow(/UpdateShort.update: required field is missing/);
  });
});

describe('layer 227', () => {
  const s227 = schemaFor(227);

  it('is served, along with 229; 198 and 144 are not', () => {
    expect(s227?.layer).toBe(227);
    expect([229, 227].every(isServedLayer)).toBe(true);
    expect(isServedLayer(198) || isServedLayer(144)).toBe(false);
    expect(LAYER_227_DIFF.some((e) => e.name === 'User' && e.id === 0x31774388)).toBe(true);
  });

  it('re-encodes a layer-229 user with its layer-227 constructor and fields', () => {
    const bot = samples()[0] as Serializable;
    const out = answerToLayer(227, { kind: 'object', name: 'User', bare: false }, bot.getBytes());
    expect(out.readUInt32LE(0)).toBe(0x31774388);
    const back = new TlReader(s227 as NonNullable<typeof s227>, out).readBoxed() as TlValueObject;
    expect(back).toMatchObject({ className: 'User', bot: true, id: 2000002n, username: 'some_bot', botInfoVersion: 1 });
  });

  it('maps the layer-229 inline keyboard onto layer 227 keyboardButtonRow / keyboardButtonCallback, and back', () => {
    const msg = keyboardMessage();
    const out = answerToLayer(227, { kind: 'object', name: 'Message', bare: false }, msg.getBytes());
    const back = new TlReader(s227 as NonNullable<typeof s227>, out).readBoxed() as TlValueObject;
    const markup = back.replyMarkup as TlValueObject;
    expect(markup.className).toBe('ReplyInlineMarkup');
    const row = (markup.rows as TlValueObject[])[0] as TlValueObject;
    expect(row.className).toBe('KeyboardButtonRow');
    const [cb, url] = row.buttons as TlValueObject[];
    expect(cb).toMatchObject({ className: 'KeyboardButtonCallback', text: 'Yes', data: Buffer.from('yes') });
    expect(url).toMatchObject({ className: 'KeyboardButtonUrl', text: 'Docs', url: 'https://example.org/' });
    expect(back.message).toBe('pick one — ünïcødé');
    // and up again: the original layer-229 bytes
    expect(requestToNative(227, out).toString('hex')).toBe(msg.getBytes().toString('hex'));
  });

  it('translates a whole push (updates with users and a keyboard) and a draft action', () => {
    const [, , , , updates, draft] = samples() as Serializable[];
    const out = pushToLayer(227, (updates as Serializable).getBytes());
    const v = new TlReader(s227 as NonNullable<typeof s227>, out).readBoxed() as TlValueObject;
    expect((v.users as TlValueObject[]).map((u) => u.className)).toEqual(['User', 'User']);
    const d = new TlReader(s227 as NonNullable<typeof s227>, pushToLayer(227, (draft as Serializable).getBytes())).readBoxed() as TlValueObject;
    const action = (d.update as TlValueObject).action as TlValueObject;
    expect(action).toMatchObject({ className: 'SendMessageTextDraftAction', randomId: 123456789012345n });
    expect(pushToLayer(227, (draft as Serializable).getBytes()).includes(Buffer.from('5c976d37', 'hex'))).toBe(true);
  });

  it('decodes a layer-227 request into a teleproto object', () => {
    const req = (samples()[7] as Serializable).getBytes();
    const native = readTlObject(requestToNative(227, req));
    expect(native.className).toBe('InvokeWithLayer');
    expect((native.query as { query: { className: string } }).query.className).toBe('help.GetConfig');
    expect(resultTypeOf('users.GetUsers')).toEqual({ kind: 'vector', boxed: true, of: { kind: 'object', name: 'User', bare: false } });
    expect(resultTypeOf('messages.GetMessagesViews')?.kind).toBe('object');
  });
});
