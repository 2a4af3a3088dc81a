/**
 * When the history database cannot be opened or written (read-only volume, full disk, corrupt file), the outbox is
 * unusable too. This sends one "inconclusive: tester cannot store results" alert directly, best effort, through
 * the channels that need no database (plugins marked `direct`: email, Telegram Bot API, Slack, Discord, PagerDuty, Google Chat), so
 * the on-call learns the canary is blind.
 */
import type { AlertMessage, Notifier } from '../core/ports.js';
import type { TgCanaryError } from '../core/errors.js';
import type { Config } from '../config/index.js';
import { secretValues } from '../config/redact.js';
import { buildNotifiers } from '../notifiers/index.js';
import { scrubSecrets } from '../delivery/escape.js';
import type { Logger } from '../util/logger.js';

/** True for the store's infrastructure errors (DB_FULL, DB_UNWRITABLE, DB_CORRUPT, DB_BUSY, DB_ERROR). */
export function isStoreFailure(e: unknown): e is TgCanaryError {
  return (
    typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'TgCanaryError' &&
    (e as TgCanaryError).kind === 'infra' && /^DB_/.test((e as TgCanaryError).code)
  );
}

export interface StoreFailureAlertResult {
  sent: string[];
  failed: { channel: string; error: string }[];
}

/** Sends the alert on every configured direct channel within `timeoutMs`; never throws. */
export async function sendStoreFailureAlert(
  config: Config,
  error: TgCanaryError,
  deps: { logger: Logger; now: number; timeoutMs?: number },
): Promise<StoreFailureAlertResult> {
  const a = config.alerts;
  const secrets = secretValues(config);
  const result: StoreFailureAlertResult = { sent: [], failed: [] };
  let notifiers: Notifier[];
  try {
    // only the plugins that need no database (`direct`), without attachments or inline waits
    notifiers = Object.values(buildNotifiers(a, { chromiumPath: config.paths.chromium, timeoutMs: deps.timeoutMs ?? 10_000, direct: true }));
  } catch (e) {
    const err = scrubSecrets(e instanceof Error ? e.message : String(e), secrets);
    deps.logger.error({ err }, 'could not build the notifiers for the "cannot store results" alert');
    return result;
  }
  if (notifiers.length === 0) return result;
  const at = new Date(deps.now).toISOString();
  const runId = `store-failure-${deps.now}`;
  const reason = scrubSecrets(`${error.code}: ${error.message}`, secrets);
  const msg: AlertMessage = {
    kind: 'inconclusive',
    target: 'canary',
    subject: 'tg-canary inconclusive: tester cannot store results',
    text: `tg-canary could not use its history database, so no run was judged and nothing will be rolled back.\n\n${reason}${error.hint ? `\n\nHint: ${error.hint}` : ''}`,
    runId,
    // one incident for the whole outage: PagerDuty folds the repeats into one alert instead of paging per run
    incident: 'store-failure',
    phase: 'open',
    verdict: {
      schema: 1, runId, verdict: 'inconclusive', decision: 'hold', score: 0, startedAt: at, finishedAt: at,
      aborted: true, targets: {}, scenarios: [], reasons: [reason], consecutiveFailures: 0, consecutiveInconclusive: 0, flaky: [],
    },
  };
  await Promise.all(notifiers.map(async (n) => {
    try {
      await n.send(msg);
      result.sent.push(n.name);
    } catch (e) {
      const err = scrubSecrets(e instanceof Error ? e.message : String(e), secrets);
      result.failed.push({ channel: n.name, error: err });
      deps.logger.error({ channel: n.name, err }, 'could not send the "cannot store results" alert');
    }
  }));
  return result;
}
