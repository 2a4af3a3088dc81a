/**
 * Alerts from the `serve` daemon across a restart of the daemon: one failing alert per channel, none again after
 * the restart, one reminder after the interval, one resolved message. Real SMTP server, Bot API stand-in, sandbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../e2e/harness.js';
import { startSmtp, type Smtp } from '../notifiers/smtp.js';
import { argoPoll, CONVERT, getJson, startServe, type ServeProcess } from './helpers.js';
import { startBotApi, type BotApiStandIn } from '../support/bot-api.js';
import { waitFor } from '../support/wait.js';

const TOKEN = 'serve-alerts-token-abcdef';
const BOT_TOKEN = '4242:AAF-serve-alert-bot-token';
const REMINDER_MS = 12_000;

let w: World;
let smtp: Smtp;
let botApi: BotApiStandIn;

beforeAll(async () => {
  w = await createWorld();
  [smtp, botApi] = await Promise.all([startSmtp(), startBotApi()]);
});
afterAll(async () => {
  await Promise.all([smtp?.close(), botApi?.close()]);
  await w?.close();
});

function serveEnv(): NodeJS.ProcessEnv {
  return {
    ...w.env,
    SERVE_PORT: '0',
    SERVE_HOST: '127.0.0.1',
    SERVE_TOKEN: TOKEN,
    SERVE_SCHEDULE: '0 0 1 1 *',
    SERVE_JITTER_SECONDS: '0',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtp.port),
    ALERT_EMAIL_FROM: 'canary@example.test',
    ALERT_EMAIL_TO: 'oncall@example.test',
    ALERT_EMAIL_PDF: 'false',
    TELEGRAM_BOT_TOKEN: BOT_TOKEN,
    TELEGRAM_ALERT_CHAT_ID: '-1009',
    TELEGRAM_BOT_API_ROOT: botApi.url,
    ALERT_REMINDER_INTERVAL: `${REMINDER_MS}ms`,
  };
}

/** Starts a run for `revision` the way Argo does (first poll) and waits for its verdict. */
async function runRevision(serve: ServeProcess, revision: string): Promise<Record<string, unknown>> {
  const url = `${serve.url}/v1/verdict?target=canary&revision=${revision}`;
  expect((await argoPoll(url, TOKEN)).verdict).toBe('pending');
  let body: Record<string, unknown> = {};
  await waitFor(async () => {
    body = (await argoPoll(url, TOKEN)).body;
    return body.verdict !== 'pending';
  }, `the verdict of ${revision}`, 40_000, 200);
  return body;
}

/** POST /v1/runs until accepted (409 while the previous run, deliveries included, is still going). */
async function startRun(serve: ServeProcess, revision: string): Promise<void> {
  await waitFor(async () => {
    const r = await getJson(`${serve.url}/v1/runs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ revision }),
    });
    return r.status === 202;
  }, 'an on-demand run to be accepted', 20_000, 200);
}

const subjects = (): string[] => smtp.mails.map((m) => m.subject ?? '');

describe('alerts from serve across a daemon restart', () => {
  it('one alert, no duplicate after restart, one reminder, one resolved', async () => {
    w.writeScenario('convert', CONVERT());
    w.sandbox.faults.add({ kind: 'error_text', bot: 'canary_bot', text: 'Sorry, something went wrong.' });

    let serve = await startServe(['serve'], serveEnv());
    try {
      const v1 = await runRevision(serve, 'r1');
      expect(v1.verdict).toBe('fail');
      await waitFor(() => smtp.mails.length >= 1 && botApi.messages.length >= 1, 'the failing alerts', 15_000);
      expect(subjects()).toEqual([expect.stringMatching(/canary FAILING/)]);
      expect(botApi.messages).toHaveLength(1);
      const failedAt = Date.parse(String(v1.finishedAt));
      expect((await serve.stop()).code).toBe(0);

      // restart: a new daemon on the same database, still failing, interval not reached
      serve = await startServe(['serve'], serveEnv());
      const v2 = await runRevision(serve, 'r2');
      expect(v2.verdict).toBe('fail');
      expect(Date.parse(String(v2.finishedAt)) - failedAt, 'run r2 must end before the reminder interval').toBeLessThan(REMINDER_MS);
      // the status page lists the open alert (state from SQLite, not from the process)
      const page = await (await fetch(`${serve.url}/`)).text();
      expect(page).toMatch(/canary is failing/);

      const wait = failedAt + REMINDER_MS + 200 - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      expect(smtp.mails).toHaveLength(1);
      expect(botApi.messages).toHaveLength(1);

      await startRun(serve, 'r3');
      await waitFor(() => smtp.mails.length >= 2 && botApi.messages.length >= 2, 'the reminders', 30_000);
      expect(subjects()[1]).toMatch(/canary STILL FAILING since/);
      expect(botApi.messages[1]?.text).toMatch(/STILL FAILING/);

      w.sandbox.faults.clear();
      await startRun(serve, 'r4');
      await waitFor(() => smtp.mails.length >= 3 && botApi.messages.length >= 3, 'the resolved messages', 30_000);
      expect(subjects()[2]).toMatch(/canary RESOLVED/);
      expect(botApi.messages[2]?.text).toMatch(/RESOLVED/);
      const v4 = await argoPoll(`${serve.url}/v1/verdict?target=canary&revision=r4`);
      expect(v4.verdict).toBe('pass');
      // the outbox health is on the status page, without the token
      const page2 = await (await fetch(`${serve.url}/`)).text();
      expect(page2).toContain('telegramBot');
      expect(page2).not.toContain(BOT_TOKEN);
      expect((await serve.stop()).code).toBe(0);
      expect(smtp.mails).toHaveLength(3);
      expect(botApi.messages).toHaveLength(3);
    } finally {
      await serve.stop('SIGKILL');
      w.sandbox.faults.clear();
    }
  }, 90_000);
});
