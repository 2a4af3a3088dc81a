/**
 * Media between users and bots, the bot's side: what a bot sees of a user's media message, building the media of
 * a bot's sendPhoto/sendDocument/… from bytes, and the media faults (a media message lost on the way, a file
 * whose bytes arrive corrupt).
 */
import { randomBytes } from 'node:crypto';
import type { BotChat, BotIncomingMedia, BotMediaKind, BotOutgoingMedia } from './bot-contract.js';
import { BotApiError } from './bot-limits.js';
import type { FaultSpec } from './faults.js';
import type { DocAttributes, MediaFiles, MsgMedia } from './media-files.js';

/** Bot API upload limits: photos 10 MB, other files 50 MB. */
const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
const MAX_FILE_BYTES = 50 * 1024 * 1024;

const DEFAULT_MIME: Partial<Record<BotMediaKind, string>> = {
  photo: 'image/jpeg', document: 'application/octet-stream', voice: 'audio/ogg', audio: 'audio/mpeg', video: 'video/mp4',
  'video-note': 'video/mp4', animation: 'video/mp4', sticker: 'image/webp',
};

/** The kind a Bot API library would give a message with this media. */
export function mediaKindOf(m: MsgMedia): BotMediaKind {
  if (m.type === 'photo') return 'photo';
  if (m.type === 'geo') return 'location';
  if (m.type === 'contact' || m.type === 'poll') return m.type;
  const a = m.attributes;
  if (a.sticker) return 'sticker';
  if (a.video?.round) return 'video-note';
  if (a.animated) return 'animation';
  if (a.video) return 'video';
  if (a.audio) return a.audio.voice ? 'voice' : 'audio';
  return 'document';
}

/** The bot's view of a user's media message. */
export function describeMedia(m: MsgMedia, caption: string): BotIncomingMedia {
  const kind = mediaKindOf(m);
  switch (m.type) {
    case 'photo': {
      const bytes = m.file.bytes;
      return { kind, mimeType: 'image/jpeg', size: bytes.length, width: m.w, height: m.h, caption, read: async () => Buffer.from(bytes) };
    }
    case 'document': {
      const bytes = m.file.bytes;
      const a = m.attributes;
      const out: BotIncomingMedia = { kind, mimeType: m.mimeType, size: bytes.length, caption, read: async () => Buffer.from(bytes) };
      if (a.fileName !== undefined) out.fileName = a.fileName;
      const duration = a.audio?.duration ?? a.video?.duration;
      if (duration !== undefined) out.duration = duration;
      const w = a.video?.w ?? a.imageSize?.w;
      const h = a.video?.h ?? a.imageSize?.h;
      if (w !== undefined) out.width = w;
      if (h !== undefined) out.height = h;
      return out;
    }
    case 'geo':
      return { kind, caption, location: { lat: m.lat, lon: m.lon } };
    case 'contact':
      return { kind, caption, contact: { phone: m.phone, firstName: m.firstName, lastName: m.lastName || undefined } };
    case 'poll':
      return { kind, caption };
  }
}

const bad = (what: string): BotApiError => new BotApiError(400, `Bad Request: ${what}`);

function fileOf(files: MediaFiles, o: BotOutgoingMedia): MsgMedia & { type: 'photo' | 'document' } {
  if (!o.bytes || o.bytes.length === 0) throw bad(`file must be non-empty (send${o.kind})`);
  const bytes = Buffer.from(o.bytes);
  if (bytes.length > (o.kind === 'photo' ? MAX_PHOTO_BYTES : MAX_FILE_BYTES)) throw bad('file is too big');
  const file = files.store(bytes);
  if (o.kind === 'photo') return { type: 'photo', file, w: o.width ?? 800, h: o.height ?? 600 };
  const attributes: DocAttributes = {};
  const duration = Math.max(0, Math.round(o.duration ?? 0));
  if (o.fileName !== undefined) attributes.fileName = o.fileName;
  if (o.kind === 'voice' || o.kind === 'audio') attributes.audio = { duration, voice: o.kind === 'voice', waveform: o.kind === 'voice' ? randomBytes(32) : undefined };
  if (o.kind === 'video' || o.kind === 'video-note' || o.kind === 'animation') {
    const side = o.kind === 'video-note' ? (o.width ?? 384) : undefined;
    attributes.video = { duration, w: side ?? o.width ?? 640, h: side ?? o.height ?? 480, round: o.kind === 'video-note' };
  }
  if (o.kind === 'animation') attributes.animated = true;
  if (o.kind === 'sticker') {
    attributes.sticker = { alt: o.caption ?? '' };
    attributes.imageSize = { w: o.width ?? 512, h: o.height ?? 512 };
  }
  return { type: 'document', file, mimeType: o.mimeType ?? DEFAULT_MIME[o.kind] ?? 'application/octet-stream', attributes };
}

/** The world's media of a bot's send call; throws the Bot API's 400 for a bad call. */
export function buildBotMedia(files: MediaFiles, o: BotOutgoingMedia): MsgMedia {
  switch (o.kind) {
    case 'location':
      if (typeof o.lat !== 'number' || typeof o.lon !== 'number' || Math.abs(o.lat) > 90 || Math.abs(o.lon) > 180) throw bad('wrong latitude or longitude');
      return { type: 'geo', lat: o.lat, lon: o.lon };
    case 'contact':
      if (!o.phone || !o.firstName) throw bad('phone number and first name are required (sendContact)');
      return { type: 'contact', phone: o.phone, firstName: o.firstName, lastName: o.lastName ?? '' };
    case 'poll': {
      const options = o.options ?? [];
      if (!o.question?.trim()) throw bad('poll question must be non-empty');
      if (options.length < 2 || options.length > 12) throw bad('poll must have 2-12 options');
      return { type: 'poll', id: BigInt.asIntN(64, randomBytes(8).readBigInt64LE(0)).toString(), question: o.question, options };
    }
    default:
      return fileOf(files, o);
  }
}

/**
 * The media faults of one delivery: `media_lost` — the bot's media message never reaches the user (the bot sees
 * success); `media_corrupt` — the file's bytes are cut to half and scrambled on the way.
 */
export function wrapMediaFaults(chat: BotChat, faults: FaultSpec[]): BotChat {
  const lost = faults.some((f) => f.kind === 'media_lost');
  const corrupt = faults.some((f) => f.kind === 'media_corrupt');
  const own = chat.replyMedia;
  if ((!lost && !corrupt) || !own) return chat;
  const replyMedia = own.bind(chat);
  let fakeId = 1_000_000_000;
  return {
    ...chat,
    replyMedia: async (m: BotOutgoingMedia): Promise<number> => {
      if (lost) return fakeId++;
      if (corrupt && m.bytes && m.bytes.length > 0) {
        const half = Buffer.from(m.bytes).subarray(0, Math.max(1, Math.floor(m.bytes.length / 2)));
        for (let i = 0; i < half.length; i += 7) half[i] = (half[i] ?? 0) ^ 0x5a;
        return replyMedia({ ...m, bytes: half });
      }
      return replyMedia(m);
    },
  };
}
