/**
 * Slack and Discord through the real outbox and SQLite store, against loopback fakes built from the services'
 * documented payloads and answers:
 * - Slack incoming webhooks: https://api.slack.com/messaging/webhooks (200 `ok`; `invalid_payload` 400,
 *   `no_service` 404, `channel_is_archived` 410, 429 with Retry-After: https://api.slack.com/apis/rate-limits),
 *   Block Kit: https://api.slack.com/block-kit, escaping: https://api.slack.com/reference/surfaces/formatting#escaping
 * - Discord: https://discord.com/developers/docs/resources/webhook#execute-webhook (204 No Content), rate limits:
 *   https://discord.com/developers/docs/topics/rate-limits#exceeding-a-rate-limit (429, JSON `retry_after` seconds),
 *   errors `{ code, message }` such as 10015 Unknown Webhook: https://discord.com/developers/docs/topics/opcodes-and-status-codes
 * - Google Chat: https://developers.google.com/workspace/chat/quickstart/webhooks (200 with the message), cards:
 *   https://developers.google.com/workspace/chat/api/reference/rest/v1/cards, errors `{ error: { code, message,
 *   status } }`, 429 RESOURCE_EXHAUSTED: https://developers.google.com/workspace/chat/limits
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertPolicy } from '../../src/core/alert-policy.js';
import type { RunResult } from '../../src/core/types.js';
import { alertHandler, describeOutboxItem, queueRunAlerts } from '../../src/delivery/alert-outbox.js';
import { deliverOutbox, type OutboxHandler } from '../../src/delivery/outbox.js';
import { buildNotifiers, NOTIFIERS } from '../../src/notifiers/index.js';
import { openStore, type SqliteRunStore } from '../../src/store/index.js';
import { makeRun, startHttp, type Loopback, type Recorded } from './fixtures.js';

const T0 = 1_700_000_000_000;
const HOUR = 3_600_000;
const policy: AlertPolicy = { failureThreshold: 1, successThreshold: 1, reminderIntervalMs: 0, inconclusiveThreshold: 3 };
const HOSTILE = '@everyone <!channel> **bold** <https://evil.test|click> `code` & <script>x</script>';
let dir: string;
let http: Loopback | undefined;

beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'tgc-chat-')); });
afterEach(async () => {
  await http?.close();
  http = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** A run whose failing scenario's reason carries the hostile bot reply. */
function hostileRun(id: string, verdict: 'fail' | 'pass', at: number): RunResult {
  const run = makeRun(id, verdict, at);
  for (const s of run.verdict.scenarios) if (s.status === 'fail') s.reasons = [`reply was ${HOSTILE}`];
  return run;
}

function finish(store: SqliteRunStore, run: RunResult, channel: string): void {
  store.finishRun(run);
  queueRunAlerts(store, run, { policy, channels: [channel], now: run.finishedAt });
}

type Answer = (req: Recorded, res: ServerResponse) => void;
/** A fake whose answers are taken in turn (the last one repeats). */
async function fake(answers: Answer[]): Promise<Loopback> {
  let i = 0;
  return startHttp((req, res) => {
    const a = answers[Math.min(i, answers.length - 1)];
    i += 1;
    a?.(req, res);
  });
}

const slackOk: Answer = (_r, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end('ok'); };
const slackErr = (status: number, text: string, headers: Record<string, string> = {}): Answer => (_r, res) => {
  res.writeHead(status, { 'content-type': 'text/html', ...headers });
  res.end(text);
};

function handlersFor(channel: 'slack' | 'discord' | 'googleChat', url: string): Record<string, OutboxHandler> {
  const n = buildNotifiers({ [channel]: { webhookUrl: url } }, { chromiumPath: '/nope' });
  const notifier = n[channel];
  if (!notifier) throw new Error(`${channel} not built`);
  return { [channel]: alertHandler(notifier) };
}

interface SlackBody { text: string; blocks: { type: string; text?: { type: string; text: string }; fields?: { text: string }[]; elements?: { text: string }[] }[] }

