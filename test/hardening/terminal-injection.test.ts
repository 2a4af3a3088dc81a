/**
 * Issue 15 #6: a bot reply (or a receiver's error body) with ESC[2J, ESC[31m, an OSC title sequence, C1 CSI or a
 * bidi override reaches no terminal raw: progress line, summary, `tg-canary alerts`, error messages, email text and
 * the Telegram alert all show the controls escaped; the stored transcript keeps them exactly. Real CLI, sandbox,
 * SMTP server and Bot API stand-in on loopback.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../e2e/harness.js';
import { openStore } from '../../src/store/index.js';
import { safeText } from '../../src/util/terminal-text.js';
import { startSmtp, type Smtp } from '../notifiers/smtp.js';
import { startCli } from './helpers.js';
import { startBotApi, type BotApiStandIn } from '../support/bot-api.js';
import { convertScenario } from '../support/scenarios.js';

const EVIL = 'clear\u001b[2J red\u001b[31m title\u001b]0;pwned\u0007 c1\u009b2J bell\u0007 rtl\u202eevil';
// raw control bytes a terminal would act on (newline and tab are fine)
// eslint-disable-next-line no-control-regex -- looking for control characters is the test
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

let w: World;
let smtp: Smtp;
let api: BotApiStandIn;
let hook: Server;
let hookUrl: string;

beforeAll(async () => {
  [w, smtp, api] = await Promise.all([createWorld(), startSmtp(), startBotApi()]);
  hook = createServer((_req, res) => { res.statusCode = 500; res.end(`boom ${EVIL}`); });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  await w.sandbox.setBot('canary_bot', { async onMessage(msg, chat) { await chat.reply(EVIL, { replyTo: msg.id }); } });
  w.writeScenario('evil', convertScenario({ name: 'evil-reply' }));
});
afterAll(async () => {
  await Promise.all([smtp?.close(), api?.close(), new Promise<void>((r) => (hook ? hook.close(() => r()) : r()))]);
  await w?.close();
});

describe('control characters never reach a terminal or a notification raw', () => {
  it('the helper escapes them visibly and keeps ordinary text, newlines and tabs', () => {
    expect(safeText('a\u001b[2Jb')).toBe('a\\x1b[2Jb');
    expect(safeText('x\u009by\u202ez')).toBe('x\\x9by\\u202ez');
    expect(safeText('line1\nline2\tend')).toBe('line1\nline2\tend');
    expect(safeText('line1\r\nline2', { singleLine: true })).toBe('line1\\x0d line2');
    expect(safeText('Привет 🐤 <b>')).toBe('Привет 🐤 <b>');
  });

  it('progress, summary, alerts listing, email and Telegram alert are clean; the transcript is exact', async () => {
    const env = {
      ...w.env, WEBHOOK_URL: hookUrl,
      SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), ALERT_EMAIL_FROM: 'c@example.test', ALERT_EMAIL_TO: 'o@example.test', ALERT_EMAIL_PDF: 'false',
      TELEGRAM_BOT_TOKEN: '4242:ESC', TELEGRAM_ALERT_CHAT_ID: '-100111', TELEGRAM_BOT_API_ROOT: api.url,
    };
    const live = startCli(['run'], env, { timeoutMs: 40_000 });
    const end = await live.exited;
    expect(end.code, live.stderr()).toBe(1);
    const out = live.stdout();
    expect(out).toMatch(/FAIL/);
    expect(out).toMatch(/(\\x1b|\\u001b)\[2J/); // shown, escaped: the on-call sees something was there
    expect(out).toContain('c1\\x9b2J');
    expect(out).not.toMatch(RAW);
    expect(live.stderr()).not.toMatch(RAW);

    const alerts = await w.cli(['alerts'], env);
    expect(alerts.code, alerts.stderr).toBe(0);
    expect(alerts.stdout).toMatch(/webhook/);
    expect(alerts.stdout).toContain('boom');
    expect(alerts.stdout).not.toMatch(RAW);

    const mail = smtp.mails.at(-1);
    expect(mail?.text).toMatch(/(\\x1b|\\u001b)\[2J/);
    expect(mail?.text ?? '').not.toMatch(RAW);
    expect(String(mail?.html ?? '')).not.toMatch(RAW);
    const tg = api.calls.filter((c) => c.method === 'sendMessage').at(-1);
    expect(tg?.body.text).toMatch(/(\\x1b|\\u001b)\[2J/);
    expect(tg?.body.text ?? '').not.toMatch(RAW);

    // the stored transcript is untouched: the exact bytes the bot sent
    const store = openStore(env.TG_CANARY_DB as string, { readonly: true });
    try {
      const run = store.latestRun();
      const reply = run?.scenarios[0]?.steps.find((s) => s.reply)?.reply?.text;
      expect(reply).toBe(EVIL);
    } finally {
      store.close();
    }
  }, 60_000);
});
