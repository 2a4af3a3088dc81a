/**
 * Media over the user session: reading a bot message's media into a ReplyMedia, building the InputMedia of a file,
 * location or contact the test user sends (uploading the file in parts), and the size of a file to download.
 * Pure helpers plus the upload; the driver owns the chat bookkeeping.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { Api, type TelegramClient } from 'teleproto';
import { CustomFile } from 'teleproto/client/uploads.js';
import { TgCanaryError } from '../core/errors.js';
import type { MediaKind, OutgoingMedia, ReplyMedia } from '../core/media-types.js';

/** Telegram accepts files up to 2 GB from a user; a canary prompt is small: above this we refuse to upload. */
export const MAX_SEND_BYTES = 50 * 1024 * 1024;

function attr<T extends Api.TypeDocumentAttribute>(doc: Api.Document, cls: abstract new (...a: never[]) => T): T | undefined {
  return doc.attributes.find((a): a is T => a instanceof cls);
}

function documentKind(doc: Api.Document): MediaKind {
  const video = attr(doc, Api.DocumentAttributeVideo);
  const audio = attr(doc, Api.DocumentAttributeAudio);
  if (attr(doc, Api.DocumentAttributeSticker)) return 'sticker';
  if (video?.roundMessage) return 'video-note';
  if (attr(doc, Api.DocumentAttributeAnimated)) return 'animation';
  if (video) return 'video';
  if (audio) return audio.voice ? 'voice' : 'audio';
  return 'document';
}

/** Bot-supplied strings (file names, mime types, poll texts) are untrusted: kept short. */
const MAX_FIELD = 256;
const cap = (s: string): string => (s.length > MAX_FIELD ? `${s.slice(0, MAX_FIELD)}…` : s);

/** What a bot message's media is; undefined for a plain text message (and a web page preview). */
export function replyMediaOf(media: Api.TypeMessageMedia | undefined): ReplyMedia | undefined {
  const out = readMedia(media);
  if (!out) return undefined;
  if (out.mimeType !== undefined) out.mimeType = cap(out.mimeType);
  if (out.fileName !== undefined) out.fileName = cap(out.fileName);
  if (out.emoji !== undefined) out.emoji = cap(out.emoji);
  if (out.poll) out.poll = { question: cap(out.poll.question), options: out.poll.options.slice(0, 12).map(cap) };
  return out;
}

function readMedia(media: Api.TypeMessageMedia | undefined): ReplyMedia | undefined {
  if (!media || media instanceof Api.MessageMediaEmpty || media instanceof Api.MessageMediaWebPage) return undefined;
  if (media instanceof Api.MessageMediaPhoto) {
    const out: ReplyMedia = { kind: 'photo', mimeType: 'image/jpeg' };
    const photo = media.photo instanceof Api.Photo ? media.photo : undefined;
    const best = photo ? largestSize(photo) : undefined;
    if (best) Object.assign(out, { width: best.w, height: best.h, size: best.size });
    return out;
  }
  if (media instanceof Api.MessageMediaDocument) {
    const doc = media.document instanceof Api.Document ? media.document : undefined;
    if (!doc) return { kind: 'document' };
    const out: ReplyMedia = { kind: documentKind(doc), mimeType: doc.mimeType, size: Number(doc.size) };
    const name = attr(doc, Api.DocumentAttributeFilename)?.fileName;
    if (name !== undefined) out.fileName = name;
    const video = attr(doc, Api.DocumentAttributeVideo);
    const audio = attr(doc, Api.DocumentAttributeAudio);
    const size = attr(doc, Api.DocumentAttributeImageSize);
    const duration = audio?.duration ?? video?.duration;
    if (duration !== undefined) out.duration = duration;
    if (video || size) Object.assign(out, { width: video?.w ?? size?.w, height: video?.h ?? size?.h });
    const sticker = attr(doc, Api.DocumentAttributeSticker);
    if (sticker) out.emoji = sticker.alt;
    return out;
  }
  if (media instanceof Api.MessageMediaPoll) {
    const text = (t: Api.TextWithEntities | string): string => (typeof t === 'string' ? t : t.text);
    return { kind: 'poll', poll: { question: text(media.poll.question), options: media.poll.answers.map((a) => text(a.text)) } };
  }
  if (media instanceof Api.MessageMediaGeo || media instanceof Api.MessageMediaGeoLive || media instanceof Api.MessageMediaVenue) {
    const g = media.geo;
    return g instanceof Api.GeoPoint ? { kind: 'location', location: { lat: g.lat, lon: g.long } } : { kind: 'location' };
  }
  if (media instanceof Api.MessageMediaContact) {
    const c: ReplyMedia['contact'] = { phone: media.phoneNumber, firstName: media.firstName };
    if (media.lastName) c.lastName = media.lastName;
    return { kind: 'contact', contact: c };
  }
  return { kind: 'other' };
}

function largestSize(photo: Api.Photo): { w: number; h: number; size: number } | undefined {
  let best: { w: number; h: number; size: number } | undefined;
  for (const s of photo.sizes) {
    const size = s instanceof Api.PhotoSize ? s.size : s instanceof Api.PhotoSizeProgressive ? Math.max(0, ...s.sizes) : undefined;
    if (size === undefined || !('w' in s)) continue;
    if (!best || size > best.size) best = { w: s.w, h: s.h, size };
  }
  return best;
}

