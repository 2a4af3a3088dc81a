/** Conversion of one env var string to the value the schema expects; errors never echo secret values. */
import { DURATION_HINT, MAX_DURATION_MS, MAX_DURATION_MSG, parseDuration } from '../schema-kit/duration.js';
import type { EnvVar } from './env-vars.js';

export type Converted = { ok: true; value: unknown } | { ok: false; message: string; hint: string };

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

export function convertEnv(spec: EnvVar, raw: string): Converted {
  const text = raw.trim();
  const shown = spec.secret ? 'the value' : JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
  const eg = spec.example ?? spec.default;
  switch (spec.kind) {
    case 'int': {
      if (!/^-?\d+$/.test(text)) return { ok: false, message: `${shown} is not a whole number`, hint: `set ${spec.name} to a whole number${eg ? `, e.g. ${eg}` : ''}` };
      return { ok: true, value: Number(text) };
    }
    case 'number': {
      const n = Number(text);
      if (text === '' || !Number.isFinite(n)) return { ok: false, message: `${shown} is not a number`, hint: `set ${spec.name} to a number${eg ? `, e.g. ${eg}` : ''}` };
      return { ok: true, value: n };
    }
    case 'bool': {
      const low = text.toLowerCase();
      if (TRUE.has(low)) return { ok: true, value: true };
      if (FALSE.has(low)) return { ok: true, value: false };
      return { ok: false, message: `${shown} is not a boolean`, hint: `set ${spec.name} to true or false` };
    }
    case 'duration': {
      const ms = parseDuration(text);
      if (ms === undefined) return { ok: false, message: `${shown} is not a duration`, hint: `${DURATION_HINT} for ${spec.name}` };
      if (ms > MAX_DURATION_MS) return { ok: false, message: `${shown} ${MAX_DURATION_MSG}`, hint: `use at most 24h for ${spec.name}` };
      return { ok: true, value: ms };
    }
    case 'list': {
      const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
      if (items.length === 0) return { ok: false, message: 'is an empty list', hint: `set ${spec.name} to a comma-separated list${eg ? `, e.g. ${eg}` : ''}` };
      return { ok: true, value: items };
    }
    case 'hostport': {
      const m = /^(\[[^\]]+\]|[^:\s]+):(\d{1,5})$/.exec(text);
      const port = m ? Number(m[2]) : 0;
      if (!m || port < 1 || port > 65535) return { ok: false, message: `${shown} is not host:port`, hint: `set ${spec.name} to host:port${eg ? `, e.g. ${eg}` : ''}` };
      return { ok: true, value: { host: m[1].replace(/^\[|\]$/g, ''), port } };
    }
    default:
      return { ok: true, value: text };
  }
}