describe('Slack incoming webhook (loopback fake, through the outbox)', () => {
  it('posts a Block Kit message with every bot-derived text escaped, once', async () => {
    http = await fake([slackOk]);
    const url = `${http.url}/services/T000/B000/slack-SECRET-path`;
    const store = openStore(join(dir, 'slack.db'));
    finish(store, hostileRun('run-s1', 'fail', T0), 'slack');
    const r = await deliverOutbox(store, handlersFor('slack', url), { now: T0 + 6000 });
    expect(r.delivered).toBe(1);
    expect(http.requests).toHaveLength(1);
    const req = http.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/services/T000/B000/slack-SECRET-path');
    expect(req.headers['content-type']).toContain('application/json');
    const body = JSON.parse(req.body) as SlackBody;
    expect(body.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context']);
    expect(body.blocks[0]?.text?.type).toBe('plain_text');
    expect(body.blocks[0]?.text?.text).toContain('canary FAILING');
    const section = body.blocks[1]?.text;
    expect(section?.type).toBe('mrkdwn');
    // Slack's control characters are escaped: no mention, link or tag survives
    expect(section?.text).toContain('&lt;!channel&gt;');
    expect(section?.text).toContain('&lt;https://evil.test|click&gt;');
    expect(section?.text).toContain('&amp; &lt;script&gt;');
    expect(req.body).not.toMatch(/<!channel>|<script>|<https:/);
    expect(body.blocks[2]?.fields?.map((f) => f.text)).toContain('*Verdict*\nfail');
    expect(body.blocks[3]?.elements?.[0]?.text).toContain('ref alert:canary:');
    expect(body.text).toContain('canary FAILING');
    // a second pass sends nothing more
    await deliverOutbox(store, handlersFor('slack', url), { now: T0 + 7000 });
    expect(http.requests).toHaveLength(1);
    store.close();
  });

  it('429 with Retry-After: waits as asked, even on a forced retry, then delivers', async () => {
    http = await fake([slackErr(429, 'rate_limited', { 'retry-after': '30' }), slackOk]);
    const store = openStore(join(dir, 'slack429.db'));
    finish(store, makeRun('run-s2', 'fail', T0), 'slack');
    const h = handlersFor('slack', `${http.url}/services/x`);
    const t = T0 + 6000;
    const r1 = await deliverOutbox(store, h, { now: t });
    expect(r1.failed).toBe(1);
    expect(r1.health[0]?.lastError).toContain('SLACK_WEBHOOK_429');
    const item = store.listOutbox({ last: 10 })[0]!;
    expect(item.notBefore).toBe(t + 30_000);
    expect((await deliverOutbox(store, h, { now: t + 10_000, ignoreBackoff: true })).delivered).toBe(0);
    expect(http.requests).toHaveLength(1);
    expect((await deliverOutbox(store, h, { now: t + 31_000, ignoreBackoff: true })).delivered).toBe(1);
    expect(http.requests).toHaveLength(2);
    store.close();
  });

  it('4xx is permanent (parked, never resent, the next item still goes out); 5xx is retried', async () => {
    http = await fake([slackErr(400, 'invalid_payload'), slackErr(500, 'rollup_error'), slackOk]);
    const secretUrl = `${http.url}/services/T1/B1/hook-SECRET-token`;
    const store = openStore(join(dir, 'slack4xx.db'));
    finish(store, makeRun('run-s3', 'fail', T0), 'slack');
    finish(store, makeRun('run-s4', 'pass', T0 + HOUR), 'slack');
    const h = handlersFor('slack', secretUrl);
    const r1 = await deliverOutbox(store, h, { now: T0 + HOUR + 6000, backoff: { baseMs: 1000, maxMs: 1000 } });
    // the failing alert was refused for good; the resolved one behind it got a 500 and waits for its retry
    expect(r1.failed).toBe(2);
    const [first, second] = store.listOutbox({ last: 10 }).sort((a, b) => a.id - b.id).map(describeOutboxItem);
    expect(first?.status).toBe('parked');
    expect(first?.lastError).toContain('SLACK_WEBHOOK_400');
    expect(first?.lastError).toContain('invalid_payload');
    expect(first?.lastError).toContain('not retried');
    expect(second?.status).toBe('pending');
    expect(second?.lastError).toContain('SLACK_WEBHOOK_500');
    expect(JSON.stringify(store.listOutbox({ last: 10 }))).not.toContain('hook-SECRET-token');
    const r2 = await deliverOutbox(store, h, { now: T0 + HOUR + 8000 });
    expect(r2.delivered).toBe(1);
    expect(http.requests).toHaveLength(3); // the refused one was never sent again
    expect((JSON.parse(http.requests[2]!.body) as SlackBody).text).toContain('RESOLVED');
    store.close();
  });

  it('no_service (404) carries a hint to replace the webhook URL', async () => {
    http = await fake([slackErr(404, 'no_service')]);
    const n = NOTIFIERS.slack.create({ webhookUrl: `${http.url}/services/gone` }, { chromiumPath: '/nope' });
    const run = makeRun('run-s5', 'fail', T0);
    const err = await n.send({ kind: 'failing', target: 'canary', subject: 's', text: 't', verdict: run.verdict, runId: run.runId }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SLACK_WEBHOOK_404', permanent: true, hint: expect.stringContaining('SLACK_WEBHOOK_URL') });
  });
});

interface DiscordBody {
  username: string;
  allowed_mentions: { parse: string[] };
  embeds: { title: string; description: string; color: number; fields: { name: string; value: string }[]; footer?: { text: string }; timestamp?: string }[];
}

const discordOk: Answer = (_r, res) => { res.writeHead(204); res.end(); };
const discordErr = (status: number, body: unknown, headers: Record<string, string> = {}): Answer => (_r, res) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

describe('Discord webhook (loopback fake, through the outbox)', () => {
  it('posts one embed, mentions disabled and markdown escaped; 204 is success', async () => {
    http = await fake([discordOk]);
    const store = openStore(join(dir, 'discord.db'));
    finish(store, hostileRun('run-d1', 'fail', T0), 'discord');
    const r = await deliverOutbox(store, handlersFor('discord', `${http.url}/api/webhooks/123/discord-SECRET-token`), { now: T0 + 6000 });
    expect(r.delivered).toBe(1);
    const body = JSON.parse(http.requests[0]!.body) as DiscordBody;
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.embeds).toHaveLength(1);
    const e = body.embeds[0]!;
    expect(e.title).toContain('canary FAILING');
    expect(e.color).toBe(0xb42318);
    expect(e.description).toContain('\\@everyone');
    expect(e.description).toContain('\\*\\*bold\\*\\*');
    expect(e.description).toContain('\\`code\\`');
    expect(e.description).not.toMatch(/(^|[^\\])@everyone/);
    expect(e.fields.map((f) => f.name)).toEqual(['Target', 'Verdict', 'Decision', 'Run']);
    expect(e.footer?.text).toMatch(/^ref: alert:canary:/);
    expect(e.timestamp).toBe(new Date(T0 + 5000).toISOString());
    expect(e.title.length).toBeLessThanOrEqual(256);
    expect(e.description.length).toBeLessThanOrEqual(4096);
    store.close();
  });

  it('429: waits the JSON retry_after (seconds), then delivers', async () => {
    http = await fake([discordErr(429, { message: 'You are being rate limited.', retry_after: 1.5, global: false }, { 'retry-after': '2' }), discordOk]);
    const store = openStore(join(dir, 'discord429.db'));
    finish(store, makeRun('run-d2', 'fail', T0), 'discord');
    const h = handlersFor('discord', `${http.url}/api/webhooks/1/t`);
    const t = T0 + 6000;
    expect((await deliverOutbox(store, h, { now: t })).failed).toBe(1);
    expect(store.listOutbox({ last: 10 })[0]?.notBefore).toBe(t + 1500);
    expect((await deliverOutbox(store, h, { now: t + 1000, ignoreBackoff: true })).delivered).toBe(0);
    expect((await deliverOutbox(store, h, { now: t + 1600, ignoreBackoff: true })).delivered).toBe(1);
    expect(http.requests).toHaveLength(2);
    store.close();
  });

  it('404 Unknown Webhook is permanent with a hint, the token never in the error; 502 is retried', async () => {
    http = await fake([discordErr(404, { message: 'Unknown Webhook', code: 10015 }), discordErr(502, { message: 'Bad gateway' }), discordOk]);
    const url = `${http.url}/api/webhooks/9/discord-SECRET-token`;
    const store = openStore(join(dir, 'discord4xx.db'));
    finish(store, makeRun('run-d3', 'fail', T0), 'discord');
    finish(store, makeRun('run-d4', 'pass', T0 + HOUR), 'discord');
    const h = handlersFor('discord', url);
    await deliverOutbox(store, h, { now: T0 + HOUR + 6000, backoff: { baseMs: 1000, maxMs: 1000 } });
    const [first, second] = store.listOutbox({ last: 10 }).sort((a, b) => a.id - b.id).map(describeOutboxItem);
    expect(first?.status).toBe('parked');
    expect(first?.lastError).toContain('DISCORD_WEBHOOK_404');
    expect(first?.lastError).toContain('Unknown Webhook (code 10015)');
    expect(second?.status).toBe('pending');
    expect(JSON.stringify(store.listOutbox({ last: 10 }))).not.toContain('discord-SECRET-token');
    expect((await deliverOutbox(store, h, { now: T0 + HOUR + 8000 })).delivered).toBe(1);
    expect(http.requests).toHaveLength(3);

    await http.close();
    http = await fake([discordErr(401, { message: 'Invalid Webhook Token', code: 50027 })]);
    const n2 = NOTIFIERS.discord.create({ webhookUrl: `${http.url}/api/webhooks/9/discord-SECRET-token` }, { chromiumPath: '/nope' });
    const run = makeRun('run-d5', 'fail', T0);
    const err = await n2.send({ kind: 'failing', target: 'canary', subject: 's', text: 't', verdict: run.verdict, runId: run.runId }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'DISCORD_WEBHOOK_401', permanent: true, hint: expect.stringContaining('DISCORD_WEBHOOK_URL') });
    expect(String((err as Error).message)).not.toContain('discord-SECRET-token');
    store.close();
  });
});

