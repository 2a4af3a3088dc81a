/**
 * The one place that picks the account pool of a fleet cycle: the multi-account pool (src/fleet/account-pool.ts,
 * built by account-pool-setup.ts) when `telegram.accounts` is set; otherwise the config's one session
 * (SingleAccountPool) on the runtime's driver factory.
 */
import type { BotDriver, Clock, PeerCacheStore, SessionLeaseStore } from '../core/ports.js';
import type { Config } from '../config/index.js';
import { sessionLeaseName } from './telegram-session.js';
import { createAccountPool } from './account-pool-setup.js';
import type { Logger } from '../util/logger.js';
import type { AccountPool } from '../fleet/account-pool-port.js';
import { SingleAccountPool } from '../fleet/single-account-pool.js';

export interface OpenPoolDeps {
  /** The main store (`paths.db`): leases (and, through `openDriver`, the peer cache). */
  mainStore: SessionLeaseStore & PeerCacheStore;
  /** A new driver on the config's session (the runtime's factory). */
  openDriver: () => BotDriver;
  clock: Clock;
  logger: Logger;
  signal?: AbortSignal;
}

export function openAccountPool(config: Config, deps: OpenPoolDeps): AccountPool {
  if (config.telegram.accounts) return createAccountPool(config, { store: deps.mainStore, clock: deps.clock, logger: deps.logger });
  return new SingleAccountPool({
    openDriver: deps.openDriver,
    leases: deps.mainStore,
    leaseName: sessionLeaseName(config.telegram.session),
    clock: deps.clock,
    logger: deps.logger,
    signal: deps.signal,
  });
}
