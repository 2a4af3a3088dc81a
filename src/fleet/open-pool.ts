/**
 * The one place that picks the account pool of a fleet cycle: the config's one session (SingleAccountPool) today;
 * the multi-account pool (src/fleet/account-pool.ts) when `telegram.accounts` is set.
 */
import type { BotDriver, Clock, SessionLeaseStore } from '../core/ports.js';
import type { Config } from '../config/index.js';
import { sessionLeaseName } from '../app/telegram-session.js';
import type { Logger } from '../util/logger.js';
import type { AccountPool } from './account-pool-port.js';
import { SingleAccountPool } from './single-account-pool.js';

export interface OpenPoolDeps {
  /** The main store (`paths.db`): leases (and, through `openDriver`, the peer cache). */
  mainStore: SessionLeaseStore;
  /** A new driver on the config's session (the runtime's factory). */
  openDriver: () => BotDriver;
  clock: Clock;
  logger: Logger;
  signal?: AbortSignal;
}

export function openAccountPool(config: Config, deps: OpenPoolDeps): AccountPool {
  return new SingleAccountPool({
    openDriver: deps.openDriver,
    leases: deps.mainStore,
    leaseName: sessionLeaseName(config.telegram.session),
    clock: deps.clock,
    logger: deps.logger,
    signal: deps.signal,
  });
}
