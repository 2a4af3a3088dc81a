/**
 * Discord webhook with an embed (https://discord.com/developers/docs/resources/webhook#execute-webhook, embed
 * limits at https://discord.com/developers/docs/resources/message#embed-object-embed-limits). Discord answers
 * `204 No Content` (without `?wait=true`), `429` with a JSON body `{ message, retry_after, global }` (seconds,
 * https://discord.com/developers/docs/topics/rate-limits#exceeding-a-rate-limit) and a Retry-After header, or a
 * JSON error `{ code, message }` such as 10015 Unknown Webhook (404) or 50027 Invalid Webhook Token (401): 4xx
 * other than 429 are permanent, 429 and 5xx are retried. Bot replies are untrusted: markdown is escaped and
 * `allowed_mentions.parse` is empty, so a reply can never ping @everyone or a role. The URL holds the token.
 */
import { z } from '../schema-kit/zod.js';
import { httpUrl } from '../config/schema-parts.js';
import type { AlertMessage, Notifier } from '../core/ports.js';
import { fitEscaped } from '../delivery/escape.js';
import { httpSend, httpStatusError } from '../delivery/http.js';
import { defineNotifier } from '../delivery/plugin.js';
import { safeText } from '../util/terminal-text.js';
import { KIND_COLOR, KIND_ICON } from './format.js';

export interface DiscordNotifierOptions {
  webhookUrl: string;
  timeoutMs?: number;
}

/** Backslash-escapes Discord markdown (and `<`, which starts mentions, channels and timestamps). */
export function escapeDiscord(s: string): string {
  return s.replace(/[\\*_~`|>#<[\]()@:-]/g, (c) => `\\${c}`);
}

export interface DiscordMessage {
  username: string;
  allowed_mentions: { parse: string[] };
  embeds: {
    title: string;
    description: string;
    color: number;
    fields: { name: string; value: string; inline: boolean }[];
    footer?: { text: string };
    timestamp?: string;
  }[];
}

/** Limits: title 256, description 4096, field value 1024, footer 2048, 6000 in all (kept well under). */
export function discordMessage(msg: AlertMessage): DiscordMessage {
  const v = msg.verdict;
  const subject = safeText(msg.subject, { singleLine: true });
  const field = (name: string, value: string): { name: string; value: string; inline: boolean } =>
    ({ name, value: fitEscaped(value, 1024, escapeDiscord), inline: true });
  const finished = Date.parse(v.finishedAt);
  return {
    username: 'tg-canary',
    allowed_mentions: { parse: [] },
    embeds: [{
      // titles render markdown too; plain subject, escaped
      title: fitEscaped(`${KIND_ICON[msg.kind]} ${subject}`, 256, escapeDiscord),
      description: fitEscaped(safeText(msg.text), 3500, escapeDiscord),
      color: Number.parseInt(KIND_COLOR[msg.kind].slice(1), 16),
      fields: [field('Target', msg.target), field('Verdict', v.verdict), field('Decision', v.decision), field('Run', msg.runId)],
      ...(msg.idempotencyKey ? { footer: { text: `ref: ${msg.idempotencyKey}`.slice(0, 2048) } } : {}),
      ...(Number.isNaN(finished) ? {} : { timestamp: new Date(finished).toISOString() }),
    }],
  };
}

interface DiscordAnswer {
  message?: unknown;
  code?: unknown;
  retry_after?: unknown;
}

export function createDiscordNotifier(opts: DiscordNotifierOptions): Notifier {
  const secrets = [opts.webhookUrl, tokenOf(opts.webhookUrl)];
  return {
    name: 'discord',
    async send(msg: AlertMessage): Promise<void> {
      const res = await httpSend({
        method: 'POST',
        url: opts.webhookUrl,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(discordMessage(msg)),
        timeoutMs: opts.timeoutMs ?? 10_000,
        secrets,
        what: 'discord webhook',
        anyStatus: true,
      });
      if (res.status >= 200 && res.status < 300) return;
      let answer: DiscordAnswer = {};
      try {
        answer = JSON.parse(res.text) as DiscordAnswer;
      } catch {
        answer = {};
      }
      const retryAfterMs = typeof answer.retry_after === 'number' && answer.retry_after >= 0 ? Math.ceil(answer.retry_after * 1000) : undefined;
      const detail = typeof answer.message === 'string' ? `${answer.message}${typeof answer.code === 'number' ? ` (code ${answer.code})` : ''}` : res.text;
      throw httpStatusError('discord webhook', res, {
        code: 'DISCORD_WEBHOOK', detail: detail || 'no body', secrets, retryAfterMs,
        hint: res.status === 401 || res.status === 404 ? 'The webhook was deleted or its token is wrong; create a new one and set DISCORD_WEBHOOK_URL.' : undefined,
      });
    },
  };
}

/** The token part of `…/api/webhooks/<id>/<token>`, also scrubbed from errors. */
function tokenOf(url: string): string | undefined {
  try {
    const parts = new URL(url).pathname.split('/').filter(Boolean);
    return parts.length >= 2 ? parts[parts.length - 1] : undefined;
  } catch {
    return undefined;
  }
}

export const discordPlugin = defineNotifier({
  name: 'discord',
  configKey: 'discord',
  direct: true,
  schema: z.strictObject({ webhookUrl: httpUrl }),
  envVars: [
    { name: 'DISCORD_WEBHOOK_URL', field: 'webhookUrl', kind: 'string', doc: 'Discord webhook URL; setting it turns Discord alerts on (embeds, no mentions).', fromFile: true, example: 'https://discord.com/api/webhooks/123/abc' },
  ],
  secrets: ['webhookUrl'],
  create: (cfg, deps) => createDiscordNotifier({ webhookUrl: cfg.webhookUrl, timeoutMs: deps.timeoutMs }),
});
