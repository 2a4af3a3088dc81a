/**
 * Slack incoming webhook (https://api.slack.com/messaging/webhooks) with a Block Kit layout
 * (https://api.slack.com/block-kit): a header, the alert text, verdict fields and a context line. Everything from
 * the run is untrusted: mrkdwn text has `&`, `<` and `>` escaped (Slack's own escaping rule), so a bot reply can
 * neither mention `<!channel>` nor forge a link. Slack answers `200 ok`, or an error string such as
 * `invalid_payload` (400), `action_prohibited` (403), `channel_not_found` / `no_service` (404),
 * `channel_is_archived` (410), `rate_limited` (429 with Retry-After) or a 5xx: 4xx other than 429 are permanent
 * (the outbox parks the item), 429 and 5xx are retried. The webhook URL is the secret.
 */
import { z } from '../schema-kit/zod.js';
import { httpUrl } from '../config/schema-parts.js';
import type { AlertMessage, Notifier } from '../core/ports.js';
import { fitEscaped } from '../delivery/escape.js';
import { httpSend, httpStatusError } from '../delivery/http.js';
import { defineNotifier } from '../delivery/plugin.js';
import { safeText } from '../util/terminal-text.js';
import { KIND_ICON } from './format.js';

export interface SlackNotifierOptions {
  webhookUrl: string;
  timeoutMs?: number;
}

/** Slack's escaping for text objects: only these three characters are control characters. */
export function escapeSlack(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

type TextObject = { type: 'plain_text'; text: string; emoji?: boolean } | { type: 'mrkdwn'; text: string };
type Block =
  | { type: 'header'; text: TextObject }
  | { type: 'section'; text?: TextObject; fields?: TextObject[] }
  | { type: 'context'; elements: TextObject[] };

export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** Block Kit limits: header 150 characters, section text 3000, field 2000, at most 10 fields. */
export function slackMessage(msg: AlertMessage): SlackMessage {
  const subject = safeText(msg.subject, { singleLine: true });
  const v = msg.verdict;
  const field = (name: string, value: string): TextObject => ({ type: 'mrkdwn', text: fitEscaped(`${name}\n${value}`, 1990, escapeSlack).replace(/^([^\n]*)/, '*$1*') });
  const context = [`run ${msg.runId}`, ...(v.revision ? [`revision ${v.revision}`] : []), ...(msg.idempotencyKey ? [`ref ${msg.idempotencyKey}`] : [])];
  return {
    text: fitEscaped(`${KIND_ICON[msg.kind]} ${subject}`, 3000, escapeSlack),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: fitEscaped(`${KIND_ICON[msg.kind]} ${subject}`, 150, (s) => s), emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: fitEscaped(safeText(msg.text), 3000, escapeSlack) } },
      { type: 'section', fields: [field('Target', msg.target), field('Verdict', v.verdict), field('Decision', v.decision), field('Score', v.score.toFixed(2))] },
      { type: 'context', elements: [{ type: 'mrkdwn', text: fitEscaped(context.join(' · '), 3000, escapeSlack) }] },
    ],
  };
}

const HINTS: Record<string, string> = {
  invalid_payload: 'Slack could not parse the message tg-canary sent; please report this as a bug.',
  no_service: 'The webhook was revoked or disabled; create a new incoming webhook and set SLACK_WEBHOOK_URL.',
  channel_not_found: 'The webhook\'s channel no longer exists; create a new incoming webhook and set SLACK_WEBHOOK_URL.',
  channel_is_archived: 'The webhook\'s channel is archived; unarchive it or set a new SLACK_WEBHOOK_URL.',
  action_prohibited: 'The workspace forbids this webhook from posting; ask a Slack admin.',
};

export function createSlackNotifier(opts: SlackNotifierOptions): Notifier {
  const secrets = [opts.webhookUrl, safePath(opts.webhookUrl)];
  return {
    name: 'slack',
    async send(msg: AlertMessage): Promise<void> {
      const res = await httpSend({
        method: 'POST',
        url: opts.webhookUrl,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(slackMessage(msg)),
        timeoutMs: opts.timeoutMs ?? 10_000,
        secrets,
        what: 'slack webhook',
        anyStatus: true,
      });
      if (res.status >= 200 && res.status < 300) return;
      const error = res.text.trim().slice(0, 100);
      throw httpStatusError('slack webhook', res, { code: 'SLACK_WEBHOOK', detail: error || 'no body', secrets, hint: HINTS[error] });
    },
  };
}

/** The path of the webhook URL (`/services/T…/B…/secret`), also scrubbed from errors. */
function safePath(url: string): string | undefined {
  try {
    const p = new URL(url).pathname;
    return p.length > 1 ? p : undefined;
  } catch {
    return undefined;
  }
}

export const slackPlugin = defineNotifier({
  name: 'slack',
  configKey: 'slack',
  direct: true,
  schema: z.strictObject({ webhookUrl: httpUrl }),
  envVars: [
    { name: 'SLACK_WEBHOOK_URL', field: 'webhookUrl', kind: 'string', doc: 'Slack incoming webhook URL; setting it turns Slack alerts on (Block Kit messages).', fromFile: true, example: 'https://hooks.slack.com/services/T000/B000/XXXX' },
  ],
  secrets: ['webhookUrl'],
  create: (cfg, deps) => createSlackNotifier({ webhookUrl: cfg.webhookUrl, timeoutMs: deps.timeoutMs }),
});
