/**
 * A TL schema the sandbox can read and write by: constructors and methods by id and by teleproto className,
 * each with its arguments parsed once (flags, conditional fields, vectors, bare/boxed types).
 * Layer 229 comes from teleproto's own generated definitions (read at run time); another layer is layer 229
 * with a vendored diff laid over it (see layer-227.ts).
 */
import { createRequire } from 'node:module';

/** One row of a vendored layer diff: a teleproto-style className, constructor id, result type, args as TL types. */
export interface LayerDiffEntry {
  name: string;
  id: number;
  fn: boolean;
  type: string;
  args: readonly (readonly [string, string])[];
}

export type TlPrim = 'int' | 'long' | 'int128' | 'int256' | 'double' | 'string' | 'bytes' | 'Bool' | 'true';

export type TlType =
  | { kind: 'prim'; prim: TlPrim }
  /** `Vector<T>` (boxed: with the 0x1cb5c415 id) or bare `vector<T>`. */
  | { kind: 'vector'; boxed: boolean; of: TlType }
  /** A boxed object of a type (`InputPeer`), or a bare one named by its constructor (`FutureSalt`). */
  | { kind: 'object'; name: string; bare: boolean }
  /** `!X` / `X`: any boxed object (a query inside invokeWithLayer). */
  | { kind: 'any' };

export interface TlArg {
  name: string;
  /** A `#` field: the flags word other fields refer to. */
  isFlags: boolean;
  /** `flags.N?T`: present only when bit N of the named flags field is set. */
  cond?: { field: string; bit: number };
  type: TlType;
}

export interface TlCtor {
  /** teleproto's className, e.g. `messages.SendMessage`, `User`. */
  name: string;
  id: number;
  fn: boolean;
  /** The boxed type it belongs to (constructors) or the result type (methods). */
  type: string;
  args: TlArg[];
}

const PRIMS = new Set<string>(['int', 'long', 'int128', 'int256', 'double', 'string', 'bytes', 'Bool', 'true']);

/** Parses a TL type as the vendored data writes it: `Vector<InputUser>`, `int`, `!X`, `FutureSalt` (bare). */
export function parseTlType(t: string, bare = false): TlType {
  if (t === 'X' || t === '!X' || t === 'Object') return { kind: 'any' };
  if (t === 'int53') return { kind: 'prim', prim: 'long' };
  if (PRIMS.has(t)) return { kind: 'prim', prim: t as TlPrim };
  const vec = /^([Vv])ector<(.+)>$/.exec(t);
  if (vec) return { kind: 'vector', boxed: vec[1] === 'V', of: parseTlType(vec[2] as string) };
  const base = t.slice(t.lastIndexOf('.') + 1);
  // a lower-case type (`future_salt`) or one marked bare by its source is a bare constructor
  return { kind: 'object', name: t, bare: bare || /^[a-z%]/.test(base) };
}

function parseDiffArg(name: string, t: string): TlArg {
  if (t === '#') return { name, isFlags: true, type: { kind: 'prim', prim: 'int' } };
  const cond = /^(\w+)\.(\d+)\?(.+)$/.exec(t);
  if (cond) return { name, isFlags: false, cond: { field: cond[1] as string, bit: Number(cond[2]) }, type: parseTlType(cond[3] as string) };
  return { name, isFlags: false, type: parseTlType(t) };
}

/** teleproto's generated argsConfig entry (tl/generated/api-definitions.js). */
interface TeleprotoArg {
  isVector: boolean;
  isFlag: boolean;
  skipConstructorId: boolean;
  flagName: string | null;
  flagIndex: number;
  flagIndicator: boolean;
  type: string | null;
  useVectorId: boolean | null;
}

interface TeleprotoDef {
  name: string;
  constructorId: number;
  argsConfig: Record<string, TeleprotoArg>;
  result: string;
  isFunction: boolean;
  namespace?: string;
}

function fromTeleproto(d: TeleprotoDef): TlCtor {
  const args: TlArg[] = [];
  for (const [name, a] of Object.entries(d.argsConfig)) {
    if (a.flagIndicator) {
      args.push({ name, isFlags: true, type: { kind: 'prim', prim: 'int' } });
      continue;
    }
    const t = a.type ?? 'int';
    let type: TlType = PRIMS.has(t) || t === 'X' ? parseTlType(t) : { kind: 'object', name: t, bare: a.skipConstructorId };
    if (a.isVector) type = { kind: 'vector', boxed: a.useVectorId !== false, of: type };
    args.push({ name, isFlags: false, cond: a.isFlag && a.flagName ? { field: a.flagName, bit: a.flagIndex } : undefined, type });
  }
  return { name: d.namespace ? `${d.namespace}.${d.name}` : d.name, id: d.constructorId >>> 0, fn: d.isFunction, type: d.result, args };
}

export class TlSchema {
  private readonly byId = new Map<number, TlCtor>();
  private readonly byName = new Map<string, TlCtor>();

  constructor(
    readonly layer: number,
    ctors: Iterable<TlCtor>,
  ) {
    for (const c of ctors) {
      this.byId.set(c.id, c);
      this.byName.set(c.name, c);
    }
  }

  ctorById(id: number): TlCtor | undefined {
    return this.byId.get(id >>> 0);
  }

  ctorByName(name: string): TlCtor | undefined {
    return this.byName.get(name);
  }

  /** This schema with `diff` laid over it: same-named entries replaced, new ones added, `absent` ones removed. */
  withDiff(layer: number, diff: readonly LayerDiffEntry[], absent: readonly string[] = []): TlSchema {
    const merged = new Map(this.byName);
    for (const n of absent) merged.delete(n);
    for (const e of diff) merged.set(e.name, { name: e.name, id: e.id >>> 0, fn: e.fn, type: e.type, args: e.args.map(([n, t]) => parseDiffArg(n, t)) });
    return new TlSchema(layer, merged.values());
  }
}

export const TELEPROTO_LAYER = 229;

let schema229: TlSchema | undefined;

/** Layer 229, from the definitions teleproto itself serialises with. */
export function teleprotoSchema(): TlSchema {
  if (!schema229) {
    const require = createRequire(import.meta.url);
    const defs = require('teleproto/tl/generated/api-definitions.js') as TeleprotoDef[];
    schema229 = new TlSchema(TELEPROTO_LAYER, defs.map(fromTeleproto));
  }
  return schema229;
}
