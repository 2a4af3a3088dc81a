/**
 * MTProto transports, server side: TCP Full, Abridged and Intermediate (plain and padded). The transport is
 * detected from the first bytes the client sends, as Telegram's servers do.
 */
import { crc32 } from 'node:zlib';

export type TransportKind = 'full' | 'abridged' | 'intermediate' | 'padded';

/** Splits a byte stream into frames and encodes outgoing frames for one connection. */
export class FrameCodec {
  kind: TransportKind | undefined;
  private buf: Buffer = Buffer.alloc(0);
  private sendSeq = 0;
  private recvSeq = 0;

  /** Feeds received bytes; returns the complete frames now available. Throws on a corrupt stream. */
  push(chunk: Buffer): Buffer[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    if (this.kind === undefined && !this.detect()) return [];
    const frames: Buffer[] = [];
    for (;;) {
      const f = this.next();
      if (!f) break;
      frames.push(f);
    }
    return frames;
  }

  private detect(): boolean {
    if (this.buf.length < 1) return false;
    if (this.buf[0] === 0xef) {
      this.kind = 'abridged';
      this.buf = this.buf.subarray(1);
      return true;
    }
    if (this.buf.length < 4) return false;
    const head = this.buf.readUInt32LE(0);
    if (head === 0xeeeeeeee) {
      this.kind = 'intermediate';
      this.buf = this.buf.subarray(4);
      return true;
    }
    if (head === 0xdddddddd) {
      this.kind = 'padded';
      this.buf = this.buf.subarray(4);
      return true;
    }
    this.kind = 'full';
    return true;
  }

  private next(): Buffer | undefined {
    const b = this.buf;
    switch (this.kind) {
      case 'full': {
        if (b.length < 4) return undefined;
        const len = b.readInt32LE(0);
        if (len < 12 || len > 16 * 1024 * 1024) throw new Error(`bad TCP full frame length ${len}`);
        if (b.length < len) return undefined;
        const crc = b.readUInt32LE(len - 4);
        if (crc32(b.subarray(0, len - 4)) !== crc) throw new Error('bad TCP full frame checksum');
        this.recvSeq += 1;
        const payload = Buffer.from(b.subarray(8, len - 4));
        this.buf = b.subarray(len);
        return payload;
      }
      case 'abridged': {
        if (b.length < 1) return undefined;
        let words = b[0] ?? 0;
        let head = 1;
        if (words >= 0x7f) {
          if (b.length < 4) return undefined;
          words = b.readUIntLE(1, 3);
          head = 4;
        }
        const len = words * 4;
        if (b.length < head + len) return undefined;
        const payload = Buffer.from(b.subarray(head, head + len));
        this.buf = b.subarray(head + len);
        return payload;
      }
      case 'intermediate':
      case 'padded': {
        if (b.length < 4) return undefined;
        const len = b.readInt32LE(0);
        if (len < 0 || len > 16 * 1024 * 1024) throw new Error(`bad intermediate frame length ${len}`);
        if (b.length < 4 + len) return undefined;
        let payload = Buffer.from(b.subarray(4, 4 + len));
        // padded intermediate: up to 15 random bytes after the 16-byte-aligned MTProto payload
        if (this.kind === 'padded') payload = payload.subarray(0, payload.length - (payload.length % 16 === 0 ? 0 : payload.length % 16));
        this.buf = b.subarray(4 + len);
        return payload;
      }
      default:
        return undefined;
    }
  }

  /** Encodes one outgoing payload for this connection's transport. */
  encode(payload: Buffer): Buffer {
    switch (this.kind) {
      case 'abridged': {
        const words = payload.length >> 2;
        const head = words < 0x7f ? Buffer.from([words]) : Buffer.from([0x7f, words & 0xff, (words >> 8) & 0xff, (words >> 16) & 0xff]);
        return Buffer.concat([head, payload]);
      }
      case 'intermediate':
      case 'padded': {
        const head = Buffer.alloc(4);
        head.writeInt32LE(payload.length, 0);
        return Buffer.concat([head, payload]);
      }
      default: {
        const head = Buffer.alloc(8);
        head.writeInt32LE(payload.length + 12, 0);
        head.writeInt32LE(this.sendSeq, 4);
        this.sendSeq += 1;
        const body = Buffer.concat([head, payload]);
        const crc = Buffer.alloc(4);
        crc.writeUInt32LE(crc32(body), 0);
        return Buffer.concat([body, crc]);
      }
    }
  }

  /** The transport error frame (e.g. -404 for an unknown auth key). */
  encodeError(code: number): Buffer {
    const v = Buffer.alloc(4);
    v.writeInt32LE(code, 0);
    if (this.kind === 'full' || this.kind === undefined) return Buffer.concat([v, v, v]);
    return this.encode(v);
  }
}
