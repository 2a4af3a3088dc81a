/**
 * A schema-driven TL reader and writer. Objects are teleproto-shaped: `className` (e.g. `messages.SendMessage`)
 * plus camelCase fields. Read values: int/double → number, long → bigint, int128/int256/bytes → Buffer,
 * string → string, Bool/true → boolean, vectors → arrays. The writer also takes teleproto's own instances
 * (big-integer longs), so a teleproto object and its generic copy serialise to the same bytes.
 */
import type { TlArg, TlCtor, TlSchema, TlType } from './schema.js';

export interface TlValueObject {
  className: string;
  [field: string]: unknown;
}

const VECTOR = 0x1cb5c415;
const BOOL_TRUE = 0x997275b5;
const BOOL_FALSE = 0xbc799737;

/** A value that cannot be read or written in the schema's layer, named by constructor and field. */
export class TlCodecError extends Error {
  readonly code = 'TL_LAYER_CODEC';
}

export class TlReader {
  private off = 0;

  constructor(
    private readonly schema: TlSchema,
    private readonly buf: Buffer,
  ) {}

  get offset(): number {
    return this.off;
  }

  private need(n: number): void {
    if (this.off + n > this.buf.length) throw new TlCodecError(`truncated TL data at offset ${this.off} (layer ${this.schema.layer})`);
  }

  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32LE(this.off);
    this.off += 4;
    return v;
  }

  private i32(): number {
    this.need(4);
    const v = this.buf.readInt32LE(this.off);
    this.off += 4;
    return v;
  }

  private raw(n: number): Buffer {
    this.need(n);
    const v = Buffer.from(this.buf.subarray(this.off, this.off + n));
    this.off += n;
    return v;
  }

  private bytes(): Buffer {
    this.need(1);
    let len = this.buf[this.off] as number;
    let head = 1;
    if (len === 254) {
      this.need(4);
      len = this.buf.readUIntLE(this.off + 1, 3);
      head = 4;
    }
    this.off += head;
    const v = this.raw(len);
    this.off += (4 - ((head + len) % 4)) % 4;
    return v;
  }

  read(t: TlType, where = '?'): unknown {
    switch (t.kind) {
      case 'prim':
        switch (t.prim) {
          case 'int':
            return this.i32();
          case 'long': {
            this.need(8);
            const v = this.buf.readBigInt64LE(this.off);
            this.off += 8;
            return v;
          }
          case 'int128':
            return this.raw(16);
          case 'int256':
            return this.raw(32);
          case 'double': {
            this.need(8);
            const v = this.buf.readDoubleLE(this.off);
            this.off += 8;
            return v;
          }
          case 'string':
            return this.bytes().toString('utf8');
          case 'bytes':
            return this.bytes();
          case 'true':
            return true;
          case 'Bool': {
            const id = this.u32();
            if (id === BOOL_TRUE) return true;
            if (id === BOOL_FALSE) return false;
            throw new TlCodecError(`${where}: expected a Bool, got constructor 0x${id.toString(16)}`);
          }
        }
        break;
      case 'vector': {
        if (t.boxed) {
          const id = this.u32();
          if (id !== VECTOR) throw new TlCodecError(`${where}: expected a vector, got constructor 0x${id.toString(16)}`);
        }
        const n = this.i32();
        if (n < 0 || n > this.buf.length) throw new TlCodecError(`${where}: impossible vector length ${n}`);
        const out: unknown[] = [];
        for (let i = 0; i < n; i++) out.push(this.read(t.of, where));
        return out;
      }
      case 'object': {
        if (t.bare) {
          const ctor = this.schema.ctorByName(t.name);
          if (!ctor) throw new TlCodecError(`${where}: bare type ${t.name} is not in layer ${this.schema.layer}`);
          return this.readFields(ctor);
        }
        return this.readBoxed(where);
      }
      case 'any':
        return this.readBoxed(where);
    }
    throw new TlCodecError(`${where}: unreadable type`);
  }

  /** One boxed object (a bare `Vector` of boxed objects and Bool included, as the generic reader sees them). */
  readBoxed(where = '?'): unknown {
    const id = this.u32();
    if (id === BOOL_TRUE) return true;
    if (id === BOOL_FALSE) return false;
    if (id === VECTOR) {
      this.off -= 4;
      return this.read({ kind: 'vector', boxed: true, of: { kind: 'any' } }, where);
    }
    const ctor = this.schema.ctorById(id);
    if (!ctor) throw new TlCodecError(`${where}: constructor 0x${id.toString(16).padStart(8, '0')} is not in layer ${this.schema.layer}`);
    return this.readFields(ctor);
  }

  private readFields(ctor: TlCtor): TlValueObject {
    const obj: TlValueObject = { className: ctor.name };
    for (const a of ctor.args) {
      if (a.cond) {
        const flags = obj[a.cond.field];
        if (typeof flags !== 'number' || ((flags >>> a.cond.bit) & 1) === 0) continue;
      }
      obj[a.name] = this.read(a.type, `${ctor.name}.${a.name}`);
    }
    return obj;
  }
}

/** Maps an object the target layer has no constructor for (or a different shape of) onto one it has. */
export type TlAdapter = (obj: TlValueObject, target: TlSchema) => TlValueObject | undefined;

function isAbsent(a: TlArg, v: unknown): boolean {
  return v === undefined || v === null || (v === false && !(a.type.kind === 'prim' && a.type.prim === 'Bool'));
}

function toBigInt(v: unknown, where: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'string' || (typeof v === 'object' && v !== null)) {
    try {
      return BigInt(String(v));
    } catch {
      // fall through
    }
  }
  throw new TlCodecError(`${where}: not an integer: ${String(v)}`);
}

