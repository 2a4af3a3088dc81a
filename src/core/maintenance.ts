/**
 * Maintenance windows (from config, one-off or recurring by cron) and silences (ad hoc, from the CLI or the API),
 * with Alertmanager-style matchers on target / suite / scenario. Pure: what is active at `now`, whether an alert is
 * muted, what a verdict reader should answer. A missing matcher matches anything.
 *
 * - `pause` window covering the canary target as a whole: scheduled runs are skipped and `/v1/verdict` answers
 *   `maintenance` (decision hold: Argo's template treats it as neither success nor failure).
 * - `run-silently` windows, scoped windows and silences: runs go on, the verdict passes through (with a
 *   `maintenance` note), and the alerts they cover are not sent.
 */
import type { TargetName, VerdictReport } from './types.js';
import { lastFireAtOrBefore, nextFireAfter, parseCron, type CronSpec } from './cron-match.js';

export type MaintenanceMode = 'pause' | 'run-silently';

export interface Matchers {
  target?: TargetName;
  suite?: string;
  scenario?: string;
}

/** A window as the config holds it (times in ms). Either `start`+`end`, or `cron`+`durationMs`. */
export interface WindowSpec {
  name: string;
  mode?: MaintenanceMode;
  start?: number;
  end?: number;
  cron?: string;
  durationMs?: number;
  match?: Matchers;
}

export interface Silence {
  id: string;
  createdAt: number;
  startsAt: number;
  endsAt: number;
  matchers: Matchers;
  reason: string;
  createdBy: string;
  /** Set when expired early (`silence --expire`). */
  expiredAt?: number | null;
}

/** Something that mutes (and maybe pauses) at a moment. */
export interface ActiveEntry {
  kind: 'window' | 'silence';
  /** Window name or silence id. */
  id: string;
  mode: MaintenanceMode;
  from: number;
  until: number;
  matchers: Matchers;
  reason: string;
}

/** Longest recurring window (and so the cron look-back). */
export const MAX_WINDOW_MS = 7 * 86_400_000;

const specCache = new Map<string, CronSpec>();
function specOf(cron: string): CronSpec {
  let s = specCache.get(cron);
  if (!s) specCache.set(cron, (s = parseCron(cron)));
  return s;
}

/** The occurrence of `w` that covers `now`, if any. */
export function windowOccurrence(w: WindowSpec, now: number): { from: number; until: number } | undefined {
  if (w.start !== undefined && w.end !== undefined) return now >= w.start && now < w.end ? { from: w.start, until: w.end } : undefined;
  if (w.cron && w.durationMs) {
    const dur = Math.min(w.durationMs, MAX_WINDOW_MS);
    const from = lastFireAtOrBefore(specOf(w.cron), now, dur);
    return from !== undefined && now < from + dur ? { from, until: from + dur } : undefined;
  }
  return undefined;
}

/** The next start of `w` after `now` within `horizonMs` (for "upcoming" on the status page). */
export function nextOccurrence(w: WindowSpec, now: number, horizonMs: number): { from: number; until: number } | undefined {
  if (w.start !== undefined && w.end !== undefined) return w.start > now && w.start <= now + horizonMs ? { from: w.start, until: w.end } : undefined;
  if (w.cron && w.durationMs) {
    const from = nextFireAfter(specOf(w.cron), now, horizonMs);
    return from === undefined ? undefined : { from, until: from + Math.min(w.durationMs, MAX_WINDOW_MS) };
  }
  return undefined;
}

/** Windows and silences in force at `now`. */
export function activeEntries(windows: readonly WindowSpec[], silences: readonly Silence[], now: number, defaultMode: MaintenanceMode): ActiveEntry[] {
  const out: ActiveEntry[] = [];
  for (const w of windows) {
    const occ = windowOccurrence(w, now);
    if (occ) out.push({ kind: 'window', id: w.name, mode: w.mode ?? defaultMode, ...occ, matchers: w.match ?? {}, reason: `maintenance window ${w.name}` });
  }
  for (const s of silences) {
    if (silenceActive(s, now)) {
      out.push({ kind: 'silence', id: s.id, mode: 'run-silently', from: s.startsAt, until: s.expiredAt ?? s.endsAt, matchers: s.matchers, reason: s.reason });
    }
  }
  return out;
}

export function silenceActive(s: Silence, now: number): boolean {
  const end = s.expiredAt ?? s.endsAt;
  return now >= s.startsAt && now < end;
}

/** Alertmanager's rule: every matcher given must equal the label; labels the alert lacks never match a matcher. */
export function matches(m: Matchers, labels: Matchers): boolean {
  return (m.target === undefined || m.target === labels.target)
    && (m.suite === undefined || m.suite === labels.suite)
    && (m.scenario === undefined || m.scenario === labels.scenario);
}

/** Entries that cover the whole target (no suite or scenario matcher). */
export function targetWide(entries: readonly ActiveEntry[], target: TargetName): ActiveEntry[] {
  return entries.filter((e) => e.matchers.suite === undefined && e.matchers.scenario === undefined && matches(e.matchers, { target }));
}

/** A `pause` window over the whole target: no scheduled runs, and the verdict reads `maintenance`. */
export function pausingEntry(entries: readonly ActiveEntry[], target: TargetName): ActiveEntry | undefined {
  return targetWide(entries, target).find((e) => e.kind === 'window' && e.mode === 'pause');
}

/**
 * Whether the alert with state key `key` (`canary`, `canary:inconclusive`, `stable`) about `verdict` is muted: a
 * target-wide entry mutes it; otherwise every scenario of that target that failed or errored must be covered.
 */
export function alertMuted(entries: readonly ActiveEntry[], key: string, verdict: VerdictReport): boolean {
  if (entries.length === 0) return false;
  const target = (key.split(':')[0] ?? key) as TargetName;
  if (targetWide(entries, target).length > 0) return true;
  const bad = verdict.scenarios.filter((s) => s.target === target && (s.status === 'fail' || s.status === 'error'));
  if (bad.length === 0) return false;
  return bad.every((s) => entries.some((e) => matches(e.matchers, { target, suite: s.suite, scenario: s.name })));
}

/** Human text for a matcher set: `target=canary suite=rag`, or `everything`. */
export function describeMatchers(m: Matchers): string {
  const parts = (['target', 'suite', 'scenario'] as const).filter((k) => m[k] !== undefined).map((k) => `${k}=${m[k] ?? ''}`);
  return parts.length ? parts.join(' ') : 'everything';
}

/** One line of the status page's maintenance table: a configured window or an ad-hoc silence. */
export interface MaintenanceRow {
  kind: 'window' | 'silence';
  id: string;
  mode: string;
  matchers: string;
  from: number;
  until: number;
  reason: string;
  state: 'active' | 'upcoming' | 'ended';
  createdBy?: string;
}
