/**
 * The pairs a config guards, and each pair's own view of the config: its bots as `targets`, its verdict
 * thresholds, its alert routing, its history file and report folder. Every part of the app that runs or reads one
 * pair (runJob, deliveries, the verdict routes) takes this view, so it needs no idea of fleets.
 */
import { dirname, extname, basename, join } from 'node:path';
import type { Config } from './schema.js';
import { DEFAULT_PAIR } from './pairs-schema.js';
import { storeIsPostgres } from './store-location.js';

export { DEFAULT_PAIR, PAIR_NAME_RE, RESERVED_PAIR_NAMES } from './pairs-schema.js';

/** One pair as the config gives it (the implicit `default` pair of a single-pair config looks the same). */
export interface PairSpec {
  name: string;
  canary: string;
  stable?: string;
  suites?: string[];
  scenarios?: string;
  verdict?: Partial<Config['verdict']>;
  alerts?: { channels?: string[]; emailTo?: string[] };
}

/** The PostgreSQL schema of a pair's tables (`default` keeps the connection's schema). */
export function pairSchema(pair: string): string | undefined {
  return pair === DEFAULT_PAIR ? undefined : `tg_canary_pair_${pair.replace(/-/g, '_')}`;
}

/** True when the config has a `pairs:` list. */
export function hasPairs(config: Config): boolean {
  return config.pairs !== undefined;
}

/**
 * Fleet mode: a `pairs:` list, or several test accounts (`telegram.accounts`) — runs then go through the fleet cycle
 * and its account pool, even for the one implicit pair `default`.
 */
export function usesFleet(config: Config): boolean {
  return config.pairs !== undefined || config.telegram.accounts !== undefined;
}

/** The pairs of a config in config order; without `pairs`, the one implicit pair `default` from `targets`. */
export function configPairs(config: Config): PairSpec[] {
  if (config.pairs) return config.pairs.map((p) => ({ ...p }));
  return [{ name: DEFAULT_PAIR, canary: config.targets.canary, ...(config.targets.stable ? { stable: config.targets.stable } : {}) }];
}

/**
 * Where a pair's history lives with SQLite: `paths.db` for `default` (existing deployments keep their history),
 * else a file next to it, `./data/tg-canary.db` → `./data/tg-canary.<pair>.db`.
 */
export function pairDbPath(db: string, pair: string): string {
  if (pair === DEFAULT_PAIR) return db;
  const ext = extname(db);
  const stem = basename(db, ext);
  return join(dirname(db), `${stem}.${pair}${ext || '.db'}`);
}

/** A pair's reports: `paths.reports` for `default`, else `paths.reports/<pair>` (run ids of pairs may collide). */
export function pairReportsDir(reports: string, pair: string): string {
  return pair === DEFAULT_PAIR ? reports : join(reports, pair);
}

/** The config one pair runs with: its bots, thresholds, alert routes, history file and report folder. */
export function pairConfig(config: Config, pair: PairSpec): Config {
  const alerts: Config['alerts'] = { ...config.alerts };
  const keep = pair.alerts?.channels;
  if (keep) {
    for (const key of Object.keys(alerts) as (keyof Config['alerts'])[]) {
      if (isChannelKey(key) && !keep.includes(key)) delete alerts[key];
    }
  }
  if (pair.alerts?.emailTo && alerts.email) alerts.email = { ...alerts.email, to: [...pair.alerts.emailTo] };
  return {
    ...config,
    targets: { canary: pair.canary, ...(pair.stable ? { stable: pair.stable } : {}) },
    verdict: { ...config.verdict, ...definedOnly(pair.verdict ?? {}) },
    alerts,
    // SQLite: the pair's own file; PostgreSQL: the pair's own schema of the shared database (the URL stays)
    paths: storeIsPostgres(config.paths)
      ? { ...config.paths, ...(pair.name === DEFAULT_PAIR ? {} : { pgSchema: pairSchema(pair.name) }), reports: pairReportsDir(config.paths.reports, pair.name) }
      : { ...config.paths, db: pairDbPath(config.paths.db, pair.name), reports: pairReportsDir(config.paths.reports, pair.name) },
    pairs: undefined,
  };
}

const NOT_CHANNELS = new Set(['failureThreshold', 'successThreshold', 'reminderIntervalMs', 'inconclusiveThreshold', 'escalation']);

function isChannelKey(key: string): boolean {
  return !NOT_CHANNELS.has(key);
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
