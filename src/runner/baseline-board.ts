/**
 * Where canary finds stable's reply to the same step of the same scenario in the same run (for `like-stable`).
 * Canary and stable run in parallel: stable posts each expect's reply as it settles; canary waits for it (with a
 * bound) before grading. A scenario that stable does not run, a step it never reached, a silent or erroring reply:
 * "no baseline", with the reason, so like-stable is not applicable and never fails the canary.
 */
import type { Clock } from '../core/ports.js';
import type { Reply } from '../core/types.js';

export type Baseline = { reply: Reply } | { none: string };

interface Slot {
  promise: Promise<Baseline>;
  resolve(b: Baseline): void;
  settled: boolean;
}

export interface BaselineBoard {
  /** Stable's reply (or why there is none) for one step. The first post wins. */
  post(key: string, step: number, baseline: Baseline): void;
  /** Stable is done with this scenario: every step not posted yet has no baseline, for `why`. */
  close(key: string, why: string): void;
  /** Waits for stable's post for this step, at most `maxWaitMs`. */
  wait(key: string, step: number, maxWaitMs: number, signal?: AbortSignal): Promise<Baseline>;
}

/**
 * `expected` = the scenario keys stable will run in this run; any other key has no baseline at once.
 */
export function createBaselineBoard(clock: Clock, expected: ReadonlySet<string>): BaselineBoard {
  const slots = new Map<string, Slot>();
  const closed = new Map<string, string>();

  const slot = (key: string, step: number): Slot => {
    const id = `${key}\u0000${step}`;
    let s = slots.get(id);
    if (!s) {
      let resolve!: (b: Baseline) => void;
      const promise = new Promise<Baseline>((r) => {
        resolve = r;
      });
      const created: Slot = { promise, resolve: (b) => { if (!created.settled) { created.settled = true; resolve(b); } }, settled: false };
      s = created;
      slots.set(id, s);
      const why = closed.get(key);
      if (why !== undefined) s.resolve({ none: why });
    }
    return s;
  };

  return {
    post(key, step, baseline) {
      slot(key, step).resolve(baseline);
    },
    close(key, why) {
      closed.set(key, why);
      const prefix = `${key}\u0000`;
      for (const [id, s] of slots) if (id.startsWith(prefix)) s.resolve({ none: why });
    },
    async wait(key, step, maxWaitMs, signal) {
      if (!expected.has(key)) return { none: 'stable does not run this scenario in this run' };
      const s = slot(key, step);
      if (s.settled) return s.promise;
      const stop = new AbortController();
      const timer = clock
        .sleep(maxWaitMs, signal ? AbortSignal.any([signal, stop.signal]) : stop.signal)
        .then((): Baseline => ({ none: `stable had not replied to this step after waiting ${(maxWaitMs / 1000).toFixed(1)} s` }))
        .catch((): Baseline => ({ none: 'the run was stopped while waiting for stable' }));
      try {
        return await Promise.race([s.promise, timer]);
      } finally {
        stop.abort();
      }
    },
  };
}
