/**
 * `javascript`: a user function in an .mjs file next to the scenario. It gets `(text, { reply, vars })` and returns
 * boolean | number (score; passes at ≥ threshold, default 0.5) | { pass, score?, reason? } (or a promise of one).
 * A missing file or export is a config error (thrown), not a bot failure.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { configError } from '../core/errors.js';
import type { ScoreOutcome, Scorer, ScorerContext } from './types.js';
import { outcome } from './types.js';
import { isRecord } from './values.js';

export const DEFAULT_JS_THRESHOLD = 0.5;

export function jsTarget(value: unknown): { file: string; exportName: string } {
  if (typeof value === 'string') return { file: value, exportName: 'default' };
  if (isRecord(value) && typeof value.file === 'string') {
    return { file: value.file, exportName: typeof value.export === 'string' ? value.export : 'default' };
  }
  return { file: '', exportName: 'default' };
}

async function loadFunction(value: unknown, ctx: ScorerContext): Promise<(...args: unknown[]) => unknown> {
  const { file, exportName } = jsTarget(value);
  const path = isAbsolute(file) ? file : resolve(dirname(ctx.scenario.file), file);
  if (!file || !existsSync(path)) {
    throw configError('JS_ASSERTION_NOT_FOUND', `javascript assertion file not found: ${path}`,
      'Give a path to an .mjs file relative to the scenario file.', ctx.scenario.file);
  }
  const mod: unknown = await import(pathToFileURL(path).href);
  const fn = isRecord(mod) ? mod[exportName] : undefined;
  if (typeof fn !== 'function') {
    throw configError('JS_ASSERTION_EXPORT', `${path} has no function export "${exportName}"`,
      'Export a function: export default (text, { reply, vars }) => boolean | number | { pass, score?, reason? }',
      ctx.scenario.file);
  }
  return fn as (...args: unknown[]) => unknown;
}

function toOutcome(result: unknown, threshold: number): ScoreOutcome {
  if (typeof result === 'boolean') return outcome(result, `javascript returned ${result}`);
  if (typeof result === 'number' && Number.isFinite(result)) {
    const score = Math.min(1, Math.max(0, result));
    return outcome(score >= threshold, `javascript score ${score.toFixed(2)} ${score >= threshold ? '≥' : '<'} ${threshold}`, score);
  }
  if (isRecord(result) && typeof result.pass === 'boolean') {
    const score = typeof result.score === 'number' && Number.isFinite(result.score)
      ? Math.min(1, Math.max(0, result.score))
      : result.pass ? 1 : 0;
    const reason = typeof result.reason === 'string' && result.reason ? result.reason : `javascript returned pass=${result.pass}`;
    return outcome(result.pass, reason, score);
  }
  return outcome(false, `javascript returned ${typeof result}; expected boolean, number or { pass, score?, reason? }`);
}

export const javascriptScorer: Scorer = async (spec, ctx) => {
  const fn = await loadFunction(spec.value, ctx);
  const result: unknown = await fn(ctx.reply.text, { reply: ctx.reply, vars: ctx.vars });
  return toOutcome(result, spec.threshold ?? DEFAULT_JS_THRESHOLD);
};
