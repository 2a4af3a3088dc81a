/**
 * The sandbox's window on teleproto's TL layer (229): decoding client requests and encoding server answers with the
 * same generated classes the shipped client uses. A client at another served layer is translated to and from
 * layer 229 at the connection edge (tl-layers/layers.ts).
 */
import { Api } from 'teleproto';
import { BinaryReader } from 'teleproto/extensions/index.js';
import bigInt from 'big-integer';

export { Api, bigInt };

/** Anything that serialises itself as TL. */
export interface TlWritable {
  getBytes(): Buffer;
}

/** A decoded TL object: gramjs classes carry `className` and `CONSTRUCTOR_ID`. */
export interface TlObject {
  className: string;
  CONSTRUCTOR_ID: number;
  [key: string]: unknown;
}

export const CID = {
  vector: 0x1cb5c415,
  boolTrue: 0x997275b5,
  boolFalse: 0xbc799737,
  msgContainer: 0x73f1f8dc,
  gzipPacked: 0x3072cfa1,
  rpcResult: 0xf35c6d01,
  rpcError: 0x2144ca19,
} as const;

/** Decodes one boxed TL object (requests included) from a buffer. */
export function readTlObject(data: Buffer): TlObject {
  const reader = new BinaryReader(data);
  return reader.tgReadObject() as TlObject;
}

export function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0, 0);
  return b;
}

export function i32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32LE(n, 0);
  return b;
}

export function i64(n: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64LE(BigInt.asIntN(64, n), 0);
  return b;
}

/** TL `bytes`/`string` encoding. */
export function tlBytes(data: Buffer): Buffer {
  const len = data.length;
  const head = len < 254 ? Buffer.from([len]) : Buffer.from([254, len & 0xff, (len >> 8) & 0xff, (len >> 16) & 0xff]);
  const used = head.length + len;
  const pad = (4 - (used % 4)) % 4;
  return Buffer.concat([head, data, Buffer.alloc(pad)]);
}

/** A boxed `Vector<T>` of TL objects. */
export function tlVector(items: TlWritable[]): Buffer {
  return Buffer.concat([u32(CID.vector), i32(items.length), ...items.map((i) => i.getBytes())]);
}

/** A boxed `Vector<int>` / `Vector<long>`. */
export function tlIntVector(items: number[]): Buffer {
  return Buffer.concat([u32(CID.vector), i32(items.length), ...items.map((i) => i32(i))]);
}

export function tlBool(v: boolean): Buffer {
  return u32(v ? CID.boolTrue : CID.boolFalse);
}

/** A gramjs long (big-integer) from a decimal id or bigint. */
// Ids and access hashes repeat in every push: parsing them from decimal each time was a visible share of a push's
// cost. big-integer values are immutable, so one per value is shared.
const longs = new Map<string, bigInt.BigInteger>();

export function long(v: string | number | bigint): bigInt.BigInteger {
  const k = String(v);
  let b = longs.get(k);
  if (b === undefined) {
    if (longs.size >= 10_000) longs.clear();
    b = bigInt(k);
    longs.set(k, b);
  }
  return b;
}

/** A decoded gramjs long (big-integer or plain number) as a decimal string. */
export function longStr(v: unknown): string {
  if (v === undefined || v === null) return '';
  return String(v);
}
