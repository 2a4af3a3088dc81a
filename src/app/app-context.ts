import type { Clock, OperationsStore, RunStore } from '../core/ports.js';
import type { Config } from '../config/index.js';
import type { Logger } from '../util/logger.js';

/** What every long-lived part of the app is built from (the composition root's inputs). */
export interface AppContext {
  config: Config;
  store: RunStore & OperationsStore;
  clock: Clock;
  logger: Logger;
  version: string;
  /** When this process started (uptime on the status page and status.json). */
  processStartedAt: number;
}
