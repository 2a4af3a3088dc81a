/**
 * Sends an alert from the test user's own session (TELEGRAM_ALERT_PEER). Outside a run the session is not
 * connected, so this connects briefly, under the same session lease as a run, and disconnects.
 */
import type { Clock, SessionLeaseStore } from '../core/ports.js';
import { TgCanaryError } from '../core/errors.js';
import type { Config } from '../config/index.js';
import { createSessionDriver, sessionLeaseName } from './telegram-session.js';
import { ownerIsDead, processOwner } from '../util/process-owner.js';
import type { Logger } from '../util/logger.js';

export function createTelegramUserSend(config: Config, store: SessionLeaseStore, clock: Clock, logger: Logger): (peer: string, html: string) => Promise<void> {
  return async (peer, html) => {
    const lease = sessionLeaseName(config.telegram.session);
    const holder = `${processOwner()}:alert`;
    if (!store.acquireLease(lease, holder, 60_000, (h) => ownerIsDead(h))) {
      throw new TgCanaryError('SESSION_LEASE_HELD', 'the Telegram session is in use by a run; the alert will be retried', { kind: 'infra' });
    }
    const driver = createSessionDriver(config, clock, logger, { pacingMs: 0 });
    try {
      await driver.connect();
      await driver.sendTo(peer, html, true);
    } finally {
      await driver.close();
      store.releaseLease(lease, holder);
    }
  };
}