/** The size (bytes) Telegram states for a media message's file; undefined when it has no file. */
export function mediaFileSize(media: Api.TypeMessageMedia): number | undefined {
  if (media instanceof Api.MessageMediaDocument && media.document instanceof Api.Document) return Number(media.document.size);
  if (media instanceof Api.MessageMediaPhoto && media.photo instanceof Api.Photo) return largestSize(media.photo)?.size;
  return undefined;
}

/** Does this media carry a file to download? */
export function hasFile(media: Api.TypeMessageMedia | undefined): media is Api.MessageMediaDocument | Api.MessageMediaPhoto {
  return (media instanceof Api.MessageMediaDocument && media.document instanceof Api.Document) || (media instanceof Api.MessageMediaPhoto && media.photo instanceof Api.Photo);
}

/** Seconds of an Ogg Opus stream: the last page's granule position at 48 kHz (minus the pre-skip). */
export function oggOpusDuration(b: Buffer): number | undefined {
  if (b.length < 28 || b.toString('latin1', 0, 4) !== 'OggS') return undefined;
  const last = b.lastIndexOf('OggS', b.length - 27, 'latin1');
  if (last < 0) return undefined;
  const granule = Number(b.readBigInt64LE(last + 6));
  const head = b.indexOf('OpusHead', 0, 'latin1');
  const preSkip = head >= 0 && head + 12 <= b.length ? b.readUInt16LE(head + 10) : 0;
  return granule > 0 ? Math.max(0, Math.round((granule - preSkip) / 48_000)) : undefined;
}

const MIME_BY_EXT: Record<string, string> = {
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.gif': 'image/gif', '.webp': 'image/webp',
  '.pdf': 'application/pdf', '.json': 'application/json', '.txt': 'text/plain', '.csv': 'text/csv', '.zip': 'application/zip',
  '.ogg': 'audio/ogg', '.oga': 'audio/ogg', '.opus': 'audio/ogg', '.mp3': 'audio/mpeg', '.mp4': 'video/mp4', '.webm': 'video/webm',
  '.tgs': 'application/x-tgsticker',
};

export function mimeTypeOf(file: string): string {
  return MIME_BY_EXT[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

async function readSendFile(file: string): Promise<Buffer> {
  try {
    const st = await stat(file);
    if (!st.isFile()) throw new Error('not a regular file');
    if (st.size === 0) throw new Error('the file is empty');
    if (st.size > MAX_SEND_BYTES) throw new Error(`the file is ${st.size} bytes, above the ${MAX_SEND_BYTES}-byte limit for prompts`);
    return await readFile(file);
  } catch (e) {
    throw new TgCanaryError('MEDIA_UNREADABLE', `cannot send ${file}: ${e instanceof Error ? e.message : String(e)}`, {
      kind: 'config',
      hint: 'the file to send must exist next to the scenario file, be readable, non-empty and at most 50 MiB',
      cause: e,
    });
  }
}

/**
 * The InputMedia of what the test user sends. A file is uploaded first (upload.saveFilePart in parts, by the
 * client); `upload` wraps that call in the driver's deadline and error mapping.
 */
export async function buildInputMedia(
  client: TelegramClient,
  media: OutgoingMedia,
  upload: <T>(during: string, fn: () => Promise<T>) => Promise<T>,
): Promise<Api.TypeInputMedia> {
  if (media.kind === 'location') return new Api.InputMediaGeoPoint({ geoPoint: new Api.InputGeoPoint({ lat: media.lat, long: media.lon }) });
  if (media.kind === 'contact') {
    return new Api.InputMediaContact({ phoneNumber: media.phone, firstName: media.firstName, lastName: media.lastName ?? '', vcard: '' });
  }
  const bytes = await readSendFile(media.file);
  const name = basename(media.file);
  const file = await upload('upload.saveFilePart', () => client.uploadFile({ file: new CustomFile(name, bytes.length, '', bytes), workers: 1 }));
  if (media.kind === 'photo') return new Api.InputMediaUploadedPhoto({ file });
  const mimeType = media.kind === 'voice' ? 'audio/ogg' : media.kind === 'video-note' ? 'video/mp4' : media.kind === 'sticker' ? 'image/webp' : mimeTypeOf(name);
  const attributes: Api.TypeDocumentAttribute[] = [new Api.DocumentAttributeFilename({ fileName: name })];
  if (media.kind === 'voice') {
    const duration = media.duration ?? oggOpusDuration(bytes) ?? 1;
    attributes.push(new Api.DocumentAttributeAudio({ voice: true, duration: Math.max(1, Math.round(duration)) }));
  } else if (media.kind === 'video-note') {
    attributes.push(new Api.DocumentAttributeVideo({ roundMessage: true, duration: media.duration ?? 1, w: 384, h: 384 }));
  } else if (media.kind === 'sticker') {
    attributes.push(new Api.DocumentAttributeSticker({ alt: '', stickerset: new Api.InputStickerSetEmpty() }), new Api.DocumentAttributeImageSize({ w: 512, h: 512 }));
  }
  return new Api.InputMediaUploadedDocument({ file, mimeType, attributes, forceFile: media.kind === 'document' || undefined });
}
