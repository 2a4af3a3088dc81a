/**
 * `pairs:` and the single-pair `targets.canary` (or CANARY_BOT / STABLE_BOT) together are ambiguous: which pair
 * would the single bot be? One clear config error naming where each came from and how to fix it.
 */
import type { Issue } from '../core/errors.js';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The issue when both `pairs` and a single-pair target are set; `sources`: config path → env var that set it. */
export function pairsConflict(
  merged: Obj, sources: ReadonlyMap<string, string>, file: string, lineOf?: (path: readonly PropertyKey[]) => number | undefined,
): Issue | undefined {
  if (merged.pairs === undefined) return undefined;
  const targets = isObj(merged.targets) ? merged.targets : {};
  const set = (['canary', 'stable'] as const).filter((k) => typeof targets[k] === 'string' && targets[k] !== '');
  if (set.length === 0) return undefined;
  const key = `targets.${set[0]}`;
  const env = sources.get(key);
  const where = env ? `${env} (env)` : key;
  return {
    file,
    path: 'pairs',
    line: lineOf?.(['pairs']),
    message: `is set together with ${where}: with pairs every bot belongs to a pair`,
    hint: `move the bots into a pair (pairs: [{ name: default, canary: …, stable: … }] keeps the history in paths.db) and remove ${env ? `${env} from the environment` : key}`,
  };
}
