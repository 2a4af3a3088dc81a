/**
 * A Clock whose time only moves when every task is waiting on it: each `sleep` is a timer in virtual time, and when
 * the process has nothing else to do (a macrotask turn), the earliest timer fires and the time jumps to it. A
 * scripted reply 8 s away costs no real time, and two targets sleeping in parallel overlap as they would in real
 * time (the clock moves to the later wake-up, not the sum).
 */
import type { Clock } from '../../src/core/ports.js';

interface Timer {
  at: number;
  seq: number;
  resolve(): void;
}

export interface VirtualClock extends Clock {
  /** Moves the time forward without waking anyone early (e.g. to age seeded data). */
  advance(ms: number): void;
  /** Sleepers not yet woken. */
  pending(): number;
}

export function createVirtualClock(start = Date.UTC(2026, 0, 15, 12, 0, 0)): VirtualClock {
  let now = start;
  let seq = 0;
  const timers: Timer[] = [];
  let scheduled = false;
  const fireNext = (): void => {
    scheduled = false;
    timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const t = timers.shift();
    if (!t) return;
    now = Math.max(now, t.at);
    t.resolve();
    schedule();
  };
  const schedule = (): void => {
    if (scheduled || timers.length === 0) return;
    scheduled = true;
    setImmediate(fireNext);
  };
  return {
    now: () => now,
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const timer: Timer = {
          at: now + Math.max(0, ms),
          seq: seq++,
          resolve: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = (): void => {
          const i = timers.indexOf(timer);
          if (i >= 0) timers.splice(i, 1);
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        timers.push(timer);
        schedule();
      });
    },
    advance(ms) {
      now += ms;
    },
    pending: () => timers.length,
  };
}
