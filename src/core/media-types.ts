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
