/**
 * PagerDuty Events API v2 (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/,
 * https://developer.pagerduty.com/docs/events-api-v2/resolve-events/): one `trigger` when an incident opens and one
 * `resolve` when it recovers, both with the same `dedup_key`, derived from the alert's incident (state key + since,
 * saved in SQLite) so a restarted process resolves the incident it opened. Reminders send nothing: PagerDuty's own
 * escalation policy re-notifies, and a second trigger would only append to the open alert.
 *
 * Severity from the verdict: a failing canary is `critical`, a failing stable bot `error`, "cannot judge"
 * (inconclusive) `warning`. PagerDuty answers `202 {status:"success", message, dedup_key}`, `400 {status:"invalid
 * event", errors}` (permanent), `429` (rate limited; retried) or a 5xx (retried). The routing key is the secret.
 */
import { z } from '../schema-kit/zod.js';
import { httpUrl } from '../config/schema-parts.js';
import type { AlertMessage, Notifier } from '../core/ports.js';
import { DeliveryError, httpSend, httpStatusError } from '../delivery/http.js';
import { defineNotifier } from '../delivery/plugin.js';
import { safeText } from '../util/terminal-text.js';

export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

export interface PagerDutyNotifierOptions {
  routingKey: string;
  /** Events API endpoint; the default is PagerDuty's. */
  eventsUrl?: string;
  /** `payload.source`: where the problem is (default `tg-canary`). */
  source?: string;
  timeoutMs?: number;
}

export type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info';

export interface PagerDutyEvent {
  routing_key: string;
  event_action: 'trigger' | 'resolve';
  dedup_key: string;
  client?: string;
  payload?: {
    summary: string;
    source: string;
    severity: PagerDutySeverity;
    component: string;
    group: string;
    class: string;
    timestamp?: string;
    custom_details: Record<string, unknown>;
  };
}

/**
 * The incident's stable key: `tg-canary/<state key>:<since>`. Alerts queued before incidents were recorded fall
 * back to the incident part of their outbox key (`alert:<key>:<since>:<kind>:<n>:<channel>`).
 */
export function pagerDutyDedupKey(msg: AlertMessage): string {
  let incident = msg.incident;
  if (!incident && msg.idempotencyKey) {
    const m = /^alert:(.+):(\d+):[a-z-]+:\d+(?::|$)/.exec(msg.idempotencyKey);
    if (m) incident = `${m[1]}:${m[2]}`;
  }
  return `tg-canary/${incident ?? `${msg.target}:${msg.runId}`}`.slice(0, 255);
}

export function pagerDutySeverity(msg: AlertMessage): PagerDutySeverity {
  if (msg.kind === 'inconclusive' || msg.kind === 'inconclusive-resolved') return 'warning';
  return msg.target === 'canary' ? 'critical' : 'error';
}

/** The event for an alert, or undefined when this alert sends nothing (a reminder). */
export function pagerDutyEvent(msg: AlertMessage, opts: PagerDutyNotifierOptions): PagerDutyEvent | undefined {
  const resolved = msg.kind === 'resolved' || msg.kind === 'inconclusive-resolved';
  const reminder = msg.kind === 'reminder' || (msg.phase === 'reminder' && !resolved);
  if (reminder) return undefined;
  const dedupKey = pagerDutyDedupKey(msg);
  if (resolved) return { routing_key: opts.routingKey, event_action: 'resolve', dedup_key: dedupKey };
  const v = msg.verdict;
  const finished = Date.parse(v.finishedAt);
  return {
    routing_key: opts.routingKey,
    event_action: 'trigger',
    dedup_key: dedupKey,
    client: 'tg-canary',
    payload: {
      summary: safeText(msg.subject, { singleLine: true }).slice(0, 1024),
      source: opts.source ?? 'tg-canary',
      severity: pagerDutySeverity(msg),
      component: msg.target,
      group: 'tg-canary',
      class: msg.kind === 'inconclusive' ? 'cannot-judge' : 'canary-failure',
      ...(Number.isNaN(finished) ? {} : { timestamp: new Date(finished).toISOString() }),
      custom_details: {
        run_id: msg.runId,
        ...(v.revision ? { revision: v.revision } : {}),
        verdict: v.verdict,
        decision: v.decision,
        reasons: v.reasons.slice(0, 10).map((r) => safeText(r).slice(0, 500)),
        text: safeText(msg.text).slice(0, 4000),
      },
    },
  };
}

interface PagerDutyAnswer {
  status?: unknown;
  message?: unknown;
  errors?: unknown;
}

export function createPagerDutyNotifier(opts: PagerDutyNotifierOptions): Notifier {
  const secrets = [opts.routingKey];
  return {
    name: 'pagerduty',
    async send(msg: AlertMessage): Promise<void> {
      const event = pagerDutyEvent(msg, opts);
      if (!event) return;
      const res = await httpSend({
        method: 'POST',
        url: opts.eventsUrl ?? PAGERDUTY_EVENTS_URL,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(event),
        timeoutMs: opts.timeoutMs ?? 10_000,
        secrets,
        what: 'pagerduty events api',
        anyStatus: true,
      });
      let answer: PagerDutyAnswer = {};
      try {
        answer = JSON.parse(res.text) as PagerDutyAnswer;
      } catch {
        answer = {};
      }
      if (res.status >= 200 && res.status < 300) {
        if (answer.status === undefined || answer.status === 'success') return;
        throw new DeliveryError('PAGERDUTY_UNEXPECTED_ANSWER', `pagerduty events api: HTTP ${res.status} with status ${JSON.stringify(answer.status).slice(0, 80)}`, {
          status: res.status,
          hint: 'PagerDuty did not confirm the event; retried by the outbox.',
        });
      }
      const errors = Array.isArray(answer.errors) ? answer.errors.filter((e): e is string => typeof e === 'string').join('; ') : '';
      const detail = [typeof answer.message === 'string' ? answer.message : '', errors].filter(Boolean).join(': ') || res.text || 'no body';
      throw httpStatusError('pagerduty events api', res, {
        code: 'PAGERDUTY', detail, secrets,
        hint: res.status === 400 ? 'PagerDuty rejected the event; check PAGERDUTY_ROUTING_KEY (an Events API v2 integration key).' : undefined,
      });
    },
  };
}

export const pagerdutyPlugin = defineNotifier({
  name: 'pagerduty',
  configKey: 'pagerduty',
  direct: true,
  schema: z.strictObject({
    routingKey: z.string().min(1),
    eventsUrl: httpUrl.default(PAGERDUTY_EVENTS_URL),
    source: z.string().min(1).default('tg-canary'),
  }),
  envVars: [
    { name: 'PAGERDUTY_ROUTING_KEY', field: 'routingKey', kind: 'string', doc: 'Integration (routing) key of a PagerDuty Events API v2 integration; setting it turns PagerDuty on (trigger on an incident, resolve on recovery).', fromFile: true, example: 'R0123456789ABCDEF0123456789ABCDE' },
    { name: 'PAGERDUTY_EVENTS_URL', field: 'eventsUrl', kind: 'string', doc: 'Events API v2 endpoint.', default: PAGERDUTY_EVENTS_URL },
    { name: 'PAGERDUTY_SOURCE', field: 'source', kind: 'string', doc: 'payload.source of the events (where the problem is).', default: 'tg-canary' },
  ],
  secrets: ['routingKey'],
  create: (cfg, deps) => createPagerDutyNotifier({ ...cfg, timeoutMs: deps.timeoutMs }),
});
