/**
 * Maintenance as the app sees it (issue 17): the config's windows plus the store's silences at a moment, what the
 * alert decision mutes, what `/v1/verdict` answers during a pause, and what the status page shows.
 */
import {
  activeEntries, alertMuted, describeMatchers, nextOccurrence, pausingEntry, type ActiveEntry, type Silence, type WindowSpec,
} from '../core/maintenance.js';
import type { TargetName, VerdictReport } from '../core/types.js';
import type { Config } from '../config/index.js';
import type { SilenceStore } from '../core/ports.js';
import type { MaintenanceRow } from '../core/maintenance.js';

/** How far ahead the status page lists upcoming windows. */
const UPCOMING_MS = 7 * 86_400_000;

export function windowSpecs(config: Config): WindowSpec[] {
  return config.maintenance.windows.map((w) => ({
    name: w.name, mode: w.mode, start: w.start, end: w.end, cron: w.cron, durationMs: w.duration, match: w.match,
  }));
}

/** Windows and silences in force at `now`. */
export function activeMaintenance(config: Config, store: Pick<SilenceStore, 'listSilences'>, now: number): ActiveEntry[] {
  return activeEntries(windowSpecs(config), store.listSilences(now), now, config.maintenance.mode);
}

/** The mute test for `queueRunAlerts`: which alert keys of this run are not sent. */
export function alertMuteFor(entries: readonly ActiveEntry[], verdict: VerdictReport): (key: string) => boolean {
  return (key) => alertMuted(entries, key, verdict);
}

export interface MaintenanceNote {
  kind: 'window' | 'silence';
  id: string;
  mode: string;
  matchers: string;
  from: string;
  until: string;
  reason: string;
}

function note(e: ActiveEntry): MaintenanceNote {
  return { kind: e.kind, id: e.id, mode: e.mode, matchers: describeMatchers(e.matchers), from: new Date(e.from).toISOString(), until: new Date(e.until).toISOString(), reason: e.reason };
}

/**
 * What `/v1/verdict` answers for `target` while maintenance is active: a pause window over the target gives
 * `{ verdict: 'maintenance', decision: 'hold' }` (neither Argo success nor failure, so the analysis run is
 * inconclusive and the rollout pauses); anything else leaves the verdict as it is, with a `maintenance` note.
 */
export function verdictDuringMaintenance<T extends { verdict: string }>(entries: readonly ActiveEntry[], target: TargetName, body: T): T | Record<string, unknown> {
  const relevant = entries.filter((e) => e.matchers.target === undefined || e.matchers.target === target);
  if (relevant.length === 0) return body;
  const pause = pausingEntry(entries, target);
  if (pause) {
    return {
      schema: 1, verdict: 'maintenance', decision: 'hold', target,
      reasons: [`${pause.reason} until ${new Date(pause.until).toISOString()}: runs are paused; not a rollback signal`],
      maintenance: relevant.map(note),
    };
  }
  return { ...body, maintenance: relevant.map(note) };
}

export type { MaintenanceRow } from '../core/maintenance.js';

/** Active and upcoming windows and silences (plus silences ended in the last day), for the status page. */
export function maintenanceRows(config: Config, store: Pick<SilenceStore, 'listSilences'>, now: number): MaintenanceRow[] {
  const rows: MaintenanceRow[] = [];
  const windows = windowSpecs(config);
  const active = activeEntries(windows, [], now, config.maintenance.mode);
  for (const e of active) rows.push({ kind: 'window', id: e.id, mode: e.mode, matchers: describeMatchers(e.matchers), from: e.from, until: e.until, reason: e.reason, state: 'active' });
  for (const w of windows) {
    const next = nextOccurrence(w, now, UPCOMING_MS);
    if (next) rows.push({ kind: 'window', id: w.name, mode: w.mode ?? config.maintenance.mode, matchers: describeMatchers(w.match ?? {}), ...next, reason: `maintenance window ${w.name}`, state: 'upcoming' });
  }
  for (const s of store.listSilences(now, 86_400_000)) rows.push(silenceRow(s, now));
  return rows.sort((a, b) => a.from - b.from);
}

function silenceRow(s: Silence, now: number): MaintenanceRow {
  const until = s.expiredAt ?? s.endsAt;
  const state = now < s.startsAt ? 'upcoming' : now < until ? 'active' : 'ended';
  return { kind: 'silence', id: s.id, mode: 'run-silently', matchers: describeMatchers(s.matchers), from: s.startsAt, until, reason: s.reason, state, createdBy: s.createdBy };
}
