/**
 * The composition root: `buildRuntime(config, overrides)` picks the adapters every command and the daemon run on
 * (the SQLite store, the Telegram driver factory, the clock, the Chromium web runner, the logger, deliveries).
 * CLI commands build one and call app/ functions with it; tests pass overrides (a scripted driver, a test clock, a
 * store they opened) instead of switches in production code.
 */
import type { BotDriver, Clock } from '../core/ports.js';
import { systemClock } from '../core/clock.js';
import type { Config } from '../config/index.js';
import { storeLocation } from '../config/store-location.js';
import { openStore, type SqlRunStore } from '../store/index.js';
import { createWebRunner, type WebRunner } from '../browser/web-step.js';
import { createLogger, type Logger } from '../util/logger.js';
import { createSessionDriver } from './telegram-session.js';
import { createDeliveries, type Deliveries } from './deliveries.js';
import type { AppContext } from './app-context.js';

/** A new, unconnected driver for one run (the run connects and closes it). */
export type DriverFactory = () => BotDriver;
/** A web runner for one run's `web:` steps; screenshots go into the run's report folder. */
export type WebRunnerFactory = (opts: { screenshotDir: string }) => WebRunner;

/** The adapters a run job needs besides the store, clock and logger. */
export interface RunAdapters {
  openDriver: DriverFactory;
  openWebRunner: WebRunnerFactory;
}

export interface Runtime extends AppContext, RunAdapters {
  /** The outbox-backed deliveries (status pushes, alerts), built on first use from the existing builders. */
  deliveries(): Deliveries;
  /** Closes what this runtime opened (an injected store stays open: its owner closes it). */
  close(): void;
}

export interface RuntimeOverrides {
  /** A store the caller opened (and closes); default: PostgreSQL at `paths.databaseUrl`, else the SQLite file at `paths.db`. */
  store?: SqlRunStore;
  /** How the default store is opened: `readonly` for the commands that only read history. */
  storeMode?: 'readwrite' | 'readonly';
  clock?: Clock;
  logger?: Logger;
  openDriver?: DriverFactory;
  openWebRunner?: WebRunnerFactory;
  /** How the test user's session sends an alert (TELEGRAM_ALERT_PEER); default connects briefly. */
  telegramUserSend?: (peer: string, html: string) => Promise<void>;
  version?: string;
  processStartedAt?: number;
}

export function buildRuntime(config: Config, overrides: RuntimeOverrides = {}): Runtime {
  const clock = overrides.clock ?? systemClock;
  const logger = overrides.logger ?? createLogger({ level: config.logLevel });
  const ownStore = overrides.store === undefined;
  const store = overrides.store ?? openStore(storeLocation(config.paths), { readonly: overrides.storeMode === 'readonly', pgSchema: config.paths.pgSchema });
  const ctx: AppContext = {
    config,
    store,
    clock,
    logger,
    version: overrides.version ?? '0.0.0',
    processStartedAt: overrides.processStartedAt ?? clock.now(),
  };
  let deliveries: Deliveries | undefined;
  let closed = false;
  return {
    ...ctx,
    openDriver: overrides.openDriver ?? (() => createSessionDriver(config, clock, logger, { peerCache: store })),
    openWebRunner: overrides.openWebRunner ?? ((o) => createWebRunner({ chromiumPath: config.paths.chromium, screenshotDir: o.screenshotDir })),
    deliveries() {
      deliveries ??= createDeliveries({ ...ctx, telegramUserSend: overrides.telegramUserSend });
      return deliveries;
    },
    close() {
      if (closed) return;
      closed = true;
      if (ownStore) store.close();
    },
  };
}
