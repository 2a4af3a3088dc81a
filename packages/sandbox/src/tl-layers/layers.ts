/**
 * The layers the sandbox serves and how it translates between them. RPC handlers always speak layer 229
 * (teleproto's); for a client at another served layer, its requests are decoded with that layer's schema and
 * re-encoded at 229, and every answer and push is decoded at 229 and re-encoded in the client's layer.
 */
import { LAYER_227_ABSENT, LAYER_227_DIFF } from './layer-227.js';
import { TlReader, TlWriter, type TlAdapter, type TlValueObject } from './codec.js';
import { parseTlType, teleprotoSchema, TELEPROTO_LAYER, type TlSchema, type TlType } from './schema.js';

export { TELEPROTO_LAYER };

/** Served layers, newest first. */
export const SERVED_LAYERS: readonly number[] = [TELEPROTO_LAYER, 227];

const schemas = new Map<number, TlSchema>();

/** The schema of a served layer, or undefined for one the sandbox cannot serve. */
export function schemaFor(layer: number): TlSchema | undefined {
  let s = schemas.get(layer);
  if (s) return s;
  if (layer === TELEPROTO_LAYER) s = teleprotoSchema();
  else if (layer === 227) s = teleprotoSchema().withDiff(227, LAYER_227_DIFF, LAYER_227_ABSENT);
  else return undefined;
  schemas.set(layer, s);
  return s;
}

export function isServedLayer(layer: number): boolean {
  return SERVED_LAYERS.includes(layer);
}

function fieldsOf(obj: TlValueObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (k !== 'className' && k !== 'flags') out[k] = v;
  return out;
}

/**
 * Layer 229 → older: inline keyboards were restructured in 229 (`keyboardInlineButtonRow` of
 * `keyboardInlineButton{text, style, type: inlineButtonType*}`); older layers have `keyboardButtonRow` of
 * `keyboardButton*{text, style, …type's fields}`. Everything else maps field by field, by name.
 */
export const adaptDown: TlAdapter = (obj, target) => {
  if (target.ctorByName(obj.className)) return undefined;
  if (obj.className === 'KeyboardInlineButtonRow') return { className: 'KeyboardButtonRow', buttons: obj.buttons };
  if (obj.className === 'KeyboardInlineButton') {
    const type = obj.type as TlValueObject | undefined;
    const m = type ? /^(Input)?InlineButtonType(\w+)$/.exec(type.className) : null;
    if (type && m) {
      const name = `${m[1] ?? ''}KeyboardButton${m[2] as string}`;
      if (target.ctorByName(name)) return { ...fieldsOf(type), className: name, text: obj.text, style: obj.style };
    }
  }
  return undefined;
};

/** Older → layer 229: the reverse of the keyboard mapping, for a keyboard inside a client's request. */
export const adaptUp: TlAdapter = (obj, target) => {
  if (obj.className === 'ReplyInlineMarkup' && Array.isArray(obj.rows)) {
    // layer 229 keeps keyboardButtonRow for reply keyboards only; an inline keyboard's rows are inline rows
    const rows = (obj.rows as TlValueObject[]).map((r) => (r.className === 'KeyboardButtonRow' ? { className: 'KeyboardInlineButtonRow', buttons: r.buttons } : r));
    return { ...obj, rows };
  }
  if (target.ctorByName(obj.className)) return undefined;
  const m = /^(Input)?KeyboardButton(\w+)$/.exec(obj.className);
  if (m) {
    const typeName = `${m[1] ?? ''}InlineButtonType${m[2] as string}`;
    if (target.ctorByName(typeName)) {
      const { text, style, ...rest } = fieldsOf(obj);
      return { className: 'KeyboardInlineButton', text, style, type: { ...rest, className: typeName } };
    }
  }
  return undefined;
};

const UPDATES: TlType = { kind: 'object', name: 'Updates', bare: false };
const resultTypes = new Map<string, TlType>();

/** The result type of a layer-229 method, by teleproto className (`users.GetUsers` → `Vector<User>`). */
export function resultTypeOf(method: string): TlType | undefined {
  let t = resultTypes.get(method);
  if (!t) {
    const c = teleprotoSchema().ctorByName(method);
    if (!c?.fn) return undefined;
    t = parseTlType(c.type);
    resultTypes.set(method, t);
  }
  return t;
}

/** A request method of the client's layer that layer 229 no longer has (so no handler can know it). */
export class MethodNotInNativeLayer extends Error {
  constructor(readonly method: string) {
    super(`${method} has no layer-${TELEPROTO_LAYER} equivalent`);
  }
}

/** A layer-L request (boxed) re-encoded at layer 229. */
export function requestToNative(layer: number, body: Buffer): Buffer {
  const from = schemaFor(layer);
  if (!from) throw new Error(`layer ${layer} is not served`);
  const value = new TlReader(from, body).readBoxed('request');
  let inner = value as TlValueObject;
  while (typeof inner.query === 'object' && inner.query !== null && 'className' in inner.query) inner = inner.query as TlValueObject;
  if (!teleprotoSchema().ctorByName(inner.className)) throw new MethodNotInNativeLayer(inner.className);
  return new TlWriter(teleprotoSchema(), adaptUp).write({ kind: 'any' }, value, 'request').finish();
}

/** A layer-229 answer (of `type`) re-encoded at layer L. */
export function answerToLayer(layer: number, type: TlType, data: Buffer): Buffer {
  const to = schemaFor(layer);
  if (!to) throw new Error(`layer ${layer} is not served`);
  const value = new TlReader(teleprotoSchema(), data).read(type, 'answer');
  return new TlWriter(to, adaptDown).write(type, value, 'answer').finish();
}

/** A layer-229 push (`Updates`) re-encoded at layer L. */
export function pushToLayer(layer: number, data: Buffer): Buffer {
  return answerToLayer(layer, UPDATES, data);
}
