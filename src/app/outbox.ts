/**
 * The delivery outbox: every alert and status push is first written to SQLite (`enqueue*`), then delivered by
 * `deliverOutbox` at the end of a run and on every daemon tick. Delivery is FIFO per channel (an older item that
 * is backing off holds the newer ones, so a Pushgateway never gets an old run after a new one), each success is
 * marked delivered immediately (exactly once), each failure is recorded with exponential backoff (or the wait the
 * receiver asked for), and nothing ever throws into the run.
 */
import { alertKeys, evaluateAlerts, type AlertDecision, type AlertPolicy } from '../core/alert-policy.js';
import { systemClock } from '../core/clock.js';
import type { AlertMessage, Clock, Notifier, OutboxItem, RunStore } from '../core/ports.js';
import type { RunResult } from '../core/types.js';
import { deliveryErrorText } from '../notifiers/http.js';
import type { Logger } from '../util/logger.js';
import { ownerIsDead, processOwner } from './process-owner.js';

/** Handles one payload (already JSON-parsed); throws to have it retried. */
export type OutboxHandler = (payload: unknown, item: OutboxItem) => Promise<void>;

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 30_000, maxMs: 3_600_000 };
export const DEFAULT_MAX_ATTEMPTS = 50;

export interface DeliverOptions {
  /** Time used for "due" and for the delivered/failed stamps; defaults to `clock.now()`. */
  now?: number;
  clock?: Clock;
  logger?: Logger;
  /** After this many failed attempts an item is parked (kept, listed, no longer retried or blocking). */
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  /** Extra strings to scrub from recorded errors (tokens, passwords). */
  secrets?: ReadonlyArray<string | undefined>;
  /** Most pending items read per call (oldest handled first). Default 1000. */
  limit?: number;
  /** Retry items still backing off (a new run retries everything pending; daemon ticks respect the backoff). */
  ignoreBackoff?: boolean;
  /** Who claims the items (default this process, `host:pid:nonce`). */
  claimer?: string;
  /** How long a claim holds before another process may send the item (default 2 minutes, over every send timeout). */
  claimMs?: number;
  /** How long to wait for another process that is sending the head item of a channel (default 15 s). */
  claimWaitMs?: number;
}

export const DEFAULT_CLAIM_MS = 120_000;
export const DEFAULT_CLAIM_WAIT_MS = 15_000;

export interface ChannelHealth {
  channel: string;
  lastSuccessAt: number | null;
  lastError: string | null;
  pending: number;
}

export interface DeliverResult {
  delivered: number;
  failed: number;
  health: ChannelHealth[];
}

/** Outbox payload of an alert: the message itself, serialized. */
export interface AlertPayload {
  type: 'alert';
  alert: AlertMessage & { id: string };
}

/** Queues one delivery per channel for the alert; returns how many were new (duplicates are ignored). */
export function enqueueAlert(store: RunStore, msg: AlertDecision, channels: readonly string[], now: number): number {
  const payload: AlertPayload = { type: 'alert', alert: msg };
  let added = 0;
  for (const channel of channels) {
    if (enqueuePayload(store, channel, `${msg.id}:${channel}`, payload, now)) added += 1;
  }
  return added;
}

/** Optional alert log (SqliteRunStore has it; `tg-canary alerts` reads it). */
interface AlertLog {
  logAlert?(entry: { key: string; kind: string; runId?: string; at: number; subject?: string }): number;
}

/**
 * Run-end glue: loads the alert state, applies the policy, queues the alerts on `channels`, then saves the state
 * (in that order: a crash in between re-derives the same alert ids, which the outbox dedupes). Call after
 * `store.finishRun(run)`; `now` should be the run's finish time.
 */
