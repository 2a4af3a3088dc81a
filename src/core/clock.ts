import type { Clock } from './ports.js';

// preciseNow: steps of the monotonic clock (microseconds), anchored to the wall clock. Date.now() is the true time
// rounded down, so the anchor is put half a millisecond above it. Should the two drift apart (NTP slewing or
// stepping the wall clock), it re-anchors: it is never more than 2 ms away from Date.now(), and a duration
// between two stamps is exact unless a re-anchor falls between them.
let anchorWall = Date.now() + 0.5;
let anchorMono = performance.now();

function preciseNow(): number {
  const mono = performance.now();
  const wall = Date.now();
  const t = anchorWall + (mono - anchorMono);
  if (t >= wall - 1 && t < wall + 2) return t;
  anchorWall = wall + 0.5;
  anchorMono = mono;
  return anchorWall;
}

/** Real time. Tests inject their own Clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  preciseNow,
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = (): void => {
        clearTimeout(t);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
