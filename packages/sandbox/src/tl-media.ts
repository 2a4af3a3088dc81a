/**
 * Message media of the world → TL: MessageMediaPhoto, MessageMediaDocument with its DocumentAttribute*,
 * MessageMediaGeo, MessageMediaContact, MessageMediaPoll — as Telegram sends them (dc 2, file references).
 */
import { Api, bigInt, long } from './tl.js';
import type { DocAttributes, MsgMedia } from './media-files.js';

/** The sandbox is one data center: every file lives in it. */
export const FILE_DC_ID = 2;

function attributesOf(a: DocAttributes): Api.TypeDocumentAttribute[] {
  const out: Api.TypeDocumentAttribute[] = [];
  if (a.imageSize) out.push(new Api.DocumentAttributeImageSize({ w: a.imageSize.w, h: a.imageSize.h }));
  if (a.animated) out.push(new Api.DocumentAttributeAnimated());
  if (a.sticker) out.push(new Api.DocumentAttributeSticker({ alt: a.sticker.alt, stickerset: new Api.InputStickerSetEmpty() }));
  if (a.video) out.push(new Api.DocumentAttributeVideo({ roundMessage: a.video.round || undefined, duration: a.video.duration, w: a.video.w, h: a.video.h }));
  if (a.audio) {
    out.push(new Api.DocumentAttributeAudio({
      voice: a.audio.voice || undefined, duration: Math.round(a.audio.duration), title: a.audio.title, performer: a.audio.performer, waveform: a.audio.waveform,
    }));
  }
  if (a.fileName !== undefined) out.push(new Api.DocumentAttributeFilename({ fileName: a.fileName }));
  return out;
}

export function tlMedia(m: MsgMedia): Api.TypeMessageMedia {
  switch (m.type) {
    case 'photo':
      return new Api.MessageMediaPhoto({
        photo: new Api.Photo({
          id: long(m.file.id), accessHash: long(m.file.accessHash), fileReference: m.file.fileReference, date: m.file.date, dcId: FILE_DC_ID,
          sizes: [new Api.PhotoSize({ type: 'y', w: m.w, h: m.h, size: m.file.bytes.length })],
        }),
      });
    case 'document': {
      const a = m.attributes;
      return new Api.MessageMediaDocument({
        voice: a.audio?.voice || undefined,
        round: a.video?.round || undefined,
        video: (a.video && !a.video.round) || undefined,
        document: new Api.Document({
          id: long(m.file.id), accessHash: long(m.file.accessHash), fileReference: m.file.fileReference, date: m.file.date,
          mimeType: m.mimeType, size: bigInt(m.file.bytes.length), dcId: FILE_DC_ID, attributes: attributesOf(a),
        }),
      });
    }
    case 'geo':
      return new Api.MessageMediaGeo({ geo: new Api.GeoPoint({ lat: m.lat, long: m.lon, accessHash: long(0) }) });
    case 'contact':
      return new Api.MessageMediaContact({ phoneNumber: m.phone, firstName: m.firstName, lastName: m.lastName, vcard: '', userId: long(m.userId ?? 0) });
    case 'poll':
      return new Api.MessageMediaPoll({
        poll: new Api.Poll({
          id: long(m.id), question: new Api.TextWithEntities({ text: m.question, entities: [] }), hash: long(0),
          answers: m.options.map((o, i) => new Api.PollAnswer({ text: new Api.TextWithEntities({ text: o, entities: [] }), option: Buffer.from([i]) })),
        }),
        results: new Api.PollResults({}),
      });
  }
}
