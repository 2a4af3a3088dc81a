/**
 * Alerts through the outbox: the alert payload, queueing a run's alerts (policy from core, state in the store) and
 * the handler that hands a stored alert to a notifier.
 */
import { alertKeys, evaluateAlerts, type AlertDecision, type AlertPolicy } from '../core/alert-policy.js';
import type { AlertMessage, AlertStateStore, Notifier, OutboxItem, OutboxStore } from '../core/ports.js';
import type { RunResult } from '../core/types.js';
import { enqueuePayload, type OutboxHandler } from './outbox.js';

/** Outbox payload of an alert: the message itself, serialized. */
export interface AlertPayload {
  type: 'alert';
  alert: AlertMessage & { id: string };
}

/** Queues one delivery per channel for the alert; returns how many were new (duplicates are ignored). */
export function enqueueAlert(store: OutboxStore, msg: AlertDecision, channels: readonly string[], now: number): number {
  const payload: AlertPayload = { type: 'alert', alert: msg };
  let added = 0;
  for (const channel of channels) {
    if (enqueuePayload(store, channel, `${msg.id}:${channel}`, payload, now)) added += 1;
  }
  return added;
}

/**
 * Run-end glue: loads the alert state, applies the policy, queues the alerts on `channels`, then saves the state
 * (in that order: a crash in between re-derives the same alert ids, which the outbox dedupes). Call after
 * `store.finishRun(run)`; `now` should be the run's finish time.
 */
export function queueRunAlerts(
  store: OutboxStore & AlertStateStore,
  run: RunResult,
  opts: { policy: AlertPolicy; channels: readonly string[]; now: number; reportDir?: string; muted?: (key: string) => boolean },
): AlertDecision[] {
  const previous = Object.fromEntries(alertKeys(run.verdict).map((k) => [k, store.getAlertState(k)]));
  const out = evaluateAlerts({ verdict: run.verdict, previous, now: opts.now, policy: opts.policy, reportDir: opts.reportDir });
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
  for (const alert of out.alerts) {
    const added = enqueueAlert(store, alert, opts.channels, opts.now);
    if (added > 0 || opts.channels.length === 0) {
      store.logAlert({ key: alert.key, kind: alert.kind, runId: alert.runId, at: opts.now, subject: alert.subject });
    }
  }
  for (const row of out.states) store.setAlertState(row);
  return out.alerts;
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

