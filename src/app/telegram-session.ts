/**
 * The test user's Telegram session as the app uses it: the driver built from config, and the name of the lease
 * that keeps two tg-canary processes off one session.
 */
import { createHash } from 'node:crypto';
import type { Clock, PeerCacheStore } from '../core/ports.js';
import type { Config } from '../config/index.js';
import { createTelegramClient } from '../telegram/client-factory.js';
import type { DcRsaKey } from '../telegram/dc-socket.js';
import { GramjsDriver } from '../telegram/driver.js';
import { isProgressText } from '../runner/progress.js';
import type { Logger } from '../util/logger.js';

/** Lease name for a session: a hash, so the session string itself is never stored. */
export function sessionLeaseName(session: string): string {
  return `session:${createHash('sha256').update(session).digest('hex').slice(0, 16)}`;
}

/** The RSA key of a data center other than Telegram's (TG_DC: the sandbox's, set by the CLI), for the fresh DH
 * exchanges of media connections (uploads and downloads run on a temporary key made per connection). */
let dcRsaKey: DcRsaKey | undefined;

export function useDcRsaKey(key: DcRsaKey): void {
  dcRsaKey = key;
}

/** `peerCache`: where resolved bots are kept across runs (the store), so usernames are resolved only on a miss. */
export function createSessionDriver(
  config: Config, clock: Clock, logger: Logger, opts: { pacingMs?: number; peerCache?: PeerCacheStore } = {},
): GramjsDriver {
  return new GramjsDriver({
    client: createTelegramClient({
      session: config.telegram.session,
      apiId: config.telegram.apiId,
      apiHash: config.telegram.apiHash,
      dc: config.telegram.dc && dcRsaKey ? { ...config.telegram.dc, rsaKey: dcRsaKey } : config.telegram.dc,
      connection: config.telegram.connection,
      // The client never sleeps through a flood wait itself: the driver does, inside the send's own deadline.
      floodSleepThreshold: 0,
      logLevel: 'none',
    }),
    clock,
    logger,
    rpcTimeoutMs: config.telegram.rpcTimeoutMs,
    pacingMs: opts.pacingMs ?? config.telegram.pacingMs,
    floodBudgetMs: config.telegram.floodSleepThresholdSec * 1000,
    isProgress: isProgressText,
    peerCache: opts.peerCache,
  });
}
