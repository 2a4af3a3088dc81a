/**
 * Durations as users write them: `500ms`, `5s`, `2m`, `3h`, `1d`, compounds such as `1m30s`, or a plain number
 * (milliseconds). Shared by the config loader and the scenario parser.
 */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)/gy;

/** The longest any deadline, window or wait may be: past it Node's timers overflow (a 30d timeout fired after 1 ms). */
export const MAX_DURATION_MS = 86_400_000;
export const MAX_DURATION_MSG = 'is longer than 24h, the most a deadline or wait may be';

/** Text for hints: what a duration may look like. */
export const DURATION_HINT = 'write a duration such as 500ms, 5s, 2m, 3h or a number of milliseconds';

/** Parses a duration to whole milliseconds; `undefined` when it is not one (negative, NaN, junk). */
export function parseDuration(input: unknown): number | undefined {
  if (typeof input === 'number') {
    return Number.isFinite(input) && input >= 0 ? Math.round(input) : undefined;
  }
  if (typeof input !== 'string') return undefined;
  const text = input.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text));
  let total = 0;
  let pos = 0;
  PART.lastIndex = 0;
  while (pos < text.length) {
    PART.lastIndex = pos;
    const m = PART.exec(text);
    if (!m) return undefined;
    total += Number(m[1]) * UNIT_MS[m[2]];
    pos = PART.lastIndex;
    while (text[pos] === ' ') pos++;
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}

/** Short human form of a millisecond count, e.g. 90000 → `1m30s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000 || ms % 1000 !== 0) return `${ms}ms`;
  let rest = ms / 1000;
  const out: string[] = [];
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (rest >= size) {
      out.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return out.join('');
}
