/**
 * Where a pair's history lives: the one function that opens a pair's store (issue 19 point 2). With SQLite, a file
 * next to `paths.db` (`tg-canary.<pair>.db`); the `default` pair keeps `paths.db` itself, so a deployment that moves
 * to `pairs:` by naming its pair `default` keeps its history. Account-wide data (the peer cache, the session lease)
 * stays in the main store. A PostgreSQL store can map a pair to a schema here instead.
 */
import { resolve } from 'node:path';
import type { Config } from '../config/index.js';
import { pairDbPath, type PairSpec } from '../config/pair-config.js';
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
  const path = pairDbPath(config.paths.db, pair.name);
  if (opts.main && resolve(path) === resolve(config.paths.db)) return { store: opts.main, owned: false, close: () => undefined };
  const store = openStore(path, { readonly: opts.readonly === true });
  return { store, owned: true, close: () => store.close() };
}
