/**
 * Alerts through the outbox: the alert payload, queueing a run's alerts (policy from core, state in the store) and
 * the handler that hands a stored alert to a notifier.
 */
import { alertKeys, evaluateAlerts, openAlertFor, type AlertDecision, type AlertPolicy } from '../core/alert-policy.js';
import { escalationDue, isCriticalAlert, quietUntil, type ChannelRoute } from '../core/escalation.js';
import type { AlertMessage, AlertStateStore, Notifier, OutboxItem, OutboxStore } from '../core/ports.js';
import type { RunResult } from '../core/types.js';
import { enqueuePayload, type OutboxHandler } from './outbox.js';

/** Outbox payload of an alert: the message itself, serialized. */
export interface AlertPayload {
  type: 'alert';
  alert: AlertMessage & { id: string };
}

/** Queues one delivery per channel for the alert; returns how many were new (duplicates are ignored). */
export function enqueueAlert(store: OutboxStore, msg: AlertDecision, channels: readonly string[], now: number, holdUntil?: number): number {
  const payload: AlertPayload = { type: 'alert', alert: msg };
  let added = 0;
  for (const channel of channels) {
    if (enqueuePayload(store, channel, `${msg.id}:${channel}`, payload, now, holdUntil)) added += 1;
  }
  return added;
}

/** Alert-state key that records that an incident reached a channel (state `failing`, `since` = the incident's). */
export function channelStateKey(channel: string, key: string): string {
  return `reached:${channel}:${key}`;
}

/**
 * Run-end glue: loads the alert state, applies the policy, queues the alerts per channel (with its escalation
 * rules, see src/core/escalation.ts), then saves the state (in that order: a crash in between re-derives the same
 * alert ids, which the outbox dedupes). Call after `store.finishRun(run)`; `now` should be the run's finish time.
 *
 * Per channel: an incident reaches it once `after` is met (the opening alert is queued then, with its original
 * id); reminders and the resolution go only to channels it reached. In a channel's quiet hours non-critical alerts
 * are held in the outbox until the window ends; an incident that resolves while its opening alert is still held
 * never reached the channel: the held alert is dropped (parked, with the reason) and the resolution not sent.
 */
export function queueRunAlerts(
  store: OutboxStore & AlertStateStore,
  run: RunResult,
  opts: { policy: AlertPolicy; channels: readonly (string | ChannelRoute)[]; now: number; reportDir?: string; muted?: (key: string) => boolean },
): AlertDecision[] {
  const { now } = opts;
  const previous = Object.fromEntries(alertKeys(run.verdict).map((k) => [k, store.getAlertState(k)]));
  const out = evaluateAlerts({ verdict: run.verdict, previous, now, policy: opts.policy, reportDir: opts.reportDir });
  // Maintenance windows and silences (issue 17): a muted key sends nothing and keeps its state as it was, so the
  // alert fires (or resolves) on the first run after the window if it still applies.
  const muted = opts.muted;
  if (muted) {
    for (const alert of out.alerts.filter((x) => muted(x.key))) {
      store.logAlert({ key: alert.key, kind: `silenced-${alert.kind}`, runId: alert.runId, at: opts.now, subject: alert.subject });
    }
    out.alerts = out.alerts.filter((x) => !muted(x.key));
    out.states = out.states.filter((x) => !muted(x.key));
  }
  const routes: ChannelRoute[] = opts.channels.map((c) => (typeof c === 'string' ? { name: c } : c));
  const queued = new Map<AlertDecision, number>();
  const count = (a: AlertDecision, n: number): void => {
    queued.set(a, (queued.get(a) ?? 0) + n);
  };
  const hold = (route: ChannelRoute, a: AlertDecision): number | undefined =>
    route.quietHours && !isCriticalAlert(a) ? quietUntil(route.quietHours, now) : undefined;

  for (const route of routes) {
    if (!route.after && !route.quietHours) {
      // no rules: every alert, at once (as before escalation existed)
      for (const a of out.alerts) count(a, enqueueAlert(store, a, [route.name], now));
      continue;
    }
    for (const row of out.states) {
      const reachedKey = channelStateKey(route.name, row.key);
      const prevReached = store.getAlertState(reachedKey);
      const resolvedHere = out.alerts.find((a) => a.key === row.key && a.phase === 'resolved');
      if (resolvedHere) {
        const reached = prevReached?.state === 'failing' && prevReached.since === resolvedHere.incidentSince;
        if (reached && !dropHeldOpening(store, route.name, resolvedHere, now)) {
          count(resolvedHere, enqueueAlert(store, resolvedHere, [route.name], now, hold(route, resolvedHere)));
        }
        if (prevReached) store.setAlertState({ ...prevReached, state: 'ok', since: now, lastNotifiedAt: now });
        continue;
      }
      if (row.state !== 'failing') continue;
      const reached = prevReached?.state === 'failing' && prevReached.since === row.since;
      if (!reached) {
        if (row.failures === 0 || !escalationDue(row, route, now)) continue;
        const opening = out.alerts.find((a) => a.key === row.key && a.phase === 'open')
          ?? openAlertFor(run.verdict, row, opts.policy, opts.reportDir);
        const added = enqueueAlert(store, opening, [route.name], now, hold(route, opening));
        count(opening, added);
        if (!out.alerts.includes(opening)) out.alerts.push(opening);
        store.setAlertState({ key: reachedKey, state: 'failing', since: row.since, lastNotifiedAt: now, failures: row.failures, successes: 0, alertId: 1 });
        // queued before this channel's reach was recorded (an older version): its reminders go on
        if (added > 0) continue;
      }
      const reminder = out.alerts.find((a) => a.key === row.key && a.phase === 'reminder');
      if (!reminder) continue;
      const until = hold(route, reminder);
      // one held reminder per incident is enough: the window ends with one "still failing", not a backlog of them
      if (until !== undefined && heldFor(store, route.name, reminder, now).length > 0) continue;
      count(reminder, enqueueAlert(store, reminder, [route.name], now, until));
    }
  }
  for (const alert of out.alerts) {
    if ((queued.get(alert) ?? 0) > 0 || routes.length === 0) {
      store.logAlert({ key: alert.key, kind: alert.kind, runId: alert.runId, at: now, subject: alert.subject });
    }
  }
  for (const row of out.states) store.setAlertState(row);
  return out.alerts;
}

