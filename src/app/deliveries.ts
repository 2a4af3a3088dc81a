/**
 * After every run: the status file, status pushes and alerts, all through the SQLite outbox so that a target that
 * is down never loses a run's result. Alert policy lives in core; this only wires state, outbox and senders.
 */
import type { RunResult } from '../core/types.js';
import { secretValues } from '../config/index.js';
import type { RenderPdf } from '../delivery/plugin.js';
import { buildNotifiers, isNotifierChannel, type NotifierName } from '../notifiers/index.js';
import { pingStart, prepareStatusPushes, statusPushHandlers } from '../status/pushers/index.js';
import { buildStatusJson, writeStatusFile } from '../status/status-file.js';
import { alertHandler, queueRunAlerts } from '../delivery/alert-outbox.js';
import { deliverOutbox, outboxHealth, type ChannelHealth, type DeliverResult, type OutboxHandler } from '../delivery/outbox.js';
import { createTelegramUserSend } from './telegram-user-send.js';
import { channelRoutes } from '../config/escalation-schema.js';
import { exitCodeFor } from '../core/exit-codes.js';
import type { AppContext } from './app-context.js';
import { activeMaintenance, alertMuteFor } from './maintenance-state.js';

export interface DeliveriesDeps extends AppContext {
  /** Overrides how the test user's session sends an alert (tests); default connects briefly. */
  telegramUserSend?: (peer: string, html: string) => Promise<void>;
  /** Where silences are read (default `store`): a fleet keeps them in the main store for every pair. */
  silences?: Pick<AppContext['store'], 'listSilences'>;
}

export interface Deliveries {
  readonly channels: string[];
  beforeRun(runId: string): Promise<void>;
  /**
   * Builds the run's status pushes and returns the synchronous writes that queue them and its alerts; the caller
   * runs those in the transaction that stores the run (runJob's `prepareQueue`).
   */
  prepareQueue(run: RunResult, reportDir: string): Promise<() => void>;
  /** After the run is stored: the status file, then delivering everything pending. */
  afterRun(run: RunResult, reportDir: string): Promise<DeliverResult>;
  /** Retries what is due (daemon tick). */
  tick(opts?: { ignoreBackoff?: boolean }): Promise<DeliverResult>;
  /** Per channel: last success, last error, pending items, and whether it is a notifier or a status pusher. */
  health(): (ChannelHealth & { kind: 'notifier' | 'pusher' })[];
}

export function createDeliveries(deps: DeliveriesDeps): Deliveries {
  const { config, store, clock, logger } = deps;
  const a = config.alerts;
  const notifiers = buildNotifiers(a, {
    chromiumPath: config.paths.chromium,
    reportsDir: config.paths.reports,
    renderPdf: lazyRenderPdf,
    clock,
    telegramUserSend: a.telegramUser ? (deps.telegramUserSend ?? createTelegramUserSend(config, store, clock, logger)) : undefined,
  });
  const alertChannels = Object.keys(notifiers) as NotifierName[];
  const handlers: Record<string, OutboxHandler> = {};
  for (const name of alertChannels) {
    const n = notifiers[name];
    if (n) handlers[name] = alertHandler(n);
  }
  for (const [name, h] of Object.entries(statusPushHandlers(config.status))) {
    if (h) handlers[name] = (payload, item) => h(payload, { idempotencyKey: item.dedupeKey });
  }
  const secrets = secretValues(config);
  const deliver = (ignoreBackoff = false): Promise<DeliverResult> =>
    deliverOutbox(store, handlers, { clock, logger, secrets, ignoreBackoff });

  return {
    channels: Object.keys(handlers),
    async beforeRun(runId) {
      if (config.status.pingUrl) {
        const r = await pingStart({ pingUrl: config.status.pingUrl }, runId);
        if (!r.ok) logger.warn({ err: r.error }, 'start ping failed');
      }
    },
    async prepareQueue(run, reportDir) {
      const pushes = await prepareStatusPushes(store, run, config.status,
        { exitCode: exitCodeFor(run.verdict.verdict, config.run.inconclusiveExitCode), now: clock.now() });
      return () => {
        pushes.enqueue();
        // Queues, then saves the alert state, all inside the caller's transaction with the run itself.
        const muted = alertMuteFor(activeMaintenance(config, deps.silences ?? store, run.finishedAt), run.verdict);
        queueRunAlerts(store, run, { policy: a, channels: channelRoutes(alertChannels, a.escalation), now: run.finishedAt, reportDir, muted });
      };
    },
    async afterRun(run) {
      const now = clock.now();
      if (config.status.statusFile) {
        try {
          await writeStatusFile(config.paths.reports, buildStatusJson(run, { version: deps.version, startedAt: deps.processStartedAt, now }));
        } catch (e) {
          logger.error({ err: String(e) }, 'could not write status.json');
        }
      }
      // A new run retries everything pending now, whatever its backoff (a CronJob runs only hourly).
      return deliver(true);
    },
    tick(opts) {
      return deliver(opts?.ignoreBackoff ?? false);
    },
    health() {
      return outboxHealth(store, Object.keys(handlers)).map((h) => ({ ...h, kind: isNotifierChannel(h.channel) ? 'notifier' : 'pusher' }));
    },
  };
}

/** The PDF renderer for email attachments, loaded on first use so Chromium-less runs never load playwright-core. */
export const lazyRenderPdf: RenderPdf = async (html, pdf, opts) => {
  const { renderPdf } = await import('../reporters/pdf.js');
  await renderPdf(html, pdf, opts);
};
