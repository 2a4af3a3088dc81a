/** A copy of the config safe to print: secrets replaced, passwords inside URLs removed. */
import { SECRET_PATHS } from './env-vars.js';

export const REDACTED = '[redacted]';

/** The sessions and API hashes of `telegram.accounts` (the account pool). */
const ACCOUNT_SECRET = /^telegram\.accounts\[\d+\]\.(session|apiHash)$/;

function redactUrl(s: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/\s]*@/i.test(s)) return s;
  try {
    const u = new URL(s);
    if (u.password) u.password = REDACTED;
    return u.toString();
  } catch {
    return s;
  }
}

function walk(value: unknown, path: string): unknown {
  if ((SECRET_PATHS.includes(path) || ACCOUNT_SECRET.test(path)) && value !== undefined) return REDACTED;
  if (typeof value === 'string') return redactUrl(value);
  if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = walk(v, path ? `${path}.${k}` : k);
    return out;
  }
  return value;
}

/** Deep copy of `c` with every secret (session, API hash, passwords, tokens, keys) replaced by "[redacted]". */
export function redactConfig(c: unknown): unknown {
  return walk(c, '');
}

/** Config values at the secret paths: what every error and log line is scrubbed of (one derived list). */
export function secretValues(c: unknown): string[] {
  const out: string[] = [];
  for (const path of SECRET_PATHS) {
    let cur: unknown = c;
    for (const part of path.split('.')) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[part] : undefined;
    if (typeof cur === 'string' && cur !== '') out.push(cur);
  }
  const accounts = (c as { telegram?: { accounts?: unknown } } | undefined)?.telegram?.accounts;
  if (Array.isArray(accounts)) {
    for (const a of accounts as { session?: unknown; apiHash?: unknown }[]) {
      for (const v of [a?.session, a?.apiHash]) if (typeof v === 'string' && v !== '') out.push(v);
    }
  }
  return out;
}
