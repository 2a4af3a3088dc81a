/**
 * The multi-account pool (issue 19 point 4): several logged-in test users, each behind its own lease in the main
 * store (two pods never drive one account), one shared connection and flood budget per account per cycle, and a
 * stable assignment of pairs to accounts by rendezvous hashing (src/fleet/rendezvous.ts).
 *
 * Drain rules: a flood wait longer than `drainAfterSec` on any call of an account drains it until the wait ends
 * (the drain is also written to the store as a `drain:<account>` lease, so other shards see it); a revoked or
 * banned session (AUTH_KEY_UNREGISTERED, SESSION_REVOKED, USER_DEACTIVATED, AUTH_KEY_DUPLICATED …) drains it
 * until the process restarts with a new config. A drained account's pairs go to the remaining accounts by the
 * same hashing; a pair with no healthy account left gets none (its run is inconclusive, never a fail).
 *
 * Shards (`telegram.shard`, `--accounts`, TG_CANARY_ACCOUNTS): the assignment is always computed over all
 * configured accounts; this process opens only its own and runs only the pairs they win, so shards never overlap.
 */
import type { BotDriver, Clock, SessionLeaseStore } from '../core/ports.js';
import { TgCanaryError } from '../core/errors.js';
import type { FloodBudget } from '../telegram/flood-budget.js';
import type { Logger } from '../util/logger.js';
import { ownerIsDead } from '../util/process-owner.js';
import type { AccountFault, AccountHealth, AccountPool, AccountSession, AccountState } from './account-pool-port.js';
import { registerAccountTelemetry } from './account-telemetry.js';
import { rendezvousOwner } from './rendezvous.js';
import { driverView } from './driver-view.js';

/** One account as the pool needs it (the session never leaves the pool: health and metrics carry the name). */
export interface PoolAccountSpec {
  name: string;
  session: string;
  apiId?: number;
  apiHash?: string;
}

export interface AccountPoolOptions {
  accounts: readonly PoolAccountSpec[];
  /** The accounts this process drives (a shard); default all. */
  shard?: readonly string[];
  leases: SessionLeaseStore;
  /** The lease name of a session (src/app/telegram-session.ts sessionLeaseName: a hash, never the session). */
  leaseName(session: string): string;
  /** This process (util/process-owner.ts). */
  holder: string;
  clock: Clock;
  logger: Logger;
  /** One budget for the pool: each account has its own buckets in it (keyed by the account's name). */
  budget: FloodBudget;
  /** A flood wait longer than this drains the account (telegram.budget.drainAfterSec). */
  drainAfterSec: number;
  /** A driver for the account's connection, taking `budget` with the account's name. */
  createDriver(account: PoolAccountSpec, budget: FloodBudget): BotDriver;
  leaseTtlMs?: number;
}

/** Telegram errors that mean the session is gone for good (until someone logs in again). */
const REVOKED = new Set(['AUTH_KEY_UNREGISTERED', 'AUTH_KEY_INVALID', 'SESSION_REVOKED', 'SESSION_EXPIRED', 'USER_DEACTIVATED', 'USER_DEACTIVATED_BAN', 'AUTH_KEY_DUPLICATED']);

const DEFAULT_LEASE_TTL_MS = 120_000;
/**
 * How long a revoked session stays drained in the store (`revoked:<account>`, held by the session's hash): a new
 * login (another session) clears it at once; otherwise the account is tried again after this.
 */
const REVOKED_TTL_MS = 7 * 86_400_000;

interface AccountRec {
  spec: PoolAccountSpec;
  pairs: string[];
  drainedUntil?: number;
  revoked?: string;
  lastFault?: string;
  leaseHeld?: boolean;
  open?: OpenAccount;
}

interface OpenAccount {
  driver: BotDriver;
  renew?: ReturnType<typeof setInterval>;
  released: boolean;
}

export class MultiAccountPool implements AccountPool {
  readonly accounts: readonly string[];
  private readonly recs = new Map<string, AccountRec>();
  private readonly shard: ReadonlySet<string>;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(private readonly o: AccountPoolOptions) {
    if (o.accounts.length === 0) throw new RangeError('an account pool needs at least one account');
    this.accounts = o.accounts.map((a) => a.name);
    for (const a of o.accounts) this.recs.set(a.name, { spec: a, pairs: [] });
    for (const s of o.shard ?? []) {
      if (!this.recs.has(s)) {
        throw new TgCanaryError('FLEET_ACCOUNT_UNKNOWN', `--accounts / TG_CANARY_ACCOUNTS names ${s}, which is not in telegram.accounts (${this.accounts.join(', ')})`, {
          kind: 'config',
          hint: 'name accounts from telegram.accounts, separated by commas',
        });
      }
    }
    this.shard = new Set(o.shard && o.shard.length > 0 ? o.shard : this.accounts);
    this.unsubscribe.push(o.budget.onFlood((e) => {
      if (this.recs.has(e.account)) this.report(e.account, { kind: 'flood-wait', seconds: e.seconds, method: e.method });
    }));
    this.unsubscribe.push(registerAccountTelemetry(() => ({
      health: this.health(),
      budget: o.budget.snapshot(o.clock.now(), [...this.shard]),
    })));
  }

