/**
 * Server side of the MTProto DH key exchange (req_pq_multi → req_DH_params → set_client_DH_params), over
 * unencrypted messages. The RSA key is the sandbox's own (rsa-private-key.ts); clients register its public half.
 */
import { constants, createDiffieHellman, createPrivateKey, privateDecrypt, randomBytes, randomInt, type DiffieHellman, type KeyObject } from 'node:crypto';
import { IGE } from 'teleproto/crypto/IGE.js';
import { SANDBOX_RSA_PRIVATE_PEM } from './rsa-private-key.js';
import { SANDBOX_RSA_PUBLIC } from './rsa-public-key.js';
import { sha1, sha256 } from './mtproto-crypto.js';
import { SRP_P } from './srp.js';
import { i32, i64, tlBytes, u32 } from './tl.js';

const C = {
  reqPqMulti: 0xbe7e8ef1,
  reqPq: 0x60469778,
  resPQ: 0x05162463,
  reqDhParams: 0xd712e4be,
  pqInnerData: 0x83c95aec,
  pqInnerDataDc: 0xa9f55f95,
  pqInnerDataTempDc: 0x56fddf88,
  serverDhParamsOk: 0xd0e8075c,
  serverDhInnerData: 0xb5890dba,
  setClientDhParams: 0xf5045f1f,
  clientDhInnerData: 0x6643b654,
  dhGenOk: 0x3bcbf734,
  vector: 0x1cb5c415,
} as const;

class Reader {
  off = 0;
  constructor(private readonly b: Buffer) {}
  u32(): number {
    const v = this.b.readUInt32LE(this.off);
    this.off += 4;
    return v;
  }
  raw(n: number): Buffer {
    if (this.off + n > this.b.length) throw new Error('truncated handshake message');
    const v = this.b.subarray(this.off, this.off + n);
    this.off += n;
    return v;
  }
  bytes(): Buffer {
    let len = this.b[this.off] ?? 0;
    let head = 1;
    if (len === 254) {
      len = this.b.readUIntLE(this.off + 1, 3);
      head = 4;
    }
    const v = this.raw(head + len).subarray(head);
    const used = head + len;
    this.off += (4 - (used % 4)) % 4;
    return v;
  }
}

let rsaKey: KeyObject | undefined;
function privateKey(): KeyObject {
  rsaKey ??= createPrivateKey(SANDBOX_RSA_PRIVATE_PEM);
  return rsaKey;
}

function isPrime(n: number): boolean {
  if (n < 2 || n % 2 === 0) return n === 2;
  for (let d = 3; d * d <= n; d += 2) if (n % d === 0) return false;
  return true;
}

function randomPrime(): number {
  for (;;) {
    const n = randomInt(1 << 29, 1 << 30) | 1;
    if (isPrime(n)) return n;
  }
}

function bigToBytes(n: bigint): Buffer {
  let hex = n.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  return Buffer.from(hex, 'hex');
}

function tmpAes(newNonce: Buffer, serverNonce: Buffer): { key: Buffer; iv: Buffer } {
  const a = sha1(newNonce, serverNonce);
  const b = sha1(serverNonce, newNonce);
  const c = sha1(newNonce, newNonce);
  return {
    key: Buffer.concat([a, b.subarray(0, 12)]),
    iv: Buffer.concat([b.subarray(12, 20), c, newNonce.subarray(0, 4)]),
  };
}

/** One connection's key exchange. `onKey` receives the new auth key once the client confirmed it. */
export class Handshake {
  private nonce?: Buffer;
  private serverNonce?: Buffer;
  private newNonce?: Buffer;
  private p = 0;
  private q = 0;
  private dh?: DiffieHellman;

  constructor(private readonly onKey: (key: Buffer) => void) {}

  /** Handles one unencrypted request body; returns the answer body. Throws on a protocol violation. */
  handle(body: Buffer): Buffer {
    const r = new Reader(body);
    const cid = r.u32();
    if (cid === C.reqPqMulti || cid === C.reqPq) return this.resPq(r.raw(16));
    if (cid === C.reqDhParams) return this.reqDhParams(r);
    if (cid === C.setClientDhParams) return this.setClientDhParams(r);
    throw new Error(`unexpected unencrypted message 0x${cid.toString(16)}`);
  }

  private resPq(nonce: Buffer): Buffer {
    this.nonce = Buffer.from(nonce);
    this.serverNonce = randomBytes(16);
    this.p = randomPrime();
    do this.q = randomPrime();
    while (this.q === this.p);
    if (this.p > this.q) [this.p, this.q] = [this.q, this.p];
    const pq = bigToBytes(BigInt(this.p) * BigInt(this.q));
    return Buffer.concat([
      u32(C.resPQ),
      this.nonce,
      this.serverNonce,
      tlBytes(pq),
      u32(C.vector),
      i32(1),
      i64(BigInt(SANDBOX_RSA_PUBLIC.fingerprint)),
    ]);
  }

