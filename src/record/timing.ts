/**
 * Deadlines for a recorded scenario from what one conversation showed: a reply that came in 1.2 s gets a deadline
 * of 3× that, rounded up to a figure a person would write (5s, 10s, 15s …), never below a floor that absorbs a
 * busy machine or a slow network hop.
 */

/** The figures a deadline or quiet window is rounded up to, in ms. */
const NICE_MS = [
  500, 1_000, 1_500, 2_000, 3_000, 5_000, 10_000, 15_000, 20_000, 30_000, 45_000, 60_000, 90_000, 120_000, 180_000,
  300_000, 600_000, 900_000, 1_800_000, 3_600_000,
];

/** Deadline margin over the observed time. */
export const DEADLINE_FACTOR = 3;
/** No recorded deadline is shorter than this (a reply seen in 40 ms on loopback still gets 10 s). */
export const MIN_TIMEOUT_MS = 10_000;
/** Quiet window floor: the runner's own default is 1 s; a bot that streamed gets more (see suggestSettle). */
export const MIN_SETTLE_MS = 500;
/** Longest quiet window suggested (the runner's default settle-max is 10 s). */
export const MAX_SETTLE_MS = 10_000;

/** Rounds up to the next figure of NICE_MS (past the last one: whole minutes). */
export function roundUpNice(ms: number): number {
  const v = Math.max(0, Math.ceil(ms));
  for (const n of NICE_MS) if (v <= n) return n;
  return Math.ceil(v / 60_000) * 60_000;
}

/** A duration as a scenario file writes it: 500ms, 5s, 1m30s, 2m. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms % 1000 !== 0) return `${ms}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  const rest = s % 60;
  return rest === 0 ? `${m}m` : `${m}m${rest}s`;
}

/** Deadline for the first message: 3× the observed latency, rounded up, at least MIN_TIMEOUT_MS. */
export function suggestTimeout(observedMs: number | undefined): number {
  return Math.max(MIN_TIMEOUT_MS, roundUpNice(DEADLINE_FACTOR * (observedMs ?? MIN_TIMEOUT_MS)));
}

/**
 * Quiet window floor from the largest pause the bot left between two changes of its reply (a streamed answer
 * pausing between edits): 3× that pause, rounded up, so the runner does not call a paused stream final.
 */
export function suggestSettle(maxGapMs: number | undefined): number {
  if (maxGapMs === undefined || maxGapMs <= 0) return MIN_SETTLE_MS;
  return Math.min(MAX_SETTLE_MS, Math.max(MIN_SETTLE_MS, roundUpNice(DEADLINE_FACTOR * maxGapMs)));
}

/** Largest gap between consecutive times (ms), after sorting; undefined for fewer than two. */
export function largestGap(times: readonly number[]): number | undefined {
  if (times.length < 2) return undefined;
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  for (let i = 1; i < sorted.length; i++) max = Math.max(max, (sorted[i] as number) - (sorted[i - 1] as number));
  return max;
}
