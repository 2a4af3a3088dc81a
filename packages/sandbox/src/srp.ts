/**
 * Two-step verification, server side: Telegram's SRP-2048 (PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000
 * SHA256ModPow). The sandbox stores only the verifier v = g^x mod p and checks the client's proof M1 for real.
 */
import { pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { sha256 } from './mtproto-crypto.js';

/** Telegram's 2048-bit safe prime (the only one clients accept), generator 3. */
export const SRP_P = Buffer.from(
  'c71caeb9c6b1c9048e6c522f70f13f73980d40238e3e21c14934d037563d930f48198a0aa7c14058229493d22530f4dbfa336f6e0ac925139543aed44cce7c3720fd51f69458705ac68cd4fe6b6b13abdc9746512969328454f18faf8c595f642477fe96bb2a941d5bcd1d4ac8cc49880708fa9b378e3c4f3a9060bee67cf9a4a4a695811051907e162753b56b0f6b410dba74d8a84b2a14b3144e0ef1284754fd17ed950d5965b4b9dd46582db1178d169c6bc465b0d6ff9ca3928fef5b9ae4e418fc15e83ebea0f87fa9ff5eed70050ded2849f47bf959d956850ce929851f0d8115f635b105ee2e4e15d04b2454bf6f4fadf034b10403119cd8e3b92fcc5b',
  'hex',
);
export const SRP_G = 3;
const P = toBig(SRP_P);
const G = BigInt(SRP_G);

export function toBig(b: Buffer): bigint {
  return b.length === 0 ? 0n : BigInt('0x' + b.toString('hex'));
}

export function toBuf(n: bigint, len = 256): Buffer {
  let hex = n.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  const raw = Buffer.from(hex, 'hex');
  if (raw.length >= len) return raw;
  return Buffer.concat([Buffer.alloc(len - raw.length), raw]);
}

export function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
    e >>= 1n;
  }
  return result;
}

/** x = PH2(password, salt1, salt2) as Telegram defines it. */
function passwordHash(password: string, salt1: Buffer, salt2: Buffer): Buffer {
  const h1 = sha256(salt1, Buffer.from(password, 'utf8'), salt1);
  const h2 = sha256(salt2, h1, salt2);
  const h3 = pbkdf2Sync(h2, salt1, 100_000, 64, 'sha512');
  return sha256(salt2, h3, salt2);
}

export interface SrpVerifier {
  salt1: Buffer;
  salt2: Buffer;
  v: Buffer;
  hint?: string;
}

export function makeVerifier(password: string, hint?: string): SrpVerifier {
  // clients append their own random bytes to salt1 when setting a password; 8 + 32 bytes as Telegram does
  const salt1 = randomBytes(40);
  const salt2 = randomBytes(16);
  const x = toBig(passwordHash(password, salt1, salt2));
  return { salt1, salt2, v: toBuf(modPow(G, x, P)), hint };
}

export interface SrpChallenge {
  b: bigint;
  B: Buffer;
}

/** The server's half for account.getPassword: B = k·v + g^b mod p. */
export function makeChallenge(ver: SrpVerifier): SrpChallenge {
  const k = toBig(sha256(SRP_P, toBuf(G)));
  const v = toBig(ver.v);
  for (;;) {
    const b = toBig(randomBytes(256));
    const B = (k * v + modPow(G, b, P)) % P;
    if (B > 1n && B < P - 1n) return { b, B: toBuf(B) };
  }
}

/** Checks the client's proof M1 for (A, M1). */
export function verifyProof(ver: SrpVerifier, ch: SrpChallenge, A: Buffer, M1: Buffer): boolean {
  const a = toBig(A);
  if (a <= 1n || a >= P - 1n || M1.length !== 32) return false;
  const Apad = toBuf(a);
  const u = toBig(sha256(Apad, ch.B));
  if (u === 0n) return false;
  const v = toBig(ver.v);
  const S = modPow((a * modPow(v, u, P)) % P, ch.b, P);
  const K = sha256(toBuf(S));
  const hp = sha256(SRP_P);
  const hg = sha256(toBuf(G));
  const x = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) x[i] = (hp[i] ?? 0) ^ (hg[i] ?? 0);
  const expected = sha256(x, sha256(ver.salt1), sha256(ver.salt2), Apad, ch.B, K);
  return timingSafeEqual(expected, M1);
}