  /** The accounts this process drives. */
  get local(): readonly string[] {
    return this.accounts.filter((a) => this.shard.has(a));
  }

  assign(pairs: readonly string[]): Map<string, string> {
    const healthy = this.accounts.filter((a) => this.healthy(a));
    for (const r of this.recs.values()) r.pairs = [];
    const out = new Map<string, string>();
    for (const p of pairs) {
      const owner = rendezvousOwner(p, healthy);
      if (owner === undefined || !this.shard.has(owner)) continue;
      out.set(p, owner);
      this.recs.get(owner)?.pairs.push(p);
    }
    return out;
  }

  /**
   * Pairs another shard runs (their winning account is not one of this process's): the runner leaves them out
   * instead of reporting them without an account. Pairs with no healthy account at all are not among them.
   */
  outOfShard(pairs: readonly string[]): string[] {
    const healthy = this.accounts.filter((a) => this.healthy(a));
    return pairs.filter((p) => {
      const owner = rendezvousOwner(p, healthy);
      return owner !== undefined && !this.shard.has(owner);
    });
  }

  async open(account: string, bots: readonly string[]): Promise<AccountSession> {
    const rec = this.recs.get(account);
    if (!rec || !this.shard.has(account)) {
      throw new TgCanaryError('FLEET_ACCOUNT_UNKNOWN', `account ${account} is not one this process drives`, { kind: 'config' });
    }
    if (!this.healthy(account)) {
      throw new TgCanaryError('FLEET_NO_ACCOUNT', `test account ${account} is drained (${rec.lastFault ?? 'unhealthy'})`, { kind: 'infra' });
    }
    if (rec.open && !rec.open.released) throw new TgCanaryError('INTERNAL_UNRESOLVED_BOT', `account ${account} is already open this cycle`, { kind: 'internal' });
    const ttl = this.o.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
    const lease = this.o.leaseName(rec.spec.session);
    if (!this.o.leases.acquireLease(lease, this.o.holder, ttl, (h) => ownerIsDead(h))) {
      rec.leaseHeld = true;
      throw new TgCanaryError('SESSION_LEASE_HELD', `another tg-canary process is driving test account ${account}`, {
        kind: 'infra',
        hint: 'Two processes on one session risk AUTH_KEY_DUPLICATED: give each shard its own accounts (--accounts).',
      });
    }
    rec.leaseHeld = false;
    const driver = this.o.createDriver(rec.spec, this.o.budget);
    const open: OpenAccount = { driver, released: false };
    try {
      await driver.connect({ bots });
    } catch (e) {
      this.observe(account, e);
      await driver.close().catch(() => undefined);
      this.o.leases.releaseLease(lease, this.o.holder);
      throw e;
    }
    // logged in again with a new session: whatever the store remembers of the revoked one no longer applies
    if (this.o.leases.leaseHolder(revokedLease(account))) {
      const mark = this.sessionMark(rec.spec);
      if (this.o.leases.acquireLease(revokedLease(account), mark, 1, () => true)) this.o.leases.releaseLease(revokedLease(account), mark);
    }
    open.renew = setInterval(() => {
      if (!this.o.leases.renewLease(lease, this.o.holder, ttl)) {
        rec.leaseHeld = true;
        this.o.logger.warn({ account }, 'lost the lease of a test account to another process');
      }
    }, Math.max(1000, Math.floor(ttl / 3)));
    open.renew.unref?.();
    rec.open = open;
    return {
      account,
      driverFor: () => driverView(driver, { observe: (e) => this.observe(account, e) }),
      report: (fault) => this.report(account, fault),
      release: async () => {
        if (open.released) return;
        open.released = true;
        if (open.renew) clearInterval(open.renew);
        await driver.close().catch(() => undefined);
        this.o.leases.releaseLease(lease, this.o.holder);
      },
    };
  }

