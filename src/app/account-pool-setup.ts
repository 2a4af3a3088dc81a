/**
 * The account pool as the app builds it from config: `telegram.accounts` (or the single `telegram.session` as one
 * account named `default`), one flood budget from `telegram.budget`, a GramjsDriver per account on its own
 * session and API app, and the account leases in the main store.
 */
import { isAbsolute, resolve } from 'node:path';
import type { Clock, PeerCacheStore, SessionLeaseStore } from '../core/ports.js';
import { TgCanaryError } from '../core/errors.js';
import type { Config } from '../config/index.js';
import { MultiAccountPool, type PoolAccountSpec } from '../fleet/account-pool.js';
import { isProgressText } from '../runner/progress.js';
import { createTelegramClient } from '../telegram/client-factory.js';
import { GramjsDriver } from '../telegram/driver.js';
import { FloodBudget } from '../telegram/flood-budget.js';
import type { Logger } from '../util/logger.js';
import { processOwner } from '../util/process-owner.js';
import { MAX_SECRET_FILE_BYTES, readInputFile } from '../util/read-input-file.js';
import { sessionLeaseName } from './telegram-session.js';

/** The name the single `telegram.session` gets as an account. */
export const DEFAULT_ACCOUNT = 'default';

/** The flood budget `telegram.budget` describes. */
export function budgetFromConfig(config: Config): FloodBudget {
  const b = config.telegram.budget;
  return new FloodBudget({ send: b.send, read: b.read, other: b.other, resolve: { perMinute: b.resolvePerMinute } });
}

/** The configured accounts with their sessions (files read now); errors name the field and the fix. */
export function poolAccounts(config: Config, cwd: string = process.cwd(), shard?: readonly string[]): PoolAccountSpec[] {
  const list = config.telegram.accounts;
  if (!list) return [{ name: DEFAULT_ACCOUNT, session: config.telegram.session }];
  return list.map((a, i) => {
    let session = a.session;
    // Another shard's account counts for the assignment only: its session file is that shard's (not mounted here).
    const mine = shard === undefined || shard.includes(a.name);
    if (session === undefined && a.sessionFile !== undefined && mine) {
      const field = `telegram.accounts[${i}].sessionFile`;
      try {
        session = readInputFile(isAbsolute(a.sessionFile) ? a.sessionFile : resolve(cwd, a.sessionFile), { maxBytes: MAX_SECRET_FILE_BYTES, what: field, shown: a.sessionFile }).replace(/\r?\n$/, '');
      } catch (e) {
        throw new TgCanaryError('CONFIG_INVALID', `${field} (account ${a.name}): cannot read ${JSON.stringify(a.sessionFile)}: ${e instanceof Error ? e.message : String(e)}`, {
          kind: 'config',
          hint: `point ${field} at the file \`tg-canary login --account ${a.name}\` wrote, or give the session inline`,
          cause: e,
        });
      }
    }
    return { name: a.name, session: session ?? '', apiId: a.apiId, apiHash: a.apiHash };
  });
}

export interface AccountPoolSetup {
  store: SessionLeaseStore & PeerCacheStore;
  clock: Clock;
  logger: Logger;
  /** Overrides `telegram.shard` (the `--accounts` flag). */
  shard?: readonly string[];
  cwd?: string;
}

export function createAccountPool(config: Config, s: AccountPoolSetup): MultiAccountPool {
  const t = config.telegram;
  return new MultiAccountPool({
    accounts: poolAccounts(config, s.cwd, s.shard ?? t.shard),
    shard: s.shard ?? t.shard,
    leases: s.store,
    leaseName: sessionLeaseName,
    holder: processOwner(),
    clock: s.clock,
    logger: s.logger,
    budget: budgetFromConfig(config),
    drainAfterSec: t.budget.drainAfterSec,
    createDriver: (account, budget) => new GramjsDriver({
      client: createTelegramClient({
        session: account.session,
        apiId: account.apiId ?? t.apiId,
        apiHash: account.apiHash ?? t.apiHash,
        dc: t.dc,
        connection: t.connection,
        floodSleepThreshold: 0,
        logLevel: 'none',
      }),
      clock: s.clock,
      logger: s.logger.child({ account: account.name }),
      rpcTimeoutMs: t.rpcTimeoutMs,
      pacingMs: t.pacingMs,
      floodBudgetMs: t.floodSleepThresholdSec * 1000,
      isProgress: isProgressText,
      peerCache: s.store,
      floodBudget: budget,
      budgetAccount: account.name,
    }),
  });
}
