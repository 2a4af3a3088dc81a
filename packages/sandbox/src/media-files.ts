/**
 * The sandbox's file storage: parts uploaded by users (upload.saveFilePart / saveBigFilePart) until a sendMedia
 * claims them, and stored files (photos, documents) that upload.getFile serves. Plus the media a message carries,
 * as the world keeps it (no TL here).
 */
import { randomBytes } from 'node:crypto';

/** A stored file: what a Photo or Document points at. */
export interface StoredFile {
  /** Decimal long. */
  id: string;
  accessHash: string;
  /** Changes when the reference is revoked (the client must refetch the message: FILE_REFERENCE_EXPIRED). */
  fileReference: Buffer;
  bytes: Buffer;
  date: number;
}

export interface DocAttributes {
  fileName?: string;
  /** audio or voice (`voice` true) with duration (s) and an optional 5-bit waveform. */
  audio?: { duration: number; voice: boolean; waveform?: Buffer; title?: string; performer?: string };
  /** video, or a video note (`round` true). */
  video?: { duration: number; w: number; h: number; round: boolean };
  sticker?: { alt: string };
  animated?: boolean;
  imageSize?: { w: number; h: number };
}

/** The media of a message as the world keeps it. */
export type MsgMedia =
  | { type: 'photo'; file: StoredFile; w: number; h: number }
  | { type: 'document'; file: StoredFile; mimeType: string; attributes: DocAttributes }
  | { type: 'geo'; lat: number; lon: number }
  | { type: 'contact'; phone: string; firstName: string; lastName: string; userId?: string }
  | { type: 'poll'; id: string; question: string; options: string[] };

/** Telegram's part rules: a part is at most 512 KiB; all parts but the last have the same size, a multiple of 1 KiB. */
export const MAX_PART_BYTES = 512 * 1024;
/** The sandbox keeps files small: above this an upload is refused (FILE_PARTS_INVALID). */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;
/** Uploads not claimed by a sendMedia are dropped after this many per user. */
const MAX_PENDING_UPLOADS = 32;

interface PendingUpload {
  parts: Map<number, Buffer>;
  totalParts?: number;
  bytes: number;
}

export type AssembleResult = { ok: true; bytes: Buffer } | { ok: false; error: string };

export class MediaFiles {
  private readonly uploads = new Map<string, Map<string, PendingUpload>>();
  private readonly files = new Map<string, StoredFile>();

  /** Stores one uploaded part; returns an RPC error message when the part breaks Telegram's rules. */
  savePart(userId: string, fileId: string, part: number, bytes: Buffer, totalParts?: number): string | undefined {
    if (!Number.isInteger(part) || part < 0 || part >= 4000) return 'FILE_PART_INVALID';
    if (bytes.length === 0) return 'FILE_PART_EMPTY';
    if (bytes.length > MAX_PART_BYTES) return 'FILE_PART_TOO_BIG';
    if (totalParts !== undefined && (!Number.isInteger(totalParts) || totalParts <= 0 || totalParts > 4000 || part >= totalParts)) return 'FILE_PARTS_INVALID';
    let mine = this.uploads.get(userId);
    if (!mine) {
      mine = new Map();
      this.uploads.set(userId, mine);
    }
    let up = mine.get(fileId);
    if (!up) {
      if (mine.size >= MAX_PENDING_UPLOADS) {
        const oldest = mine.keys().next().value;
        if (oldest !== undefined) mine.delete(oldest);
      }
      up = { parts: new Map(), bytes: 0 };
      mine.set(fileId, up);
    }
    if (totalParts !== undefined) up.totalParts = totalParts;
    up.bytes += bytes.length - (up.parts.get(part)?.length ?? 0);
    if (up.bytes > MAX_FILE_BYTES) {
      mine.delete(fileId);
      return 'FILE_PARTS_INVALID';
    }
    up.parts.set(part, Buffer.from(bytes));
    return undefined;
  }

  /** The whole file of an InputFile/InputFileBig (`parts` as the client declared), consumed from the pending uploads. */
  assemble(userId: string, fileId: string, parts: number): AssembleResult {
    const up = this.uploads.get(userId)?.get(fileId);
    if (!up) return { ok: false, error: 'FILE_PART_0_MISSING' };
    if (!Number.isInteger(parts) || parts <= 0 || (up.totalParts !== undefined && up.totalParts !== parts)) return { ok: false, error: 'FILE_PARTS_INVALID' };
    const chunks: Buffer[] = [];
    for (let i = 0; i < parts; i++) {
      const c = up.parts.get(i);
      if (!c) return { ok: false, error: `FILE_PART_${i}_MISSING` };
      chunks.push(c);
    }
    const size = chunks[0]?.length ?? 0;
    const uneven = chunks.slice(0, -1).some((c) => c.length !== size) || (parts > 1 && (size % 1024 !== 0 || MAX_PART_BYTES % size !== 0));
    if (uneven || (chunks.at(-1)?.length ?? 0) > size) return { ok: false, error: 'FILE_PART_SIZE_INVALID' };
    this.uploads.get(userId)?.delete(fileId);
    return { ok: true, bytes: Buffer.concat(chunks) };
  }

  /** Keeps `bytes` as a new stored file. */
  store(bytes: Buffer): StoredFile {
    const f: StoredFile = {
      id: BigInt.asIntN(64, randomBytes(8).readBigInt64LE(0)).toString(),
      accessHash: BigInt.asIntN(64, randomBytes(8).readBigInt64LE(0)).toString(),
      fileReference: randomBytes(16),
      bytes: Buffer.from(bytes),
      date: Math.floor(Date.now() / 1000),
    };
    this.files.set(f.id, f);
    return f;
  }

  get(id: string): StoredFile | undefined {
    return this.files.get(id);
  }

  /** Revokes a file's reference (what Telegram does after a while): getFile with the old one → FILE_REFERENCE_EXPIRED. */
  expireReference(id: string): void {
    const f = this.files.get(id);
    if (f) f.fileReference = randomBytes(16);
  }
}
