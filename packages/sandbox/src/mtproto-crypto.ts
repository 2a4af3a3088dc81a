/**
 * MTProto 2.0 message encryption, server side (client→server uses x = 0, server→client x = 8).
 */
import { createHash, randomBytes } from 'node:crypto';
import { IGE } from 'teleproto/crypto/IGE.js';

export function sha1(...parts: Buffer[]): Buffer {
  const h = createHash('sha1');
  for (const p of parts) h.update(p);
  return h.digest();
}

export function sha256(...parts: Buffer[]): Buffer {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

/** The 8-byte auth key id: the low 64 bits of SHA1(auth_key), as sent on the wire. */
export function authKeyId(key: Buffer): Buffer {
  return sha1(key).subarray(12, 20);
}

function aesKeyIv(authKey: Buffer, msgKey: Buffer, x: 0 | 8): { key: Buffer; iv: Buffer } {
  const a = sha256(msgKey, authKey.subarray(x, x + 36));
  const b = sha256(authKey.subarray(40 + x, 40 + x + 36), msgKey);
  const key = Buffer.concat([a.subarray(0, 8), b.subarray(8, 24), a.subarray(24, 32)]);
  const iv = Buffer.concat([b.subarray(0, 8), a.subarray(8, 24), b.subarray(24, 32)]);
  return { key, iv };
}

export interface PlainMessage {
  salt: bigint;
  sessionId: bigint;
  msgId: bigint;
  seqNo: number;
  body: Buffer;
}

/** Decrypts a client message (after the 8-byte key id). Returns undefined when msg_key does not verify. */
export function decryptClientMessage(authKey: Buffer, frame: Buffer): PlainMessage | undefined {
  if (frame.length < 24 + 32 || (frame.length - 24) % 16 !== 0) return undefined;
  const msgKey = frame.subarray(8, 24);
  const { key, iv } = aesKeyIv(authKey, msgKey, 0);
  const plain = Buffer.from(new IGE(key, iv).decryptIge(frame.subarray(24)));
  const check = sha256(authKey.subarray(88, 120), plain).subarray(8, 24);
  if (!check.equals(msgKey)) return undefined;
  const len = plain.readInt32LE(28);
  if (len < 0 || 32 + len > plain.length) return undefined;
  return {
    salt: plain.readBigInt64LE(0),
    sessionId: plain.readBigInt64LE(8),
    msgId: plain.readBigInt64LE(16),
    seqNo: plain.readInt32LE(24),
    body: plain.subarray(32, 32 + len),
  };
}

// Padding comes from a pool of random bytes refilled 4 KiB at a time: one randomBytes() call per message was the
// sandbox's single largest cost per push (bench/sandbox-roundtrip.mjs).
let padPool = Buffer.alloc(0);
let padOff = 0;
function randomPadding(n: number): Buffer {
  if (padOff + n > padPool.length) {
    padPool = randomBytes(4096);
    padOff = 0;
  }
  padOff += n;
  return padPool.subarray(padOff - n, padOff);
}

/** Encrypts a server message for the client. */
export function encryptServerMessage(authKey: Buffer, keyId: Buffer, m: PlainMessage): Buffer {
  const head = Buffer.alloc(32);
  head.writeBigInt64LE(BigInt.asIntN(64, m.salt), 0);
  head.writeBigInt64LE(BigInt.asIntN(64, m.sessionId), 8);
  head.writeBigInt64LE(BigInt.asIntN(64, m.msgId), 16);
  head.writeInt32LE(m.seqNo, 24);
  head.writeInt32LE(m.body.length, 28);
  const data = Buffer.concat([head, m.body]);
  const padLen = ((16 - ((data.length + 12) % 16)) % 16) + 12;
  const plain = Buffer.concat([data, randomPadding(padLen)]);
  const msgKey = sha256(authKey.subarray(96, 128), plain).subarray(8, 24);
  const { key, iv } = aesKeyIv(authKey, msgKey, 8);
  return Buffer.concat([keyId, msgKey, Buffer.from(new IGE(key, iv).encryptIge(plain))]);
}

/** Server message ids: increasing, ≡ 1 mod 4 for answers, ≡ 3 mod 4 for messages the server starts. */
export class MsgIdGenerator {
  private last = 0n;

  next(answer: boolean): bigint {
    const now = Date.now();
    const secs = BigInt(Math.floor(now / 1000));
    const frac = BigInt(Math.floor(((now % 1000) / 1000) * 2 ** 32)) & ~3n;
    let id = (secs << 32n) | frac | (answer ? 1n : 3n);
    if (id <= this.last) {
      id = (this.last & ~3n) + 4n + (answer ? 1n : 3n);
    }
    this.last = id;
    return id;
  }
}