  private checkNonces(r: Reader): void {
    const nonce = r.raw(16);
    const serverNonce = r.raw(16);
    if (!this.nonce || !this.serverNonce || !nonce.equals(this.nonce) || !serverNonce.equals(this.serverNonce)) {
      throw new Error('handshake nonce mismatch');
    }
  }

  private reqDhParams(r: Reader): Buffer {
    this.checkNonces(r);
    const p = r.bytes();
    const q = r.bytes();
    if (!p.equals(bigToBytes(BigInt(this.p))) || !q.equals(bigToBytes(BigInt(this.q)))) throw new Error('wrong p, q');
    r.raw(8); // fingerprint: we have one key
    const encrypted = r.bytes();
    const padded = Buffer.concat([Buffer.alloc(Math.max(0, 256 - encrypted.length)), encrypted]);
    const keyAesEncrypted = privateDecrypt({ key: privateKey(), padding: constants.RSA_NO_PADDING }, padded);
    // RSA_PAD: temp_key_xor (32) + aes_encrypted (224)
    const aesEncrypted = keyAesEncrypted.subarray(32);
    const hash = sha256(aesEncrypted);
    const tempKey = Buffer.alloc(32);
    for (let i = 0; i < 32; i++) tempKey[i] = (keyAesEncrypted[i] ?? 0) ^ (hash[i] ?? 0);
    const dataWithHash = Buffer.from(new IGE(tempKey, Buffer.alloc(32)).decryptIge(aesEncrypted));
    const dataWithPadding = Buffer.from(dataWithHash.subarray(0, 192)).reverse();
    if (!sha256(tempKey, dataWithPadding).equals(dataWithHash.subarray(192, 224))) throw new Error('RSA_PAD hash mismatch');
    const inner = new Reader(dataWithPadding);
    const icid = inner.u32();
    if (icid !== C.pqInnerData && icid !== C.pqInnerDataDc && icid !== C.pqInnerDataTempDc) throw new Error('bad p_q_inner_data');
    inner.bytes();
    inner.bytes();
    inner.bytes();
    this.checkNonces(inner);
    this.newNonce = Buffer.from(inner.raw(32));

    this.dh = createDiffieHellman(SRP_P, Buffer.from([3]));
    const gA = this.dh.generateKeys();
    const answer = Buffer.concat([
      u32(C.serverDhInnerData),
      this.nonce as Buffer,
      this.serverNonce as Buffer,
      i32(3),
      tlBytes(SRP_P),
      tlBytes(gA),
      i32(Math.floor(Date.now() / 1000)),
    ]);
    const withHash = Buffer.concat([sha1(answer), answer]);
    const padded2 = Buffer.concat([withHash, randomBytes((16 - (withHash.length % 16)) % 16)]);
    const { key, iv } = tmpAes(this.newNonce, this.serverNonce as Buffer);
    const encryptedAnswer = Buffer.from(new IGE(key, iv).encryptIge(padded2));
    return Buffer.concat([u32(C.serverDhParamsOk), this.nonce as Buffer, this.serverNonce as Buffer, tlBytes(encryptedAnswer)]);
  }

  private setClientDhParams(r: Reader): Buffer {
    this.checkNonces(r);
    if (!this.dh || !this.newNonce) throw new Error('set_client_DH_params before req_DH_params');
    const enc = r.bytes();
    const { key, iv } = tmpAes(this.newNonce, this.serverNonce as Buffer);
    const plain = Buffer.from(new IGE(key, iv).decryptIge(enc));
    const inner = new Reader(plain.subarray(20));
    if (inner.u32() !== C.clientDhInnerData) throw new Error('bad client_DH_inner_data');
    this.checkNonces(inner);
    inner.raw(8); // retry_id
    const gB = inner.bytes();
    let authKey = this.dh.computeSecret(gB);
    // the client keeps the key as a minimal big-endian number; do the same so both ids agree
    let z = 0;
    while (z < authKey.length - 1 && authKey[z] === 0) z++;
    authKey = Buffer.from(authKey.subarray(z));
    const auxHash = sha1(authKey).subarray(0, 8);
    const newNonceHash1 = sha1(this.newNonce, Buffer.from([1]), auxHash).subarray(4, 20);
    this.onKey(authKey);
    return Buffer.concat([u32(C.dhGenOk), this.nonce as Buffer, this.serverNonce as Buffer, newNonceHash1]);
  }
}
