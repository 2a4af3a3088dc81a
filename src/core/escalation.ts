/**
 * Per-channel escalation (pure, no I/O): when an incident reaches a channel (`after` N failing runs or a duration)
 * and when a channel's quiet hours hold a non-critical alert. The caller (src/delivery/alert-outbox.ts) keeps
 * whether a channel was reached for an incident in the alert state store and queues what these functions decide.
 */
import type { AlertMessage, AlertStateRow } from './ports.js';

export interface QuietHours {
  /** `HH:MM`, local to `timezone`. */
  from: string;
  /** `HH:MM`; before `from` means the window spans midnight (22:00–07:00). */
  to: string;
  /** IANA zone, e.g. `Europe/Berlin`; default UTC. */
  timezone?: string;
}

export interface ChannelEscalation {
  /** The incident reaches the channel once it has lasted `runs` failing runs or `durationMs` (whichever first). */
  after?: { runs?: number; durationMs?: number };
  quietHours?: QuietHours;
}

/** A channel and its escalation rules (none: every alert at once). */
export interface ChannelRoute extends ChannelEscalation {
  name: string;
}

/**
 * True once an open incident (`row.state === 'failing'`) is old enough for a channel with these rules. `runs`
 * counts the row's consecutive failing runs (inconclusive runs neither add nor reset); `durationMs` is measured
 * from the incident's start (`row.since`). No `after` (or an empty one): at once.
 */
export function escalationDue(row: AlertStateRow, rules: ChannelEscalation, now: number): boolean {
  if (row.state !== 'failing') return false;
  const after = rules.after;
  if (!after || (after.runs === undefined && after.durationMs === undefined)) return true;
  if (after.runs !== undefined && row.failures >= after.runs) return true;
  return after.durationMs !== undefined && now - row.since >= after.durationMs;
}

/**
 * Critical alerts page through quiet hours: a new canary failure. Everything else (reminders, resolutions, the
 * stable bot, "cannot judge") waits for the window to end.
 */
export function isCriticalAlert(msg: Pick<AlertMessage, 'kind' | 'target'>): boolean {
  return msg.kind === 'failing' && msg.target === 'canary';
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight of `HH:MM`; undefined when it is not one. */
export function parseClockTime(s: string): number | undefined {
  const m = HHMM.exec(s.trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

/** True when `tz` is an IANA time zone this runtime knows. */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * When the quiet window that `now` falls in ends (epoch ms), or undefined when `now` is outside it. `from === to`
 * is an empty window. The end is computed on the local wall clock (a DST jump inside the window shifts it by the
 * jump, at most an hour).
 */
export function quietUntil(q: QuietHours, now: number): number | undefined {
  const from = parseClockTime(q.from);
  const to = parseClockTime(q.to);
  if (from === undefined || to === undefined || from === to) return undefined;
  const { minutes, msIntoMinute } = localMinutes(now, q.timezone ?? 'UTC');
  const inside = from < to ? minutes >= from && minutes < to : minutes >= from || minutes < to;
  if (!inside) return undefined;
  const left = (to - minutes + 1440) % 1440;
  return now - msIntoMinute + left * 60_000;
}

function localMinutes(now: number, timeZone: string): { minutes: number; msIntoMinute: number } {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(now));
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? '0');
  const minute = Number(parts.find((p) => p.type === 'minute')?.value ?? '0');
  return { minutes: hour * 60 + minute, msIntoMinute: now % 60_000 };
}
