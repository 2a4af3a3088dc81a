/**
 * The seam between the fleet runner (many bot pairs per cycle) and the accounts that talk to the bots.
 * A pool hands out one connected, shared driver per account per cycle; chats with different bots run on it at the
 * same time (one account, one pacing and flood budget), one chat never twice at once. The single-account pool
 * (`single-account-pool.ts`) serves the classic one-session config; the multi-account pool (`account-pool.ts`)
 * shards pairs over several sessions, leases each account and drains an account that got a long flood wait or was
 * revoked.
 */
import type { BotDriver } from '../core/ports.js';

/** Why an account stopped serving: a flood wait longer than the pool tolerates, or a revoked/banned session. */
export type AccountFault =
  | { kind: 'flood-wait'; seconds: number; method?: string }
  | { kind: 'revoked'; code: string }
  | { kind: 'error'; code: string };

export type AccountState = 'ready' | 'busy' | 'draining' | 'drained' | 'lease-held';

export interface AccountHealth {
  /** The account's name from the config (never its session string). */
  account: string;
  state: AccountState;
  /** Pairs assigned to it this cycle. */
  pairs: string[];
  /** Epoch ms until which it is drained (a flood wait), when drained. */
  drainedUntil?: number;
  /** The last fault, for the status page (code only; no secrets). */
  lastFault?: string;
}

/** One account's connected session for one cycle. */
export interface AccountSession {
  readonly account: string;
  /**
   * A driver for one pair's run on this account's shared connection: `connect` resolves that pair's bots (the
   * connection is already up), `close` only ends the pair's use; the connection closes with `release`.
   */
  driverFor(pair: string): BotDriver;
  /** Reports a fault seen while running on this account (the pool drains it when it must). */
  report(fault: AccountFault): void;
  /** Ends the cycle's use of the account: closes the connection and gives the lease back. */
  release(): Promise<void>;
}

export interface AccountPool {
  /** Account names in config order. */
  readonly accounts: readonly string[];
  /**
   * Which account serves each pair this cycle. Stable: a pair keeps its account while that account is healthy
   * (memory checks stay in one chat); a drained account's pairs move to the others. A pair with no healthy account
   * left is absent from the map (its run is inconclusive: no account, not the canary's fault).
   */
  assign(pairs: readonly string[]): Map<string, string>;
  /**
   * Pairs another process's shard of accounts serves (`telegram.shard`): this process leaves them out of its cycle
   * instead of reporting them without an account. Absent: every pair is this process's.
   */
  outOfShard?(pairs: readonly string[]): string[];
  /** Connects an account (taking its lease) for this cycle; `bots`: every username its pairs will talk to. */
  open(account: string, bots: readonly string[]): Promise<AccountSession>;
  health(): AccountHealth[];
  close(): Promise<void>;
}
