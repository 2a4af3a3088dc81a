/**
 * A per-account limit on `contacts.resolveUsername` (issue 19 point 3): Telegram's limits are per account and
 * unpublished, and bursts of this call have earned accounts 15–18 h flood waits. At most `perMinute` lookups start
 * in any 60 s window per account; one over the limit waits for a slot (on the given clock) instead of going out.
 * One limiter is shared by every driver of the process (`sharedResolveLimiter`), so runs of one `serve` daemon
 * count together.
 */
import type { Clock } from '../core/ports.js';

/** Default lookups per account per minute: a run needs two (canary, stable), and only on a cache miss. */
export const DEFAULT_RESOLVES_PER_MINUTE = 10;

const WINDOW_MS = 60_000;

export class ResolveLimiter {
  private readonly starts = new Map<string, number[]>();
  private readonly queue = new Map<string, Promise<void>>();

  constructor(readonly perMinute: number = DEFAULT_RESOLVES_PER_MINUTE) {
    if (!Number.isInteger(perMinute) || perMinute < 1) throw new RangeError(`resolve limit must be a positive integer, got ${perMinute}`);
  }

  /** Waits until `account` may start one more lookup, and counts it. Callers of one account go in order. */
  acquire(account: string, clock: Clock): Promise<void> {
    const prev = this.queue.get(account) ?? Promise.resolve();
    const mine = prev.then(() => this.take(account, clock));
    this.queue.set(account, mine);
    const forget = (): void => {
      if (this.queue.get(account) === mine) this.queue.delete(account);
    };
    mine.then(forget, forget);
    return mine;
  }

  /** Lookups `account` started in the last minute (for tests and logs). */
  recent(account: string, now: number): number {
    return (this.starts.get(account) ?? []).filter((t) => t > now - WINDOW_MS).length;
  }

  private async take(account: string, clock: Clock): Promise<void> {
    for (;;) {
      const now = clock.now();
      const live = (this.starts.get(account) ?? []).filter((t) => t > now - WINDOW_MS);
      if (live.length < this.perMinute) {
        live.push(now);
        this.starts.set(account, live);
        return;
      }
      this.starts.set(account, live);
      await clock.sleep(live[0] + WINDOW_MS - now);
    }
  }
}

/** The process-wide limiter drivers use unless given their own. */
export const sharedResolveLimiter: ResolveLimiter = new ResolveLimiter();
