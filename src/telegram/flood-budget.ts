/**
 * One flood budget per Telegram account (issue 19 point 2): a token bucket per method family (sends, reads,
 * resolves, other), shared by every chat the account drives at once. Telegram's limits are per account, so a
 * FLOOD_WAIT_X (or SLOWMODE_WAIT_X, FLOOD_PREMIUM_WAIT_X) on any call pauses that family for the whole account
 * for X s: every chat of the account waits, none keeps hammering. The resolve family keeps the per-account
 * resolveUsername limit (at most N lookups in any 60 s, `resolve-limiter.ts`) instead of a second limiter.
 * Live figures (tokens left, calls, waits) come from `snapshot()` for /metrics; nothing here knows prom-client.
 */
import type { Clock } from '../core/ports.js';
import { TgCanaryError } from '../core/errors.js';
import { ResolveLimiter } from './resolve-limiter.js';

export const METHOD_FAMILIES = ['send', 'read', 'resolve', 'other'] as const;
export type MethodFamily = (typeof METHOD_FAMILIES)[number];

/** A token bucket: up to `burst` calls at once, refilled at `perMinute`. */
export interface BucketLimit {
  burst: number;
  perMinute: number;
}

export type FloodBudgetLimits = Record<Exclude<MethodFamily, 'resolve'>, BucketLimit> & { resolve: { perMinute: number } };

/**
 * Documented defaults (README, Fleets): sends about one a second sustained (Telegram's private-chat pace
 * for bots), with a burst for the first prompts of a cycle; reads and other calls twice that.
 */
export const DEFAULT_BUDGET_LIMITS: FloodBudgetLimits = {
  send: { burst: 20, perMinute: 60 },
  read: { burst: 30, perMinute: 120 },
  resolve: { perMinute: 10 },
  other: { burst: 30, perMinute: 120 },
};

/** Which family a Telegram method belongs to (`messages.SendMessage`, `contacts.resolveUsername(x)`, …). */
export function methodFamily(method: string): MethodFamily {
  const m = method.replace(/\(.*$/, '').toLowerCase();
  if (/^messages\.(sendmessage|sendmedia|sendmultimedia|forwardmessages|editmessage|sendinlinebotresult|sendreaction|getbotcallbackanswer)$/.test(m)) return 'send';
  if (/^(messages\.(gethistory|getmessages|search|getpeerdialogs|getdialogs)|updates\.(getdifference|getstate|getchanneldifference)|channels\.getmessages)$/.test(m)) return 'read';
  if (/^contacts\.(resolveusername|resolvephone|search)$/.test(m)) return 'resolve';
  return 'other';
}

/** Seconds of a FLOOD_WAIT_X / FLOOD_PREMIUM_WAIT_X / SLOWMODE_WAIT_X error, if it is one. */
export function floodWaitSeconds(e: unknown): number | undefined {
  const cause = e instanceof TgCanaryError && e.cause !== undefined ? e.cause : e;
  const x = cause as { errorMessage?: unknown; seconds?: unknown } | undefined;
  if (typeof x?.errorMessage !== 'string' || !/^(FLOOD_(PREMIUM_)?WAIT|SLOWMODE_WAIT)/.test(x.errorMessage)) return undefined;
  if (typeof x.seconds === 'number') return x.seconds;
  const n = Number(/(\d+)$/.exec(x.errorMessage)?.[1]);
  return Number.isFinite(n) ? n : undefined;
}

/** One account × family, for /metrics and the status page. */
export interface BudgetFigures {
  account: string;
  family: MethodFamily;
  /** Tokens left now (resolve: lookups left in the current 60 s window). */
  tokens: number;
  capacity: number;
  calls: number;
  /** Flood waits Telegram gave this family, and their seconds in total. */
  floodWaits: number;
  floodWaitSeconds: number;
  /** Epoch ms the family is paused until, when paused. */
  pausedUntil?: number;
}

/** A flood wait seen on an account (the account pool drains an account whose wait is too long). */
export interface FloodEvent {
  account: string;
  family: MethodFamily;
  seconds: number;
  method: string;
}

interface Bucket {
  tokens: number;
  at: number;
  pausedUntil: number;
  calls: number;
  floodWaits: number;
  floodWaitSeconds: number;
  /** Callers of this bucket go in order. */
  queue: Promise<void>;
}

export class FloodBudget {
  private readonly buckets = new Map<string, Bucket>();
  private readonly listeners = new Set<(e: FloodEvent) => void>();
  readonly limits: FloodBudgetLimits;
  readonly resolveLimiter: ResolveLimiter;

  constructor(limits: Partial<FloodBudgetLimits> = {}, resolveLimiter?: ResolveLimiter) {
    this.limits = { ...DEFAULT_BUDGET_LIMITS, ...limits };
    for (const f of ['send', 'read', 'other'] as const) {
      const l = this.limits[f];
      if (!(l.burst >= 1) || !(l.perMinute > 0)) throw new RangeError(`budget of ${f}: burst must be >= 1 and perMinute > 0`);
    }
    this.resolveLimiter = resolveLimiter ?? new ResolveLimiter(this.limits.resolve.perMinute);
  }

  /** Called on every flood wait any account reports; returns an unsubscribe function. */
  onFlood(fn: (e: FloodEvent) => void): () => void {
    this.listeners.add(fn);
    return () => void this.listeners.delete(fn);
  }

  /**
   * Waits for the family's pause (if any) and a token, then counts the call. `deadline` (epoch ms): a wait that
   * would end after it throws TG_FLOOD_WAIT at once (infrastructure, inconclusive) instead of sleeping.
   */
  take(account: string, family: MethodFamily, clock: Clock, deadline = Infinity): Promise<void> {
    const b = this.bucket(account, family, clock.now());
    const mine = b.queue.then(() => this.wait(account, family, b, clock, deadline));
    b.queue = mine.catch(() => undefined);
    return mine;
  }

  /** A flood wait of `seconds` on `method`: the family pauses for the whole account. */
  pause(account: string, method: string, seconds: number, now: number): void {
    const family = methodFamily(method);
    const b = this.bucket(account, family, now);
    b.pausedUntil = Math.max(b.pausedUntil, now + seconds * 1000);
    b.floodWaits += 1;
    b.floodWaitSeconds += seconds;
    for (const l of this.listeners) l({ account, family, seconds, method });
  }

  /** Epoch ms until which the family is paused for the account (0: not paused). */
  pausedUntil(account: string, family: MethodFamily): number {
    return this.buckets.get(key(account, family))?.pausedUntil ?? 0;
  }

  snapshot(now: number, accounts?: readonly string[]): BudgetFigures[] {
    const out: BudgetFigures[] = [];
    for (const [k, b] of this.buckets) {
      const [account, family] = splitKey(k);
      if (accounts && !accounts.includes(account)) continue;
      let tokens: number;
      let capacity: number;
      if (family === 'resolve') {
        capacity = this.resolveLimiter.perMinute;
        tokens = Math.max(0, capacity - this.resolveLimiter.recent(account, now));
      } else {
        this.refill(b, family, now);
        capacity = this.limits[family].burst;
        tokens = Math.floor(b.tokens * 1000) / 1000;
      }
      out.push({
        account, family, tokens, capacity, calls: b.calls, floodWaits: b.floodWaits, floodWaitSeconds: b.floodWaitSeconds,
        pausedUntil: b.pausedUntil > now ? b.pausedUntil : undefined,
      });
    }
    return out;
  }

  private async wait(account: string, family: MethodFamily, b: Bucket, clock: Clock, deadline: number): Promise<void> {
    for (;;) {
      const now = clock.now();
      if (b.pausedUntil > now) {
        if (b.pausedUntil > deadline) throw pausedError(account, family, b.pausedUntil - now);
        await clock.sleep(b.pausedUntil - now);
        continue;
      }
      if (family === 'resolve') {
        await this.resolveLimiter.acquire(account, clock);
        if (b.pausedUntil > clock.now()) continue;
        b.calls += 1;
        return;
      }
      this.refill(b, family, now);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        b.calls += 1;
        return;
      }
      const ms = Math.ceil(((1 - b.tokens) * 60_000) / this.limits[family].perMinute);
      if (now + ms > deadline) throw budgetError(account, family, ms);
      await clock.sleep(ms);
    }
  }

  private refill(b: Bucket, family: Exclude<MethodFamily, 'resolve'>, now: number): void {
    const l = this.limits[family];
    if (now > b.at) b.tokens = Math.min(l.burst, b.tokens + ((now - b.at) * l.perMinute) / 60_000);
    b.at = Math.max(b.at, now);
  }

  private bucket(account: string, family: MethodFamily, now: number): Bucket {
    const k = key(account, family);
    let b = this.buckets.get(k);
    if (!b) {
      const burst = family === 'resolve' ? this.limits.resolve.perMinute : this.limits[family].burst;
      b = { tokens: burst, at: now, pausedUntil: 0, calls: 0, floodWaits: 0, floodWaitSeconds: 0, queue: Promise.resolve() };
      this.buckets.set(k, b);
    }
    return b;
  }
}

