/**
 * Status pushers in a typed name map (one plugin per file, see src/delivery/plugin.ts). At run end
 * `prepareStatusPushes` freezes each configured pusher's payloads into the outbox; `statusPushHandlers` gives the
 * outbox one delivery handler per configured channel.
 */
import type { OutboxStore, RunHistoryReader } from '../../core/ports.js';
import type { RunResult, TargetName } from '../../core/types.js';
import { pluginNames, type PushHandler, type PusherDeps, type PusherPlugin, type SectionConfig } from '../../delivery/plugin.js';
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
export const PUSHER_NAMES: PusherName[] = pluginNames(PUSHERS);
/** `config.status` (only the push targets), derived from the plugins' schemas. */
export type StatusPushConfig = SectionConfig<typeof PUSHERS>;

export type { PushHandler } from '../../delivery/plugin.js';

function sectionOf(cfg: StatusPushConfig, plugin: PusherPlugin): unknown {
  return (cfg as Record<string, unknown>)[plugin.configKey];
}

/** One handler per configured pusher, keyed by its outbox channel. */
export function statusPushHandlers(cfg: StatusPushConfig, opts: PusherDeps = {}): Partial<Record<PusherName, PushHandler>> {
  const out: Partial<Record<PusherName, PushHandler>> = {};
  for (const name of PUSHER_NAMES) {
    const plugin: PusherPlugin = PUSHERS[name];
    const section = sectionOf(cfg, plugin);
    if (section !== undefined) out[name] = plugin.create(section, opts);
  }
  return out;
}

export function configuredPushers(cfg: StatusPushConfig): PusherName[] {
  return PUSHER_NAMES.filter((name) => sectionOf(cfg, PUSHERS[name]) !== undefined);
}

async function pushItems(store: Pick<RunHistoryReader, 'lastSuccessAt'>, run: RunResult, cfg: StatusPushConfig, exitCode: number):
  Promise<{ channel: string; dedupeKey: string; payload: string }[]> {
  const lastSuccessAt: Partial<Record<TargetName, number | null>> = {};
  for (const target of Object.keys(run.verdict.targets) as TargetName[]) lastSuccessAt[target] = store.lastSuccessAt(target);
  const items: { channel: string; dedupeKey: string; payload: string }[] = [];
  for (const name of configuredPushers(cfg)) {
    const pusher: PusherPlugin = PUSHERS[name];
    for (const item of await pusher.payloads(run, { lastSuccessAt, exitCode })) {
      items.push({ channel: pusher.name, dedupeKey: item.dedupeKey, payload: JSON.stringify(item.payload) });
    }
  }
  return items;
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
  const items = await pushItems(store, run, cfg, opts.exitCode);
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
  return (await prepareStatusPushes(store, run, cfg, opts)).enqueue();
}

export { pingStart } from './healthchecks.js';
export { signBody, verifySignature, IDEMPOTENCY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './webhook.js';
