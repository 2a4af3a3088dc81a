import { randomBytes } from 'node:crypto';

/** Built-in template variables for one scenario on one target. */
export function builtinVars(runId: string, now: number): Record<string, string> {
  return {
    nonce: randomBytes(5).toString('hex'),
    run_id: runId,
    date: new Date(now).toISOString().slice(0, 10),
  };
}

/** Applies `apply` to every string inside an assertion value (strings, arrays, plain objects). */
export function mapStrings(value: unknown, apply: (s: string) => string): unknown {
  if (typeof value === 'string') return apply(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, apply));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, apply)]));
  }
  return value;
}