/** The incident's items on `channel` still held by quiet hours (never tried). */
function heldFor(store: OutboxStore, channel: string, alert: AlertDecision, now: number): OutboxItem[] {
  const prefix = `alert:${alert.key}:${alert.incidentSince}:`;
  return store.listOutbox({ pendingOnly: true, last: 1000 }).filter((i) => i.channel === channel
    && i.dedupeKey.startsWith(prefix) && i.attempts === 0 && (i.notBefore ?? 0) > now);
}

/** Parks the incident's opening alert on `channel` if it is still held (never sent); true when it did. */
function dropHeldOpening(store: OutboxStore, channel: string, resolved: AlertDecision, now: number): boolean {
  const prefix = `alert:${resolved.key}:${resolved.incidentSince}:`;
  const held = heldFor(store, channel, resolved, now);
  const opening = held.find((i) => /:(failing|inconclusive):1:/.test(i.dedupeKey.slice(prefix.length - 1)));
  if (!opening) return false;
  for (const i of held) store.markFailed(i.id, 'not sent: the incident resolved during quiet hours', Number.MAX_SAFE_INTEGER);
  return true;
}

/** One line per outbox row for `tg-canary alerts` (no payload bodies, no URLs). */
export function describeOutboxItem(item: OutboxItem): {
  id: number; channel: string; what: string; status: 'delivered' | 'pending' | 'parked'; attempts: number;
  createdAt: number; deliveredAt: number | null; nextAttemptAt: number | null; lastError: string | null;
} {
  let what = item.dedupeKey;
  try {
    const p: unknown = JSON.parse(item.payload);
    if (isAlertPayload(p)) what = p.alert.subject;
  } catch {
    /* keep the dedupe key */
  }
  const delivered = item.deliveredAt !== undefined && item.deliveredAt !== null;
  const parked = !delivered && item.nextAttemptAt >= Number.MAX_SAFE_INTEGER;
  return {
    id: item.id, channel: item.channel, what, status: delivered ? 'delivered' : parked ? 'parked' : 'pending',
    attempts: item.attempts, createdAt: item.createdAt, deliveredAt: delivered ? (item.deliveredAt ?? null) : null,
    nextAttemptAt: delivered || parked ? null : item.nextAttemptAt, lastError: item.lastError ?? null,
  };
}

/** Adapts a Notifier to an outbox handler for alert payloads. */
export function alertHandler(notifier: Notifier): OutboxHandler {
  return async (payload: unknown, item: OutboxItem): Promise<void> => {
    if (!isAlertPayload(payload)) throw new Error(`outbox item for ${notifier.name} is not an alert payload`);
    await notifier.send({ ...payload.alert, idempotencyKey: item.dedupeKey });
  };
}

export function isAlertPayload(p: unknown): p is AlertPayload {
  if (typeof p !== 'object' || p === null) return false;
  const o = p as { type?: unknown; alert?: unknown };
  if (o.type !== 'alert' || typeof o.alert !== 'object' || o.alert === null) return false;
  const a = o.alert as Record<string, unknown>;
  return typeof a.subject === 'string' && typeof a.text === 'string' && typeof a.kind === 'string'
    && typeof a.runId === 'string' && typeof a.verdict === 'object' && a.verdict !== null;
}

