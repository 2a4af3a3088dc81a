/**
 * Media RPCs of an authorized user: uploading parts (upload.saveFilePart / saveBigFilePart), sending media
 * (messages.sendMedia: an uploaded photo or document, a location, a contact) and downloading files in parts
 * (upload.getFile, with Telegram's offset/limit rules).
 */
import { Api, longStr, tlBool, type TlObject } from './tl.js';
import { tlMessage, usersFor } from './tl-build.js';
import { RpcFail, type RpcHandler } from './rpc-context.js';
import { peerUser } from './rpc-messages.js';
import type { DocAttributes, MsgMedia } from './media-files.js';

const KIB = 1024;
const MIB = 1024 * 1024;
/** Telegram's photo upload limit. */
const MAX_PHOTO_BYTES = 10 * MIB;
const CAPTION_MAX = 1024;

const num = (v: unknown): number => Number(v ?? 0);

function partBytes(v: unknown): Buffer {
  return Buffer.isBuffer(v) ? v : Buffer.alloc(0);
}

/** The bytes of an InputFile / InputFileBig the user uploaded, or the RPC error Telegram answers. */
function uploaded(files: { assemble(u: string, id: string, parts: number): { ok: true; bytes: Buffer } | { ok: false; error: string } }, userId: string, f: unknown): Buffer {
  const file = f as TlObject | undefined;
  if (!file || (file.className !== 'InputFile' && file.className !== 'InputFileBig')) throw new RpcFail(400, 'FILE_PARTS_INVALID');
  const r = files.assemble(userId, longStr(file.id), num(file.parts));
  if (!r.ok) throw new RpcFail(400, r.error);
  if (r.bytes.length === 0) throw new RpcFail(400, 'FILE_PARTS_INVALID');
  return r.bytes;
}

/** Width and height of a PNG (from IHDR); other images get a plausible size. */
function imageSize(b: Buffer): { w: number; h: number } {
  if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47 && b.toString('latin1', 12, 16) === 'IHDR') return { w: b.readUInt32BE(16), h: b.readUInt32BE(20) };
  return { w: 800, h: 600 };
}

function docAttributes(list: unknown): DocAttributes {
  const a: DocAttributes = {};
  for (const x of (Array.isArray(list) ? list : []) as TlObject[]) {
    switch (x.className) {
      case 'DocumentAttributeFilename':
        a.fileName = String(x.fileName ?? '');
        break;
      case 'DocumentAttributeAudio':
        a.audio = { duration: num(x.duration), voice: x.voice === true, waveform: Buffer.isBuffer(x.waveform) ? x.waveform : undefined, title: x.title as string | undefined, performer: x.performer as string | undefined };
        break;
      case 'DocumentAttributeVideo':
        a.video = { duration: num(x.duration), w: num(x.w), h: num(x.h), round: x.roundMessage === true };
        break;
      case 'DocumentAttributeSticker':
        a.sticker = { alt: String(x.alt ?? '') };
        break;
      case 'DocumentAttributeAnimated':
        a.animated = true;
        break;
      case 'DocumentAttributeImageSize':
        a.imageSize = { w: num(x.w), h: num(x.h) };
        break;
      default:
        break;
    }
  }
  return a;
}

