/**
 * Turns zod issues into short, value-free messages (a secret must never be echoed). Shared by the config
 * loader and the scenario parser.
 */
import type { z } from './zod.js';

export type KeyPath = readonly PropertyKey[];

/** `steps[2].expect.timeout` style. */
export function formatPath(path: KeyPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** A flattened issue: one path, one message, no input values. */
export interface PlainIssue {
  path: PropertyKey[];
  message: string;
  hint?: string;
  /** Set for unknown keys, so callers can point at the key itself. */
  unknownKey?: boolean;
}

function strip(message: string): string {
  return message.replace(/^(Invalid input|Too small|Too big|Invalid option|Invalid string|Invalid format): /, '');
}

/** Levenshtein distance, small inputs only (key suggestions). */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** The closest candidate within distance 3 (case-insensitive), if any. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 4;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'mapping';
  return typeof v;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[p];
  }
  return cur;
}

/**
 * Flattens zod issues. `knownKeys(path)` lists the allowed keys of the mapping at `path` for suggestions.
 * `input` is the parsed value, used only to name the received type (never its content).
 */
export function plainIssues(
  error: z.ZodError,
  input: unknown,
  knownKeys?: (path: PropertyKey[]) => readonly string[],
  base: PropertyKey[] = [],
): PlainIssue[] {
  const out: PlainIssue[] = [];
  for (const issue of error.issues) {
    const path = [...base, ...issue.path];
    const local = issue.path as PropertyKey[];
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = knownKeys?.(local) ?? [];
        for (const key of issue.keys) {
          const near = suggest(key, known);
          out.push({
            path: [...path, key],
            message: `unknown key "${key}"`,
            hint: near ? `did you mean "${near}"?` : known.length ? `remove it; allowed keys: ${known.join(', ')}` : 'remove it',
            unknownKey: true,
          });
        }
        break;
      }
      case 'invalid_type': {
        const got = valueAt(input, local);
        const expected = issue.expected === 'object' ? 'mapping' : issue.expected === 'array' ? 'list' : issue.expected;
        out.push(
          got === undefined
            ? { path, message: 'is required', hint: `add ${formatPath(path) || 'it'} (${expected})` }
            : { path, message: `expected ${expected}, got ${typeName(got)}`, hint: `write a ${expected} here` },
        );
        break;
      }
      case 'invalid_union':
        out.push({ path, message: issue.message === 'Invalid input' ? 'has the wrong shape' : strip(issue.message), hint: 'see `tg-canary schema` for the accepted forms' });
        break;
      case 'invalid_value':
        out.push({ path, message: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`, hint: `pick one of ${issue.values.map(String).join(', ')}` });
        break;
      case 'too_small':
      case 'too_big': {
        const small = issue.code === 'too_small';
        const bound = Number(small ? (issue as { minimum: number | bigint }).minimum : (issue as { maximum: number | bigint }).maximum);
        const incl = (issue as { inclusive?: boolean }).inclusive !== false;
        const op = small ? (incl ? '>=' : '>') : incl ? '<=' : '<';
        if (issue.origin === 'array' || issue.origin === 'set') {
          out.push({ path, message: small ? `needs at least ${bound} item${bound === 1 ? '' : 's'}` : `has more than ${bound} items`, hint: small ? 'add an item' : `keep at most ${bound}` });
        } else if (issue.origin === 'string') {
          out.push({ path, message: small ? (bound <= 1 ? 'is empty' : `is shorter than ${bound} characters`) : `is longer than ${bound} characters`, hint: small ? 'write a non-empty value' : 'shorten it' });
        } else {
          out.push({ path, message: `must be ${op} ${bound}`, hint: `use a ${issue.origin === 'int' ? 'whole number' : 'number'} ${op} ${bound}` });
        }
        break;
      }
      default: {
        const params = 'params' in issue ? (issue.params as { hint?: string } | undefined) : undefined;
        out.push({ path, message: strip(issue.message), hint: params?.hint ?? 'correct this value' });
      }
    }
  }
  return out;
}