function key(account: string, family: MethodFamily): string {
  return `${family}\u0000${account}`;
}

function splitKey(k: string): [string, MethodFamily] {
  const i = k.indexOf('\u0000');
  return [k.slice(i + 1), k.slice(0, i) as MethodFamily];
}

function pausedError(account: string, family: MethodFamily, ms: number): TgCanaryError {
  return new TgCanaryError('TG_FLOOD_WAIT', `Telegram paused the ${family} calls of test account ${account} for ${Math.ceil(ms / 1000)} s more (FLOOD_WAIT), past this call's deadline`, {
    kind: 'infra',
    hint: 'A flood wait slows the whole account; the run is inconclusive, not a bot failure. Add test accounts (telegram.accounts) or run less often.',
  });
}

function budgetError(account: string, family: MethodFamily, ms: number): TgCanaryError {
  return new TgCanaryError('TG_FLOOD_WAIT', `The ${family} budget of test account ${account} needs ${ms} ms for the next call, past its deadline`, {
    kind: 'infra',
    hint: 'Raise telegram.budget for this family, add test accounts (telegram.accounts), or run fewer pairs per cycle. Not a bot failure.',
  });
}

const UNMETERED: BucketLimit = { burst: Number.POSITIVE_INFINITY, perMinute: Number.POSITIVE_INFINITY };

/**
 * A budget without token buckets: flood waits still pause a family for the account and the resolve family keeps
 * its per-minute limit, but sends and reads are paced only by the driver's `pacingMs`. The classic one-pair run
 * uses it (its behaviour is unchanged); an account pool takes `telegram.budget`.
 */
export function unmeteredFloodBudget(resolveLimiter: ResolveLimiter): FloodBudget {
  return new FloodBudget({ send: UNMETERED, read: UNMETERED, other: UNMETERED, resolve: { perMinute: resolveLimiter.perMinute } }, resolveLimiter);
}
