/**
 * Status pushers in a typed name map. At run end `enqueueStatusPushes` freezes each configured pusher's payloads
 * into the outbox; `statusPushHandlers` gives the outbox one delivery handler per configured channel.
 */
import type { OutboxStore, RunHistoryReader } from '../../core/ports.js';
import type { RunResult, TargetName } from '../../core/types.js';
import { healthchecksPusher } from './healthchecks.js';
import { pushgatewayPusher } from './pushgateway.js';
import { uptimeKumaPusher } from './uptime-kuma.js';
import { webhookPusher } from './webhook.js';

export const PUSHERS = {
  pushgateway: pushgatewayPusher,
  healthchecks: healthchecksPusher,
  uptimeKuma: uptimeKumaPusher,
  webhook: webhookPusher,
} as const;

export type PusherName = keyof typeof PUSHERS;

/** `config.status` (only the push targets). */
export interface StatusPushConfig {
  pushgatewayUrl?: string;
  pingUrl?: string;
  uptimeKumaUrl?: string;
  webhook?: { url: string; secret?: string };
}

/** `idempotencyKey`: stable per delivery (the outbox dedupe key), sent so a receiver can drop a resent copy. */
export type PushHandler = (payload: unknown, ctx?: { idempotencyKey?: string }) => Promise<void>;

export function statusPushHandlers(cfg: StatusPushConfig, opts: { timeoutMs?: number } = {}): Partial<Record<PusherName, PushHandler>> {
  const t = opts.timeoutMs;
  const out: Partial<Record<PusherName, PushHandler>> = {};
  if (cfg.pushgatewayUrl) out.pushgateway = PUSHERS.pushgateway.handler({ url: cfg.pushgatewayUrl, timeoutMs: t });
  if (cfg.pingUrl) out.healthchecks = PUSHERS.healthchecks.handler({ pingUrl: cfg.pingUrl, timeoutMs: t });
  if (cfg.uptimeKumaUrl) out.uptimeKuma = PUSHERS.uptimeKuma.handler({ url: cfg.uptimeKumaUrl, timeoutMs: t });
  if (cfg.webhook) out.webhook = PUSHERS.webhook.handler({ url: cfg.webhook.url, secret: cfg.webhook.secret, timeoutMs: t });
  return out;
}

export function configuredPushers(cfg: StatusPushConfig): PusherName[] {
  return Object.keys(statusPushHandlers(cfg)) as PusherName[];
}

/**
 * The run's status pushes, built (the async part) but not yet queued: `enqueue` writes them synchronously, so the
 * caller can put it in the transaction that stores the run. `lastSuccessAt` is read before the run is stored
 * (each pusher adds this run itself when it passed).
 */
export async function prepareStatusPushes(
  store: Pick<RunHistoryReader, 'lastSuccessAt'> & Pick<OutboxStore, 'enqueue'>,
  run: RunResult,
  cfg: StatusPushConfig,
  opts: { exitCode: number; now: number },
): Promise<{ count: number; enqueue(): number }> {
  const lastSuccessAt: Partial<Record<TargetName, number | null>> = {};
  for (const target of Object.keys(run.verdict.targets) as TargetName[]) lastSuccessAt[target] = store.lastSuccessAt(target);
  const items: { channel: string; dedupeKey: string; payload: string }[] = [];
  for (const name of configuredPushers(cfg)) {
    const pusher = PUSHERS[name];
    for (const item of await pusher.payloads(run, { lastSuccessAt, exitCode: opts.exitCode })) {
      items.push({ channel: pusher.channel, dedupeKey: item.dedupeKey, payload: JSON.stringify(item.payload) });
    }
  }
  return {
    count: items.length,
    enqueue: () => items.filter((i) => store.enqueue({ ...i, at: opts.now })).length,
  };
}

/**
 * Freezes the run's status pushes into the outbox (call after `store.finishRun`). Returns how many items were
 * queued; a second call for the same run queues nothing.
 */
export async function enqueueStatusPushes(
  store: Pick<RunHistoryReader, 'lastSuccessAt'> & Pick<OutboxStore, 'enqueue'>,
  run: RunResult,
  cfg: StatusPushConfig,
  opts: { exitCode: number; now: number },
): Promise<number> {
  const lastSuccessAt: Partial<Record<TargetName, number | null>> = {};
  for (const target of Object.keys(run.verdict.targets) as TargetName[]) lastSuccessAt[target] = store.lastSuccessAt(target);
  let added = 0;
  for (const name of configuredPushers(cfg)) {
    const pusher = PUSHERS[name];
    for (const item of await pusher.payloads(run, { lastSuccessAt, exitCode: opts.exitCode })) {
      if (store.enqueue({ channel: pusher.channel, dedupeKey: item.dedupeKey, payload: JSON.stringify(item.payload), at: opts.now })) added += 1;
    }
  }
  return added;
}

export { pingStart } from './healthchecks.js';
export { signBody, verifySignature, IDEMPOTENCY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './webhook.js';
