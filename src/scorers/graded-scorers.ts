/** Graded and structural scorers: levenshtein, similar, latency, length, novel. */
import type { Scorer } from './types.js';
import { outcome } from './types.js';
import { codePointLength, levenshtein, normalizeText, preview, similarity } from './text.js';
import { asText, asTextList, isRecord } from './values.js';

export const DEFAULT_LEVENSHTEIN_MAX = 5;
export const DEFAULT_SIMILAR_THRESHOLD = 0.6;
export const DEFAULT_NOVEL = { last: 20, maxSimilarity: 0.8 } as const;

const levenshteinScorer: Scorer = (spec, ctx) => {
  const expected = asText(spec.value);
  const got = ctx.reply.text.trim();
  const max = spec.threshold ?? DEFAULT_LEVENSHTEIN_MAX;
  const d = levenshtein(got, expected.trim());
  const longest = Math.max(codePointLength(got), codePointLength(expected.trim()), 1);
  const score = Math.max(0, 1 - d / longest);
  return d <= max
    ? outcome(true, `edit distance ${d} ≤ ${max}`, score)
    : outcome(false, `edit distance ${d} > ${max} from ${preview(expected)}: ${preview(got)}`, score);
};

const similar: Scorer = (spec, ctx) => {
  const expected = asTextList(spec.value);
  const threshold = spec.threshold ?? DEFAULT_SIMILAR_THRESHOLD;
  let best = 0;
  let bestText = expected[0] ?? '';
  for (const e of expected) {
    const s = similarity(ctx.reply.text, e);
    if (s > best) {
      best = s;
      bestText = e;
    }
  }
  const shown = best.toFixed(2);
  return best >= threshold
    ? outcome(true, `similarity ${shown} ≥ ${threshold} to ${preview(bestText)}`, best)
    : outcome(false, `similarity ${shown} < ${threshold} to ${preview(bestText)}: ${preview(ctx.reply.text)}`, best);
};

/** `{ firstToken?, first?, final? }` or a number (= final), in ms. */
export function latencyLimits(value: unknown): { firstToken?: number; first?: number; final?: number } {
  if (typeof value === 'number') return { final: value };
  if (isRecord(value)) {
    return {
      firstToken: typeof value.firstToken === 'number' ? value.firstToken : undefined,
      first: typeof value.first === 'number' ? value.first : undefined,
      final: typeof value.final === 'number' ? value.final : undefined,
    };
  }
  return {};
}

const latency: Scorer = (spec, ctx) => {
  const limits = latencyLimits(spec.value);
  const r = ctx.reply;
  const problems: string[] = [];
  const seen: string[] = [];
  const check = (label: 'first token' | 'first' | 'final', limit: number | undefined, got: number | undefined): void => {
    if (limit === undefined) return;
    const ms = got === undefined ? undefined : Math.round(got);
    if (ms === undefined) problems.push(`no reply, so no ${label} latency (limit ${limit} ms)`);
    else if (ms > limit) problems.push(`${label} latency ${ms} ms > ${limit} ms`);
    else seen.push(`${label} ${ms} ms ≤ ${limit} ms`);
  };
  // first token: typing or the first draft, whichever came first; a bot that shows neither is judged by its message
  check('first token', limits.firstToken, r.latencyFirstTokenMs ?? (r.messageCount > 0 ? r.latencyFirstMs : undefined));
  check('first', limits.first, r.messageCount > 0 ? r.latencyFirstMs : undefined);
  check('final', limits.final, r.messageCount > 0 ? r.latencyFinalMs : undefined);
  if (limits.firstToken === undefined && limits.first === undefined && limits.final === undefined) return outcome(false, 'latency needs a limit');
  return problems.length === 0 ? outcome(true, `latency ${seen.join(', ')}`) : outcome(false, problems.join('; '));
};

const length: Scorer = (spec, ctx) => {
  const v = isRecord(spec.value) ? spec.value : {};
  const min = typeof v.min === 'number' ? v.min : undefined;
  const max = typeof v.max === 'number' ? v.max : undefined;
  const n = codePointLength(ctx.reply.text);
  if (min !== undefined && n < min) return outcome(false, `reply has ${n} characters, fewer than ${min}`);
  if (max !== undefined && n > max) return outcome(false, `reply has ${n} characters, more than ${max}`);
  return outcome(true, `reply has ${n} characters (${min ?? 0}..${max ?? '∞'})`);
};

const novel: Scorer = (spec, ctx) => {
  const v = isRecord(spec.value) ? spec.value : {};
  const last = typeof v.last === 'number' ? v.last : DEFAULT_NOVEL.last;
  const maxSim = typeof v.maxSimilarity === 'number' ? v.maxSimilarity : DEFAULT_NOVEL.maxSimilarity;
  const text = ctx.reply.text;
  if (normalizeText(text) === '') return outcome(false, 'reply is empty, so it cannot be novel');
  const recent = ctx.recentReplies(last);
  let worst = 0;
  let worstText = '';
  for (const old of recent) {
    const s = normalizeText(old) === normalizeText(text) ? 1 : similarity(text, old);
    if (s > worst) {
      worst = s;
      worstText = old;
    }
  }
  const score = 1 - worst;
  if (worst >= maxSim) {
    const how = worst === 1 ? 'the same as' : `too similar (${worst.toFixed(2)} ≥ ${maxSim}) to`;
    return outcome(false, `reply is ${how} an earlier reply: ${preview(worstText)}`, score);
  }
  return outcome(true, `reply is new among the last ${recent.length} (max similarity ${worst.toFixed(2)})`, score);
};

export const GRADED_SCORERS = {
  levenshtein: levenshteinScorer,
  similar,
  latency,
  length,
  novel,
} satisfies Record<string, Scorer>;