interface GoogleChatBody {
  cardsV2: { cardId: string; card: { header: { title: string }; sections: { widgets: { textParagraph?: { text: string }; decoratedText?: { topLabel: string; text: string } }[] }[] } }[];
}

const googleOk: Answer = (req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ name: 'spaces/AAAA/messages/m1', cardsV2: (JSON.parse(req.body) as GoogleChatBody).cardsV2 }));
};
const googleErr = (code: number, status: string, message: string): Answer => (_r, res) => {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { code, message, status } }));
};

describe('Google Chat webhook (loopback fake, through the outbox)', () => {
  it('posts one card with the text HTML-escaped (no <users/all> mention survives)', async () => {
    http = await fake([googleOk]);
    const store = openStore(join(dir, 'gchat.db'));
    finish(store, hostileRun('run-g1', 'fail', T0), 'googleChat');
    const url = `${http.url}/v1/spaces/AAAA/messages?key=gkey-SECRET&token=gtoken-SECRET`;
    expect((await deliverOutbox(store, handlersFor('googleChat', url), { now: T0 + 6000 })).delivered).toBe(1);
    const body = JSON.parse(http.requests[0]!.body) as GoogleChatBody;
    expect(body).not.toHaveProperty('text');
    const card = body.cardsV2[0]!.card;
    expect(card.header.title).toContain('canary FAILING');
    const para = card.sections[0]?.widgets[0]?.textParagraph?.text ?? '';
    expect(para).toContain('&lt;!channel&gt;');
    expect(para).toContain('&amp; &lt;script&gt;');
    expect(http.requests[0]!.body).not.toMatch(/<script>|<!channel>|<https:/);
    expect(card.sections[1]?.widgets.map((w) => w.decoratedText?.topLabel)).toEqual(['Target', 'Verdict', 'Decision', 'Ref']);
    store.close();
  });

  it('400 INVALID_ARGUMENT is permanent (key and token never in the error); 429 RESOURCE_EXHAUSTED and 503 are retried', async () => {
    http = await fake([googleErr(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.'), googleErr(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded'),
      googleErr(503, 'UNAVAILABLE', 'The service is currently unavailable.'), googleOk]);
    const url = `${http.url}/v1/spaces/AAAA/messages?key=gkey-SECRET&token=gtoken-SECRET`;
    const store = openStore(join(dir, 'gchat-err.db'));
    finish(store, makeRun('run-g2', 'fail', T0), 'googleChat');
    finish(store, makeRun('run-g3', 'pass', T0 + HOUR), 'googleChat');
    const h = handlersFor('googleChat', url);
    const backoff = { baseMs: 1000, maxMs: 1000 };
    let now = T0 + HOUR + 6000;
    const r1 = await deliverOutbox(store, h, { now, backoff });
    expect(r1.failed).toBe(2); // 400 parks the first, 429 holds the second
    const [first, second] = store.listOutbox({ last: 10 }).sort((a, b) => a.id - b.id).map(describeOutboxItem);
    expect(first?.status).toBe('parked');
    expect(first?.lastError).toContain('GOOGLE_CHAT_WEBHOOK_400');
    expect(first?.lastError).toContain('INVALID_ARGUMENT: Invalid JSON payload received.');
    expect(second?.lastError).toContain('GOOGLE_CHAT_WEBHOOK_429');
    expect(JSON.stringify(store.listOutbox({ last: 10 }))).not.toMatch(/gkey-SECRET|gtoken-SECRET/);
    now += 2000;
    expect((await deliverOutbox(store, h, { now, backoff })).failed).toBe(1); // 503
    now += 2000;
    expect((await deliverOutbox(store, h, { now, backoff })).delivered).toBe(1);
    expect(http.requests).toHaveLength(4);
    store.close();
  });
});
