/** Deterministic text scorers (promptfoo vocabulary). Each may be negated with a `not-` prefix. */
import type { Scorer } from './types.js';
import { outcome } from './types.js';
import { preview } from './text.js';
import { asText, asTextList, parseRegex } from './values.js';

function lower(s: string): string {
  return s.normalize('NFKC').toLowerCase();
}

const equals: Scorer = (spec, ctx) => {
  const expected = asText(spec.value).trim();
  const got = ctx.reply.text.trim();
  return got === expected
    ? outcome(true, `reply equals ${preview(expected)}`)
    : outcome(false, `reply ${preview(got)} is not ${preview(expected)}`);
};

function containsScorer(caseInsensitive: boolean): Scorer {
  return (spec, ctx) => {
    const needle = asText(spec.value);
    const hay = caseInsensitive ? lower(ctx.reply.text) : ctx.reply.text;
    const found = hay.includes(caseInsensitive ? lower(needle) : needle);
    return found
      ? outcome(true, `reply contains ${preview(needle)}`)
      : outcome(false, `reply does not contain ${preview(needle)}: ${preview(ctx.reply.text)}`);
  };
}

function listScorer(mode: 'any' | 'all', caseInsensitive: boolean): Scorer {
  return (spec, ctx) => {
    const needles = asTextList(spec.value);
    const hay = caseInsensitive ? lower(ctx.reply.text) : ctx.reply.text;
    const found = needles.filter((n) => hay.includes(caseInsensitive ? lower(n) : n));
    const missing = needles.filter((n) => !found.includes(n));
    if (mode === 'any') {
      return found.length > 0
        ? outcome(true, `reply contains ${preview(found[0])}`)
        : outcome(false, `reply contains none of ${needles.map((n) => preview(n)).join(', ')}`);
    }
    const score = needles.length === 0 ? 0 : found.length / needles.length;
    return missing.length === 0 && needles.length > 0
      ? outcome(true, `reply contains all ${needles.length} strings`)
      : outcome(false, `reply lacks ${missing.map((n) => preview(n)).join(', ')}`, score);
  };
}

const regex: Scorer = (spec, ctx) => {
  const re = parseRegex(asText(spec.value));
  const m = re.exec(ctx.reply.text);
  return m
    ? outcome(true, `reply matches ${re} at ${preview(m.match)}`)
    : outcome(false, `reply does not match ${re}: ${preview(ctx.reply.text)}`);
};

const startsWith: Scorer = (spec, ctx) => {
  const prefix = asText(spec.value);
  const got = ctx.reply.text.trimStart();
  return got.startsWith(prefix)
    ? outcome(true, `reply starts with ${preview(prefix)}`)
    : outcome(false, `reply starts with ${preview(Array.from(got).slice(0, 40).join(''))}, not ${preview(prefix)}`);
};

/** Strips one Markdown code fence, as LLM bots often wrap JSON in ```json … ```. */
function unfence(text: string): string {
  const m = /^\s*```[\w-]*\s*\n([\s\S]*?)\n?```\s*$/u.exec(text);
  return m ? m[1] : text;
}

const isJson: Scorer = (_spec, ctx) => {
  const text = unfence(ctx.reply.text).trim();
  if (text === '') return outcome(false, 'reply is empty, not JSON');
  try {
    JSON.parse(text);
    return outcome(true, 'reply is valid JSON');
  } catch (e) {
    return outcome(false, `reply is not valid JSON (${(e as Error).message})`);
  }
};

export const STRING_SCORERS = {
  equals,
  contains: containsScorer(false),
  icontains: containsScorer(true),
  'contains-any': listScorer('any', false),
  'contains-all': listScorer('all', false),
  'icontains-any': listScorer('any', true),
  'icontains-all': listScorer('all', true),
  regex,
  'starts-with': startsWith,
  'is-json': isJson,
} satisfies Record<string, Scorer>;
