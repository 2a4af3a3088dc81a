/**
 * Google Chat incoming webhook (https://developers.google.com/workspace/chat/quickstart/webhooks) with a card
 * (https://developers.google.com/workspace/chat/api/reference/rest/v1/cards): the alert text goes in a
 * `textParagraph`, whose limited HTML is escaped (https://developers.google.com/workspace/chat/format-messages#card-formatting),
 * so a bot reply can neither mention `<users/all>` nor add markup; there is no plain `text` part, whose formatting
 * syntax has no escape. Google answers 200 with the created message, or `{ error: { code, message, status } }`:
 * 4xx other than 429 are permanent, 429 (RESOURCE_EXHAUSTED, https://developers.google.com/workspace/chat/limits:
 * back off exponentially) and 5xx are retried. The URL holds the webhook's key and token.
 */
import { z } from '../schema-kit/zod.js';
import { httpUrl } from '../config/schema-parts.js';
import type { AlertMessage, Notifier } from '../core/ports.js';
import { escapeHtml, fitEscaped } from '../delivery/escape.js';
import { httpSend, httpStatusError } from '../delivery/http.js';
import { defineNotifier } from '../delivery/plugin.js';
import { safeText } from '../util/terminal-text.js';
import { KIND_COLOR, KIND_ICON } from './format.js';

export interface GoogleChatNotifierOptions {
  webhookUrl: string;
  timeoutMs?: number;
}

interface Widget {
  textParagraph?: { text: string };
  decoratedText?: { topLabel: string; text: string };
}

export interface GoogleChatMessage {
  cardsV2: { cardId: string; card: { header: { title: string; subtitle: string }; sections: { widgets: Widget[] }[] } }[];
}

/** HTML-escaped text with newlines as `<br>` (the only markup we add). */
function html(raw: string, max: number): string {
  return fitEscaped(raw, max, escapeHtml).replace(/\n/g, '<br>');
}

export function googleChatMessage(msg: AlertMessage): GoogleChatMessage {
  const v = msg.verdict;
  const subject = safeText(msg.subject, { singleLine: true });
  const item = (label: string, value: string): Widget => ({ decoratedText: { topLabel: label, text: html(value, 500) } });
  return {
    cardsV2: [{
      cardId: 'tg-canary-alert',
      card: {
        // header fields are plain text
        header: { title: `${KIND_ICON[msg.kind]} ${subject}`.slice(0, 200), subtitle: `tg-canary run ${msg.runId}`.slice(0, 200) },
        sections: [
          { widgets: [{ textParagraph: { text: `<font color="${KIND_COLOR[msg.kind]}">${html(safeText(msg.text), 3500)}</font>` } }] },
          {
            widgets: [item('Target', msg.target), item('Verdict', v.verdict), item('Decision', v.decision),
              ...(msg.idempotencyKey ? [item('Ref', msg.idempotencyKey)] : [])],
          },
        ],
      },
    }],
  };
}

interface GoogleError {
  error?: { code?: unknown; message?: unknown; status?: unknown };
}

export function createGoogleChatNotifier(opts: GoogleChatNotifierOptions): Notifier {
  const secrets = [opts.webhookUrl, ...queryValues(opts.webhookUrl)];
  return {
    name: 'googleChat',
    async send(msg: AlertMessage): Promise<void> {
      const res = await httpSend({
        method: 'POST',
        url: opts.webhookUrl,
        headers: { 'content-type': 'application/json; charset=UTF-8' },
        body: JSON.stringify(googleChatMessage(msg)),
        timeoutMs: opts.timeoutMs ?? 10_000,
        secrets,
        what: 'google chat webhook',
        anyStatus: true,
      });
      if (res.status >= 200 && res.status < 300) return;
      let answer: GoogleError = {};
      try {
        answer = JSON.parse(res.text) as GoogleError;
      } catch {
        answer = {};
      }
      const e = answer.error;
      const detail = e && typeof e.message === 'string' ? `${typeof e.status === 'string' ? `${e.status}: ` : ''}${e.message}` : res.text;
      throw httpStatusError('google chat webhook', res, {
        code: 'GOOGLE_CHAT_WEBHOOK', detail: detail || 'no body', secrets,
        hint: res.status === 401 || res.status === 403 || res.status === 404 ? 'The webhook was deleted or its key/token is wrong; create a new one and set GOOGLE_CHAT_WEBHOOK_URL.' : undefined,
      });
    },
  };
}

/** The `key` and `token` query values of the webhook URL, also scrubbed from errors. */
function queryValues(url: string): string[] {
  try {
    return [...new URL(url).searchParams.values()].filter((v) => v.length >= 4);
  } catch {
    return [];
  }
}

export const googleChatPlugin = defineNotifier({
  name: 'googleChat',
  configKey: 'googleChat',
  schema: z.strictObject({ webhookUrl: httpUrl }),
  direct: true,
  envVars: [
    { name: 'GOOGLE_CHAT_WEBHOOK_URL', field: 'webhookUrl', kind: 'string', doc: 'Google Chat space webhook URL; setting it turns Google Chat alerts on (card messages).', fromFile: true, example: 'https://chat.googleapis.com/v1/spaces/AAAA/messages?key=...&token=...' },
  ],
  secrets: ['webhookUrl'],
  create: (cfg, deps) => createGoogleChatNotifier({ webhookUrl: cfg.webhookUrl, timeoutMs: deps.timeoutMs }),
});
