/** Media in scenarios and replies: what the test user sends, and what a bot's media message is. */

/** What a reply's media is, as Telegram clients tell them apart. */
export const MEDIA_KINDS = [
  'photo', 'document', 'voice', 'audio', 'video', 'video-note', 'animation', 'sticker', 'location', 'contact', 'poll', 'other',
] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

/** The media of one bot message (its caption is the message's text). */
export interface ReplyMedia {
  kind: MediaKind;
  mimeType?: string;
  /** Bytes, as Telegram states it. */
  size?: number;
  fileName?: string;
  /** Seconds (voice, audio, video, video notes). */
  duration?: number;
  width?: number;
  height?: number;
  /** A sticker's emoji. */
  emoji?: string;
  poll?: { question: string; options: string[] };
  location?: { lat: number; lon: number };
  contact?: { phone: string; firstName: string; lastName?: string };
}

/** File kinds a `send` step can carry. */
export const SEND_FILE_KINDS = ['photo', 'document', 'voice', 'video-note', 'sticker'] as const;
export type SendFileKind = (typeof SEND_FILE_KINDS)[number];

/** Media the test user sends: a file (path resolved next to the scenario file), a location or a contact. */
export type OutgoingMedia =
  | { kind: SendFileKind; file: string; duration?: number }
  | { kind: 'location'; lat: number; lon: number }
  | { kind: 'contact'; phone: string; firstName: string; lastName?: string };

/** A one-line label of a reply's media for transcripts: `photo 120×80, 1.2 KB`, `document export.json`, `poll "…"`. */
export function mediaSummary(m: ReplyMedia): string {
  const parts: string[] = [m.kind];
  if (m.fileName !== undefined) parts.push(m.fileName);
  if (m.width !== undefined && m.height !== undefined) parts.push(`${m.width}×${m.height}`);
  if (m.duration !== undefined) parts.push(`${m.duration} s`);
  if (m.size !== undefined) parts.push(m.size < 1024 ? `${m.size} B` : `${(m.size / 1024).toFixed(1)} KB`);
  if (m.mimeType !== undefined) parts.push(m.mimeType);
  if (m.poll) parts.push(`"${m.poll.question}" (${m.poll.options.length} options)`);
  if (m.location) parts.push(`${m.location.lat},${m.location.lon}`);
  if (m.contact) parts.push(m.contact.firstName);
  return parts.join(' ');
}