export const mediaHandlers: Record<string, RpcHandler> = {
  'upload.SaveFilePart': (ctx, req, userId) => {
    const err = ctx.world.files.savePart(userId, longStr(req.fileId), num(req.filePart), partBytes(req.bytes));
    if (err) throw new RpcFail(400, err);
    return tlBool(true);
  },

  'upload.SaveBigFilePart': (ctx, req, userId) => {
    const err = ctx.world.files.savePart(userId, longStr(req.fileId), num(req.filePart), partBytes(req.bytes), num(req.fileTotalParts));
    if (err) throw new RpcFail(400, err);
    return tlBool(true);
  },

  'messages.SendMedia': (ctx, req, userId) => {
    const peer = peerUser(ctx, req.peer, userId);
    const caption = String(req.message ?? '');
    if (caption.length > CAPTION_MAX) throw new RpcFail(400, 'MEDIA_CAPTION_TOO_LONG');
    const m = req.media as TlObject | undefined;
    let media: MsgMedia;
    switch (m?.className) {
      case 'InputMediaUploadedPhoto': {
        const bytes = uploaded(ctx.world.files, userId, m.file);
        if (bytes.length > MAX_PHOTO_BYTES) throw new RpcFail(400, 'PHOTO_SAVE_FILE_INVALID');
        media = { type: 'photo', file: ctx.world.files.store(bytes), ...imageSize(bytes) };
        break;
      }
      case 'InputMediaUploadedDocument': {
        const bytes = uploaded(ctx.world.files, userId, m.file);
        const mimeType = String(m.mimeType ?? '') || 'application/octet-stream';
        media = { type: 'document', file: ctx.world.files.store(bytes), mimeType, attributes: docAttributes(m.attributes) };
        break;
      }
      case 'InputMediaGeoPoint': {
        const g = m.geoPoint as TlObject | undefined;
        if (g?.className !== 'InputGeoPoint') throw new RpcFail(400, 'MEDIA_INVALID');
        const lat = num(g.lat);
        const lon = num(g.long);
        if (Math.abs(lat) > 90 || Math.abs(lon) > 180) throw new RpcFail(400, 'MEDIA_INVALID');
        media = { type: 'geo', lat, lon };
        break;
      }
      case 'InputMediaContact': {
        const phone = String(m.phoneNumber ?? '');
        const firstName = String(m.firstName ?? '');
        if (!phone || !firstName) throw new RpcFail(400, 'MEDIA_INVALID');
        media = { type: 'contact', phone, firstName, lastName: String(m.lastName ?? ''), userId: ctx.world.byPhoneNumber(phone)?.id };
        break;
      }
      default:
        throw new RpcFail(400, 'MEDIA_INVALID');
    }
    const replyTo = req.replyTo as TlObject | undefined;
    const replyToId = replyTo && replyTo.replyToMsgId !== undefined ? Number(replyTo.replyToMsgId) : undefined;
    const msg = ctx.world.addMessage(userId, peer.id, userId, caption, { replyToId, media });
    if (peer.bot) ctx.afterResult(() => ctx.background(ctx.bots.deliver(peer.id, userId, msg)));
    return new Api.Updates({
      updates: [
        new Api.UpdateMessageID({ id: msg.id, randomId: req.randomId as Api.long }),
        new Api.UpdateNewMessage({ message: tlMessage(msg), pts: ctx.world.pts(userId), ptsCount: 1 }),
      ],
      users: usersFor(ctx.world, userId, [msg]),
      chats: [],
      date: msg.date,
      seq: 0,
    }).getBytes();
  },

  /**
   * A part of a stored file. Telegram's rules: offset and limit divisible by 4 KiB, 1 MiB divisible by limit, and
   * the part within one 1 MiB block (offset / 1 MiB == (offset + limit - 1) / 1 MiB); with `precise`, limit
   * divisible by 1 KiB and at most 1 MiB. A stale file reference → FILE_REFERENCE_EXPIRED.
   */
  'upload.GetFile': (ctx, req) => {
    const loc = req.location as TlObject | undefined;
    if (loc?.className !== 'InputPhotoFileLocation' && loc?.className !== 'InputDocumentFileLocation') throw new RpcFail(400, 'LOCATION_INVALID');
    const file = ctx.world.files.get(longStr(loc.id));
    if (!file || file.accessHash !== longStr(loc.accessHash)) throw new RpcFail(400, 'FILE_ID_INVALID');
    const ref = Buffer.isBuffer(loc.fileReference) ? loc.fileReference : Buffer.alloc(0);
    if (!ref.equals(file.fileReference)) throw new RpcFail(400, 'FILE_REFERENCE_EXPIRED');
    const offset = num(req.offset);
    const limit = num(req.limit);
    if (req.precise === true) {
      if (limit <= 0 || limit % KIB !== 0 || limit > MIB) throw new RpcFail(400, 'LIMIT_INVALID');
    } else {
      if (limit <= 0 || limit % (4 * KIB) !== 0 || MIB % limit !== 0) throw new RpcFail(400, 'LIMIT_INVALID');
      if (offset < 0 || offset % (4 * KIB) !== 0 || Math.floor(offset / MIB) !== Math.floor((offset + limit - 1) / MIB)) throw new RpcFail(400, 'OFFSET_INVALID');
    }
    if (offset < 0) throw new RpcFail(400, 'OFFSET_INVALID');
    const type = loc.className === 'InputPhotoFileLocation' ? new Api.storage.FileJpeg() : new Api.storage.FileUnknown();
    return new Api.upload.File({ type, mtime: file.date, bytes: file.bytes.subarray(offset, offset + limit) }).getBytes();
  },
};
