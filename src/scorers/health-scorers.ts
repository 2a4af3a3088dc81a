/**
 * The health checks every `expect` runs by default (see default-checks.ts): `not-error`, `not-leak`, `complete`
 * (and `not-refusal`, in phrases.ts). Each takes extra phrasings or patterns from its value and from the config
 * (`checks.errorPhrases`, `checks.leakPatterns`); the built-in tables live in phrases.ts and error-patterns.ts.
 */
import { cachedSafeRegex } from '../util/safe-regex.js';
import { incompleteReason } from './completeness.js';
import { ERROR_PATTERNS, INTERNAL_JSON_KEYS, LEAK_MARKERS, SECRET_PATTERNS, STACK_TRACE_PATTERNS, firstMatch } from './error-patterns.js';
import { ERROR_PHRASES, REFUSAL_PHRASES, findPhrase } from './phrases.js';
import { preview } from './text.js';
import type { Scorer } from './types.js';
import { outcome } from './types.js';
import { asTextList } from './values.js';

const ALL_ERROR_PHRASES = Object.values(ERROR_PHRASES).flat();
const ALL_REFUSAL_PHRASES = Object.values(REFUSAL_PHRASES).flat();

/** What in `text` reads like an error: `{ family, match }`, or undefined. */
export function findError(text: string, extraPhrases: readonly string[] = []): { family: string; match: string } | undefined {
  const phrase = findPhrase(text, [...ALL_ERROR_PHRASES, ...extraPhrases]);
  if (phrase !== undefined) return { family: 'error phrasing', match: phrase };
  const hit = firstMatch(text, ERROR_PATTERNS);
  return hit ? { family: hit.row.family, match: hit.match } : undefined;
}

export const notError: Scorer = (spec, ctx) => {
  const hit = findError(ctx.reply.text, [...asTextList(spec.value), ...(ctx.checks?.errorPhrases ?? [])]);
  return hit === undefined
    ? outcome(true, 'no error phrasing found')
    : outcome(false, `reply reads like an error (${hit.family}: ${preview(hit.match, 60)}): ${preview(ctx.reply.text)}`);
};

export const notRefusal: Scorer = (spec, ctx) => {
  const hit = findPhrase(ctx.reply.text, [...ALL_REFUSAL_PHRASES, ...asTextList(spec.value), ...(ctx.checks?.refusalPhrases ?? [])]);
  return hit === undefined
    ? outcome(true, 'no refusal phrasing found')
    : outcome(false, `reply reads like a refusal (${preview(hit)}): ${preview(ctx.reply.text)}`);
};

/**
 * Top-level JSON objects in a text (a linear scan that tracks strings and nesting), parsed. Only objects of at
 * least 2 keys are returned; prose braces and broken JSON are skipped.
 */
export function jsonObjectsIn(text: string, limit = 20): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length && out.length < limit; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"' && depth > 0) inString = true;
    else if (c === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}' && depth > 0) {
      depth--;
      if (depth === 0) {
        try {
          const v: unknown = JSON.parse(text.slice(start, i + 1));
          if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length >= 2) out.push(v as Record<string, unknown>);
        } catch {
          // not JSON: prose with braces
        }
      }
    }
  }
  return out;
}

function internalKey(obj: Record<string, unknown>, depth = 0): string | undefined {
  for (const [k, v] of Object.entries(obj)) {
    if (INTERNAL_JSON_KEYS.has(k.toLowerCase())) return k;
    if (depth < 3 && v && typeof v === 'object' && !Array.isArray(v)) {
      const inner = internalKey(v as Record<string, unknown>, depth + 1);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** What in `text` leaks internals: a description that never contains a secret itself, or undefined. */
export function findLeak(text: string, extraPatterns: readonly string[] = []): string | undefined {
  for (const row of SECRET_PATTERNS) {
    const m = row.re.exec(text);
    if (m) return `a key-like secret (${row.kind}, ${m[0].length} characters, starting "${m[0].slice(0, 4)}…")`;
  }
  const marker = firstMatch(text, LEAK_MARKERS) ?? firstMatch(text, STACK_TRACE_PATTERNS);
  if (marker) return `${marker.row.family} ${preview(marker.match.trim(), 60)}`;
  for (const obj of jsonObjectsIn(text)) {
    const key = internalKey(obj);
    if (key) return `a raw JSON dump (key "${key}")`;
  }
  if (/['"]role['"]\s*:\s*['"](?:system|assistant|developer|tool)['"]/u.test(text)) return 'a raw message dump ("role": "system" …)';
  for (const p of extraPatterns) {
    const m = cachedSafeRegex(p).exec(text);
    if (m) return `the configured leak pattern ${preview(p, 40)} (${m.match.length} characters matched)`;
  }
  return undefined;
}

export const notLeak: Scorer = (spec, ctx) => {
  const leak = findLeak(ctx.reply.text, [...asTextList(spec.value), ...(ctx.checks?.leakPatterns ?? [])]);
  return leak === undefined ? outcome(true, 'no internal markers, traces or secrets found') : outcome(false, `reply leaks ${leak}`);
};

export const complete: Scorer = (_spec, ctx) => {
  // a sticker, a photo or a voice note without a caption is a whole answer, not an empty one
  const media = ctx.reply.messages.some((m) => !m.deleted && m.media !== undefined);
  if (media && ctx.reply.text.trim() === '') return outcome(true, 'the reply is media without a caption');
  const why = incompleteReason(ctx.reply.text);
  return why === undefined ? outcome(true, 'reply looks complete') : outcome(false, `reply looks cut short: ${why}`);
};

export const HEALTH_SCORERS = {
  'not-error': notError,
  'not-refusal': notRefusal,
  'not-leak': notLeak,
  complete,
} satisfies Record<string, Scorer>;
