/**
 * The offset between our clock and Telegram's, measured from pushed messages: each carries its server `date` in
 * whole seconds, and arrives within milliseconds of being sent. A message we only found later (its push was lost)
 * is then stamped from its date, corrected by this offset, instead of with the time we happened to find it.
 */
const KEEP = 64;

export class ClockOffset {
  private readonly samples: number[] = [];

  /** A pushed message with server `dateSec` arrived at local `at` (ms). */
  sample(dateSec: number, at: number): void {
    if (!Number.isFinite(dateSec) || dateSec <= 0) return;
    // The true send time lies anywhere in [date, date + 1 s): its midpoint is the unbiased guess.
    this.samples.push(at - (dateSec * 1000 + 500));
    if (this.samples.length > KEEP) this.samples.shift();
  }

  /** Local minus server time (ms), the median of recent samples; undefined before the first push. */
  estimate(): number | undefined {
    if (!this.samples.length) return undefined;
    const s = [...this.samples].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
  }

  /**
   * Our best local time for a message Telegram dated `dateSec`: its date's midpoint plus the offset, never later
   * than when we found it (`foundAt`).
   */
  localTime(dateSec: number, foundAt: number): number {
    if (!Number.isFinite(dateSec) || dateSec <= 0) return foundAt;
    return Math.min(foundAt, dateSec * 1000 + 500 + (this.estimate() ?? 0));
  }
}