  health(): AccountHealth[] {
    const now = this.o.clock.now();
    return this.local.map((name) => {
      const r = this.recs.get(name) as AccountRec;
      const until = this.drainedUntil(name, now);
      let state: AccountState = 'ready';
      if (r.revoked !== undefined || until !== undefined) state = r.open && !r.open.released ? 'draining' : 'drained';
      else if (r.leaseHeld) state = 'lease-held';
      else if (r.open && !r.open.released) state = 'busy';
      const h: AccountHealth = { account: name, state, pairs: [...r.pairs] };
      if (until !== undefined) h.drainedUntil = until;
      if (r.lastFault !== undefined) h.lastFault = r.lastFault;
      return h;
    });
  }

  async close(): Promise<void> {
    for (const u of this.unsubscribe.splice(0)) u();
    for (const r of this.recs.values()) {
      if (r.open && !r.open.released) {
        r.open.released = true;
        if (r.open.renew) clearInterval(r.open.renew);
        await r.open.driver.close().catch(() => undefined);
        this.o.leases.releaseLease(this.o.leaseName(r.spec.session), this.o.holder);
      }
    }
  }

  private report(account: string, fault: AccountFault): void {
    const r = this.recs.get(account);
    if (!r) return;
    const now = this.o.clock.now();
    if (fault.kind === 'flood-wait') {
      r.lastFault = `FLOOD_WAIT_${fault.seconds}`;
      if (fault.seconds <= this.o.drainAfterSec) return;
      const until = now + fault.seconds * 1000;
      r.drainedUntil = Math.max(r.drainedUntil ?? 0, until);
      // Other shards (pods sharing the store) see the drain as a lease that expires with the wait.
      this.o.leases.acquireLease(drainLease(account), this.o.holder, until - now);
      this.o.logger.warn({ account, seconds: fault.seconds, method: fault.method }, 'a long flood wait drained a test account; its pairs move to the others until it ends');
    } else if (fault.kind === 'revoked') {
      r.revoked = fault.code;
      r.lastFault = fault.code;
      // Later processes (the next CronJob run, other shards on a shared store) see it too, until a new login.
      this.o.leases.acquireLease(revokedLease(account), this.sessionMark(r.spec), REVOKED_TTL_MS, () => true);
      this.o.logger.error({ account, code: fault.code }, 'a test account session is revoked: drained until it is logged in again (`tg-canary login --account`)');
    } else {
      r.lastFault = fault.code;
    }
  }

  /** Turns an error seen on the account into a fault report (revoked sessions; flood waits come from the budget). */
  private observe(account: string, e: unknown): void {
    if (!(e instanceof TgCanaryError)) return;
    const tg = telegramMessage(e);
    if (e.code === 'TG_SESSION_INVALID' || e.code === 'TG_AUTH_KEY_DUPLICATED' || (tg !== undefined && REVOKED.has(tg))) {
      this.report(account, { kind: 'revoked', code: tg ?? e.code });
    }
  }

  private healthy(account: string): boolean {
    const r = this.recs.get(account);
    if (!r) return false;
    if (this.revokedInStore(r)) return false;
    if (!this.shard.has(account)) return this.drainedUntil(account, this.o.clock.now()) === undefined;
    return r.revoked === undefined && this.drainedUntil(account, this.o.clock.now()) === undefined;
  }

  /** The session's mark in the store: its lease name (a hash, never the session itself); '' for another shard's. */
  private sessionMark(spec: PoolAccountSpec): string {
    return spec.session === '' ? '' : this.o.leaseName(spec.session);
  }

  /** Revoked as the store remembers it: for our own accounts only while the session is the one that was revoked. */
  private revokedInStore(r: AccountRec): boolean {
    const l = this.o.leases.leaseHolder(revokedLease(r.spec.name));
    if (!l) return false;
    const mark = this.sessionMark(r.spec);
    return mark === '' || l.holder === '' || l.holder === mark;
  }

  private drainedUntil(account: string, now: number): number | undefined {
    const r = this.recs.get(account);
    let until = r?.drainedUntil !== undefined && r.drainedUntil > now ? r.drainedUntil : undefined;
    const shared = this.o.leases.leaseHolder(drainLease(account));
    if (shared && shared.expiresAt > now) until = Math.max(until ?? 0, shared.expiresAt);
    return until;
  }
}

function drainLease(account: string): string {
  return `drain:${account}`;
}

function revokedLease(account: string): string {
  return `revoked:${account}`;
}

/** Telegram's own error message behind a mapped error (AUTH_KEY_UNREGISTERED …). */
function telegramMessage(e: TgCanaryError): string | undefined {
  const m = (e.cause as { errorMessage?: unknown } | undefined)?.errorMessage;
  return typeof m === 'string' ? m : undefined;
}
