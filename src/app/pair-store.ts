/**
 * Where a pair's history lives: the one function that opens a pair's store (issue 19 point 2). With SQLite, a file
 * next to `paths.db` (`tg-canary.<pair>.db`); the `default` pair keeps `paths.db` itself, so a deployment that moves
 * to `pairs:` by naming its pair `default` keeps its history. Account-wide data (the peer cache, the session lease)
 * stays in the main store. With the PostgreSQL store (a shared database), a pair's tables live in its own schema
 * `tg_canary_pair_<name>` (dashes as underscores) of that database; `default` keeps the connection's schema.
 */
import { resolve } from 'node:path';
import { storeIsPostgres, storeLocation } from '../config/store-location.js';
import type { Config } from '../config/index.js';
import { DEFAULT_PAIR, pairDbPath, pairSchema, type PairSpec } from '../config/pair-config.js';
import { openStore } from '../store/index.js';
import type { AppContext } from './app-context.js';

/** The store roles one pair's runs, deliveries and reads use. */
export type PairStore = AppContext['store'];

export interface PairStoreHandle {
  store: PairStore;
  /** False when the pair's store is the main store (the caller's): closing the handle leaves it open. */
  owned: boolean;
  close(): void;
}

/** Opens the pair's store; `main` (the store at `paths.db`) is shared, not opened twice, for the `default` pair. */
export function openPairStore(config: Config, pair: Pick<PairSpec, 'name'>, opts: { main?: PairStore; readonly?: boolean } = {}): PairStoreHandle {
  const location = storeLocation(config.paths);
  if (storeIsPostgres(config.paths)) {
    if (pair.name === DEFAULT_PAIR && opts.main) return { store: opts.main, owned: false, close: () => undefined };
    const store = openStore(location, { readonly: opts.readonly === true, pgSchema: pairSchema(pair.name) });
    return { store, owned: true, close: () => store.close() };
  }
  const path = pairDbPath(config.paths.db, pair.name);
  if (opts.main && resolve(path) === resolve(config.paths.db)) return { store: opts.main, owned: false, close: () => undefined };
  const store = openStore(path, { readonly: opts.readonly === true });
  return { store, owned: true, close: () => store.close() };
}