export function queueRunAlerts(
  store: RunStore & AlertLog,
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
      if (typeof store.logAlert === 'function') {
        store.logAlert({ key: alert.key, kind: `silenced-${alert.kind}`, runId: alert.runId, at: opts.now, subject: alert.subject });
      }
    }
    out.alerts = out.alerts.filter((x) => !muted(x.key));
    out.states = out.states.filter((x) => !muted(x.key));
  }
  for (const alert of out.alerts) {
    const added = enqueueAlert(store, alert, opts.channels, opts.now);
    if ((added > 0 || opts.channels.length === 0) && typeof store.logAlert === 'function') {
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

/** Queues any JSON payload; false when the dedupe key was already queued. */
export function enqueuePayload(store: RunStore, channel: string, dedupeKey: string, payload: unknown, now: number): boolean {
  return store.enqueue({ channel, dedupeKey, payload: JSON.stringify(payload), at: now });
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

const running = new WeakMap<RunStore, Promise<unknown>>();

/**
 * Delivers due items. Calls on the same store are serialized within a process, and each item is claimed in a
 * write transaction before it is sent, so two processes never send one item at once. A crash after the receiver
 * acted and before the success was recorded resends the item later with the same idempotency key (its dedupe key).
 */
export async function deliverOutbox(
  store: RunStore,
  handlers: Readonly<Record<string, OutboxHandler>>,
  opts: DeliverOptions = {},
): Promise<DeliverResult> {
  const prev = running.get(store) ?? Promise.resolve();
  const next = prev.catch(() => undefined).then(() => deliverNow(store, handlers, opts));
  running.set(store, next);
  try {
    return await next;
  } finally {
    if (running.get(store) === next) running.delete(store);
  }
}

async function deliverNow(
  store: RunStore,
  handlers: Readonly<Record<string, OutboxHandler>>,
  opts: DeliverOptions,
): Promise<DeliverResult> {
  const clock = opts.clock ?? systemClock;
  const now = (): number => opts.now ?? clock.now();
  const maxAttempts = opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const backoff = opts.backoff ?? DEFAULT_BACKOFF;
  const log = opts.logger;
  const claimer = opts.claimer ?? processOwner();
  const claimMs = opts.claimMs ?? DEFAULT_CLAIM_MS;
  const claimWaitMs = opts.claimWaitMs ?? DEFAULT_CLAIM_WAIT_MS;
  let delivered = 0;
  let failed = 0;

  let pending: OutboxItem[] = [];
  try {
    pending = store.listOutbox({ pendingOnly: true, last: opts.limit ?? 1000 });
  } catch (e) {
    log?.error({ err: deliveryErrorText(e) }, 'outbox: cannot read the outbox');
    return { delivered, failed, health: [] };
  }
  const byChannel = new Map<string, OutboxItem[]>();
  for (const item of [...pending].sort((a, b) => a.id - b.id)) {
    if (item.deliveredAt !== undefined && item.deliveredAt !== null) continue;
    if (item.attempts >= maxAttempts) continue; // parked: kept for `tg-canary alerts`, never blocks the channel
    const list = byChannel.get(item.channel) ?? [];
    list.push(item);
    byChannel.set(item.channel, list);
  }

  for (const [channel, items] of byChannel) {
    const handler = handlers[channel];
    for (const item of items) {
      const t = now();
      // FIFO: an older item is backing off; keep the order. A wait the receiver asked for (429 Retry-After) holds
      // even for a new run's retry-everything pass.
      if (item.nextAttemptAt > t && (!opts.ignoreBackoff || (item.notBefore ?? 0) > t)) break;
      if (!handler) {
        // not this caller's channel (or no longer configured): left untouched, still counted as pending
        log?.debug({ channel, id: item.id }, 'outbox: no handler for channel, skipped');
        break;
      }
      const claim = await claimItem(store, item, claimer, now, claimMs, claimWaitMs, log);
      if (claim === 'done') continue; // another process delivered it: go on with the next one
      if (claim !== 'claimed') break; // FIFO: held elsewhere, or just failed elsewhere (its backoff applies)
      let payload: unknown;
      try {
        payload = JSON.parse(item.payload);
      } catch {
        payload = item.payload;
      }
      try {
        await handler(payload, item);
      } catch (e) {
        const text = deliveryErrorText(e, opts.secrets);
        const attempts = item.attempts + 1;
        const asked = retryAfterOf(e);
        const wait = Math.max(backoffMs(item.attempts, backoff), asked);
        const parked = attempts >= maxAttempts;
        const error = parked ? `gave up after ${attempts} attempts: ${text}` : text;
        record(store, item, error, parked ? Number.MAX_SAFE_INTEGER : now() + wait, log, asked > 0 ? now() + asked : undefined);
        log?.warn({ channel, id: item.id, attempts, err: text }, 'outbox: delivery failed, will retry');
        failed += 1;
        break; // the channel is down: leave the rest for the next tick, in order
      }
      try {
        store.markDelivered(item.id, now());
        delivered += 1;
      } catch (e) {
        log?.error({ channel, id: item.id, err: deliveryErrorText(e) }, 'outbox: delivered but could not mark it');
      }
    }
  }
  return { delivered, failed, health: outboxHealth(store, Object.keys(handlers)) };
}

const CLAIM_POLL_MS = 200;

/**
 * Claims the item (when the store supports claims). While another live process holds it, waits up to `waitMs`
 * for that process to finish (so this run's newer items behind it still go out, in order).
 */
async function claimItem(store: RunStore, item: OutboxItem, claimer: string, now: () => number, claimMs: number,
  waitMs: number, log?: Logger): Promise<'claimed' | 'held' | 'done' | 'changed' | 'error'> {
  if (!store.claimOutbox) return 'claimed';
  const deadline = now() + waitMs;
  for (;;) {
    let outcome: 'claimed' | 'held' | 'done' | 'changed';
    try {
      // a claim of a dead process on this host (kill -9 mid-delivery) is taken over at once
      outcome = store.claimOutbox(item.id, claimer, now() + claimMs, (holder) => ownerIsDead(holder), item.attempts);
    } catch (e) {
      log?.error({ channel: item.channel, id: item.id, err: deliveryErrorText(e) }, 'outbox: cannot claim an item; not sending it');
      return 'error';
    }
    if (outcome !== 'held' || now() >= deadline) {
      if (outcome === 'held') log?.info({ channel: item.channel, id: item.id }, 'outbox: another process is still sending this item; left to it');
      return outcome;
    }
    await new Promise((r) => setTimeout(r, CLAIM_POLL_MS));
  }
}

function record(store: RunStore, item: OutboxItem, error: string, nextAttemptAt: number, log?: Logger, notBefore?: number): void {
  try {
    store.markFailed(item.id, error, nextAttemptAt, notBefore);
  } catch (e) {
    log?.error({ id: item.id, err: deliveryErrorText(e) }, 'outbox: cannot record a failed delivery');
  }
}

/** Exponential backoff: base, 2×base, 4×base … capped at max. `attempts` = failures before this one. */
export function backoffMs(attempts: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempts, 30));
}

function retryAfterOf(e: unknown): number {
  if (typeof e !== 'object' || e === null) return 0;
  const v = (e as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/** Per-channel health for the status page, from the recent outbox rows. */
export function outboxHealth(store: RunStore, channels: readonly string[] = [], window = 1000): ChannelHealth[] {
  const map = new Map<string, ChannelHealth & { lastErrorId: number }>();
  const get = (channel: string): ChannelHealth & { lastErrorId: number } => {
    let h = map.get(channel);
    if (!h) {
      h = { channel, lastSuccessAt: null, lastError: null, pending: 0, lastErrorId: -1 };
      map.set(channel, h);
    }
    return h;
  };
  for (const c of channels) get(c);
  let rows: OutboxItem[] = [];
  try {
    rows = store.listOutbox({ last: window });
  } catch {
    rows = [];
  }
  for (const row of rows) {
    const h = get(row.channel);
    if (row.deliveredAt !== undefined && row.deliveredAt !== null) {
      if (h.lastSuccessAt === null || row.deliveredAt > h.lastSuccessAt) h.lastSuccessAt = row.deliveredAt;
    } else {
      h.pending += 1;
      if (row.lastError && row.id > h.lastErrorId) {
        h.lastError = row.lastError;
        h.lastErrorId = row.id;
      }
    }
  }
  return [...map.values()]
    .map(({ channel, lastSuccessAt, lastError, pending }) => ({ channel, lastSuccessAt, lastError, pending }))
    .sort((a, b) => a.channel.localeCompare(b.channel));
}
