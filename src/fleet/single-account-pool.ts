/**
 * The account pool of the classic one-session config: one account (`default`), one shared connection per cycle,
 * the session lease in the main store (`paths.db`, beside the peer cache), one driver view per pair on that
 * connection. A revoked session (or a flood wait longer than the driver sleeps through) drains the account until
 * the wait is over: its pairs are then unassigned, so their runs are stored inconclusive (no account), never failed.
 * The multi-account pool (src/fleet/account-pool.ts, `telegram.accounts`) replaces it; the choice is in
 * src/app/open-pool.ts.
 */
import type { BotDriver, Clock, SessionLeaseStore } from '../core/ports.js';
import { TgCanaryError } from '../core/errors.js';
import type { Logger } from '../util/logger.js';
import { ownerIsDead, processOwner } from '../util/process-owner.js';
import type { AccountFault, AccountHealth, AccountPool, AccountSession, AccountState } from './account-pool-port.js';
import { driverView } from './driver-view.js';

export const SINGLE_ACCOUNT = 'default';

const LEASE_TTL_MS = 5 * 60_000;
const RENEW_MS = 60_000;
/** A revoked session stays drained this long (a new login needs a restart with a new session anyway). */
const REVOKED_DRAIN_MS = 24 * 3_600_000;

export interface SingleAccountPoolOptions {
  /** A new, unconnected driver on the config's session (createSessionDriver with the main store's peer cache). */
  openDriver: () => BotDriver;
  /** The main store (`paths.db`): the session lease lives there. */
  leases: SessionLeaseStore;
  leaseName: string;
  clock: Clock;
  logger: Logger;
  /** How long `open` waits for a lease another live process holds (default 30 s). */
  leaseWaitMs?: number;
  signal?: AbortSignal;
}

export class SingleAccountPool implements AccountPool {
  readonly accounts: readonly string[] = [SINGLE_ACCOUNT];
  private state: AccountState = 'ready';
  private pairs: string[] = [];
  private drainedUntil?: number;
  private lastFault?: string;
  private session?: AccountSession;

  constructor(private readonly o: SingleAccountPoolOptions) {}

  assign(pairs: readonly string[]): Map<string, string> {
    const now = this.o.clock.now();
    if (this.drainedUntil !== undefined && now >= this.drainedUntil) {
      this.drainedUntil = undefined;
      this.state = 'ready';
    }
    const out = new Map<string, string>();
    this.pairs = this.drainedUntil === undefined ? [...pairs] : [];
    for (const p of this.pairs) out.set(p, SINGLE_ACCOUNT);
    return out;
  }

  async open(account: string, bots: readonly string[]): Promise<AccountSession> {
    if (account !== SINGLE_ACCOUNT) throw new TgCanaryError('INTERNAL_UNKNOWN_ACCOUNT', `no account named ${JSON.stringify(account)}`, { kind: 'internal' });
    if (this.session) throw new TgCanaryError('INTERNAL_UNKNOWN_ACCOUNT', 'the account is already open for this cycle', { kind: 'internal' });
    const holder = `${processOwner()}:fleet:${this.o.clock.now()}`;
    await this.acquireLease(holder);
    const driver = this.o.openDriver();
    try {
      await driver.connect({ bots });
    } catch (e) {
      this.releaseLease(holder);
      await driver.close().catch(() => undefined);
      if (e instanceof TgCanaryError) this.noteConnectFault(e);
      throw e;
    }
    this.state = 'busy';
    const renew = setInterval(() => {
      try {
        this.o.leases.renewLease(this.o.leaseName, holder, LEASE_TTL_MS);
      } catch (err) {
        this.o.logger.warn({ err: String(err) }, 'could not renew the session lease');
      }
    }, RENEW_MS);
    renew.unref();
    let released = false;
    const session: AccountSession = {
      account,
      driverFor: () => driverView(driver),
      report: (fault) => this.report(fault),
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(renew);
        this.session = undefined;
        try {
          await driver.close();
        } finally {
          this.releaseLease(holder);
          if (this.state === 'busy') this.state = 'ready';
        }
      },
    };
    this.session = session;
    return session;
  }

  health(): AccountHealth[] {
    const h: AccountHealth = { account: SINGLE_ACCOUNT, state: this.state, pairs: [...this.pairs] };
    if (this.drainedUntil !== undefined) h.drainedUntil = this.drainedUntil;
    if (this.lastFault !== undefined) h.lastFault = this.lastFault;
    return [h];
  }

  async close(): Promise<void> {
    await this.session?.release();
  }

  private report(fault: AccountFault): void {
    const now = this.o.clock.now();
    if (fault.kind === 'flood-wait') {
      this.lastFault = `FLOOD_WAIT ${fault.seconds}s${fault.method ? ` on ${fault.method}` : ''}`;
      this.drainedUntil = Math.max(this.drainedUntil ?? 0, now + fault.seconds * 1000);
    } else {
      this.lastFault = fault.code;
      if (fault.kind === 'revoked') this.drainedUntil = now + REVOKED_DRAIN_MS;
    }
    if (this.drainedUntil !== undefined) {
      this.state = 'drained';
      this.o.logger.warn({ account: SINGLE_ACCOUNT, fault: this.lastFault, until: new Date(this.drainedUntil).toISOString() }, 'account drained');
    }
  }

  private noteConnectFault(e: TgCanaryError): void {
    if (e.code === 'TG_SESSION_INVALID' || e.code === 'TG_AUTH_KEY_DUPLICATED') this.report({ kind: 'revoked', code: e.code });
    else if (e.code === 'SESSION_LEASE_HELD') this.state = 'lease-held';
    else this.lastFault = e.code;
  }

  private async acquireLease(holder: string): Promise<void> {
    const deadline = this.o.clock.now() + (this.o.leaseWaitMs ?? 30_000);
    let told = false;
    for (;;) {
      if (this.o.leases.acquireLease(this.o.leaseName, holder, LEASE_TTL_MS, (h) => ownerIsDead(h))) return;
      if (!told) {
        told = true;
        this.o.logger.info({ lease: this.o.leaseName }, 'waiting for the session lease held by another tg-canary process');
      }
      if (this.o.clock.now() >= deadline || this.o.signal?.aborted) {
        this.state = 'lease-held';
        throw new TgCanaryError('SESSION_LEASE_HELD', 'another tg-canary process is using this Telegram session', {
          kind: 'infra',
          hint: 'Two processes on one session risk AUTH_KEY_DUPLICATED. Wait for the other run, or give each deployment its own session (`tg-canary login`).',
        });
      }
      await this.o.clock.sleep(500, this.o.signal).catch(() => undefined);
    }
  }

  private releaseLease(holder: string): void {
    try {
      this.o.leases.releaseLease(this.o.leaseName, holder);
    } catch (e) {
      this.o.logger.warn({ err: String(e) }, 'could not release the session lease');
    }
  }
}