function largeInt(v: unknown, bytes: number, where: string): Buffer {
  if (Buffer.isBuffer(v)) {
    if (v.length !== bytes) throw new TlCodecError(`${where}: expected ${bytes} bytes, got ${v.length}`);
    return v;
  }
  let n = BigInt.asUintN(bytes * 8, toBigInt(v ?? 0n, where));
  const out = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

export class TlWriter {
  private chunks: Buffer[] = [];

  constructor(
    private readonly schema: TlSchema,
    private readonly adapt?: TlAdapter,
  ) {}

  finish(): Buffer {
    const b = Buffer.concat(this.chunks);
    this.chunks = [];
    return b;
  }

  private u32(n: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n >>> 0, 0);
    this.chunks.push(b);
  }

  private bytes(data: Buffer): void {
    const len = data.length;
    const head = len < 254 ? Buffer.from([len]) : Buffer.from([254, len & 0xff, (len >> 8) & 0xff, (len >> 16) & 0xff]);
    this.chunks.push(head, data, Buffer.alloc((4 - ((head.length + len) % 4)) % 4));
  }

  write(t: TlType, v: unknown, where = '?'): this {
    switch (t.kind) {
      case 'prim':
        this.writePrim(t.prim, v, where);
        return this;
      case 'vector': {
        const list = v ?? [];
        if (!Array.isArray(list)) throw new TlCodecError(`${where}: expected an array`);
        if (t.boxed) this.u32(VECTOR);
        this.u32(list.length);
        for (const item of list) this.write(t.of, item, where);
        return this;
      }
      case 'object':
      case 'any':
        if (t.kind === 'any' && Array.isArray(v)) return this.write({ kind: 'vector', boxed: true, of: { kind: 'any' } }, v, where);
        if (t.kind === 'any' && typeof v === 'boolean') return this.write({ kind: 'prim', prim: 'Bool' }, v, where);
        if (typeof v !== 'object' || v === null || typeof (v as { className?: unknown }).className !== 'string') {
          throw new TlCodecError(`${where}: missing object${t.kind === 'object' ? ` of type ${t.name}` : ''}`);
        }
        this.writeObject(v as TlValueObject, t.kind === 'object' && t.bare, where);
        return this;
    }
  }

  private writePrim(p: string, v: unknown, where: string): void {
    switch (p) {
      case 'int': {
        const b = Buffer.alloc(4);
        b.writeInt32LE(Number(v ?? 0) | 0, 0);
        this.chunks.push(b);
        return;
      }
      case 'long': {
        const b = Buffer.alloc(8);
        b.writeBigInt64LE(BigInt.asIntN(64, toBigInt(v ?? 0n, where)), 0);
        this.chunks.push(b);
        return;
      }
      case 'int128':
        this.chunks.push(largeInt(v, 16, where));
        return;
      case 'int256':
        this.chunks.push(largeInt(v, 32, where));
        return;
      case 'double': {
        const b = Buffer.alloc(8);
        b.writeDoubleLE(Number(v ?? 0), 0);
        this.chunks.push(b);
        return;
      }
      case 'string':
        this.bytes(Buffer.from(typeof v === 'string' ? v : v == null ? '' : String(v), 'utf8'));
        return;
      case 'bytes':
        this.bytes(Buffer.isBuffer(v) ? v : v instanceof Uint8Array ? Buffer.from(v) : Buffer.from(typeof v === 'string' ? v : '', 'utf8'));
        return;
      case 'Bool':
        this.u32(v ? BOOL_TRUE : BOOL_FALSE);
        return;
      case 'true':
        return;
    }
  }

  /** Writes an object by its className in this layer (after the adapter, if the layer's shape differs). */
  writeObject(value: TlValueObject, bare = false, where = '?'): this {
    let obj = value;
    let ctor = this.schema.ctorByName(obj.className);
    if (this.adapt) {
      const mapped = this.adapt(obj, this.schema);
      if (mapped) {
        obj = mapped;
        ctor = this.schema.ctorByName(obj.className);
      }
    }
    if (!ctor) throw new TlCodecError(`${where}: ${obj.className} has no constructor in layer ${this.schema.layer}`);
    if (!bare) this.u32(ctor.id);
    // flags words first: every bit set by a present field
    const flags = new Map<string, number>();
    for (const a of ctor.args) {
      if (a.isFlags) flags.set(a.name, 0);
    }
    for (const a of ctor.args) {
      if (a.cond && !isAbsent(a, obj[a.name])) flags.set(a.cond.field, ((flags.get(a.cond.field) ?? 0) | (1 << a.cond.bit)) >>> 0);
    }
    for (const a of ctor.args) {
      const at = `${ctor.name}.${a.name}`;
      if (a.isFlags) {
        this.u32(flags.get(a.name) ?? 0);
        continue;
      }
      let v = obj[a.name];
      if (a.cond) {
        if (a.type.kind === 'prim' && a.type.prim === 'true') continue;
        if (((flags.get(a.cond.field) ?? 0) >>> a.cond.bit) & 1) {
          // a bit shared with another field (bot / bot_info_version) is set: this field must be there too
          if (isAbsent(a, v)) v = undefined;
        } else continue;
      }
      if (v === undefined || v === null) {
        // a field the source layer did not have: its empty form, when TL has one
        if (a.type.kind === 'object' || a.type.kind === 'any') throw new TlCodecError(`${at}: required field is missing`);
      }
      this.write(a.type, v, at);
    }
    return this;
  }
}

/** Reads one value of `t` from `data` with `from` and writes it with `to` (through `adapt`). */
export function translate(from: TlSchema, to: TlSchema, t: TlType, data: Buffer, adapt?: TlAdapter): Buffer {
  const r = new TlReader(from, data);
  const v = r.read(t, 'result');
  return new TlWriter(to, adapt).write(t, v, 'result').finish();
}
