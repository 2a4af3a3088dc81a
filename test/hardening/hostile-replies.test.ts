/**
 * Hostile and odd bot replies (issue 6): stored exactly, scored on their text, and rendered escaped in the HTML
 * report, the status page (`serve`'s `/`), the email (real smtp-server + mailparser), the Telegram alert (HTML
 * parse mode, Bot API stand-in) and the JUnit XML. Pages are opened in real headless Chromium: `window.__pwned`
 * must stay undefined.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../e2e/harness.js';
import { openStore } from '../../src/store/index.js';
import type { RunResult } from '../../src/core/types.js';
import { launchBrowser } from '../reporters/browser.js';
import { startSmtp, type Smtp } from '../notifiers/smtp.js';
import { startCli } from './helpers.js';
import { startBotApi, type BotApiStandIn } from '../support/bot-api.js';

import { DEFAULT_CHECK_NAMES } from '../../src/scorers/index.js';

const SCRIPT = '<script>window.__pwned=1</script>';
const IMG = '<img src=x onerror="window.__pwned=1">';
export const HOSTILE: readonly string[] = [
  SCRIPT,
  IMG,
  '*bold* _italic_ `code` [link](javascript:window.__pwned=1) <b>tg bold</b> <a href="tg://user?id=1">mention</a> @admin #tag',
  `${'A'.repeat(4091)}-end!`, // 4,096 characters
  'zero\u200bwidth\u200c\u200djoiner \u202eRTL override\u202c \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627',
  'emoji 🐤🚀👩‍👩‍👧‍👦 🇺🇦 🏳️‍🌈',
  'control \u0001\u0002\u0007\u0008\u000b\u000c\u001b[31m\u007f\u0085 chars',
  'lone \ud800 surrogate \udfff here',
];
/** What Telegram delivers: MTProto strings are UTF-8, so a lone surrogate arrives as U+FFFD. */
const delivered = (s: string): string => Buffer.from(s, 'utf8').toString('utf8');

let w: World;
let browser: Browser;
let smtp: Smtp;
let api: BotApiStandIn;
let run: RunResult;
let runId: string;
let alertEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  // the bot sends its 8 hostile replies at once: this test is about their text, not Telegram's per-chat burst
  [w, browser, smtp, api] = await Promise.all([createWorld({ limits: { messageBurst: HOSTILE.length } }), launchBrowser(), startSmtp(), startBotApi()]);
  await w.sandbox.setBot('canary_bot', {
    async onMessage(msg, chat) {
      for (const text of HOSTILE) await chat.reply(text, { replyTo: msg.id });
    },
  });
  w.writeScenario('hostile', `
name: hostile-reply
suite: favor
targets: [canary]
timeout: 20s
steps:
  - send: "Convert 10 km to miles"
  - expect:
      timeout: 4s
      settle: 600ms
      messages: { min: ${HOSTILE.length} }
      assert:
        - { type: contains, value: "window.__pwned=1" }
        - { type: contains, value: "RTL override" }
        - { type: contains, value: "6.21", critical: true }
`);
  alertEnv = {
    SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), ALERT_EMAIL_FROM: 'canary@example.test', ALERT_EMAIL_TO: 'oncall@example.test',
    ALERT_EMAIL_PDF: 'false',
    TELEGRAM_BOT_TOKEN: '999:HOSTILE', TELEGRAM_ALERT_CHAT_ID: '-100123', TELEGRAM_BOT_API_ROOT: api.url,
  };
  const r = await w.cli(['run', '--json'], alertEnv);
  if (!r.json) throw new Error(`run failed: ${r.stderr}`);
  runId = r.json.runId as string;
  const store = openStore(w.env.TG_CANARY_DB as string, { readonly: true });
  try {
    const got = store.getRun(runId);
    if (!got) throw new Error('run not stored');
    run = got;
  } finally {
    store.close();
  }
}, 60_000);

afterAll(async () => {
  await Promise.all([browser?.close(), smtp?.close(), api?.close()]);
  await w?.close();
});

async function notPwned(load: (page: import('playwright-core').Page) => Promise<unknown>): Promise<string> {
  const page = await browser.newPage();
  try {
    await load(page);
    await page.waitForTimeout(150);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    return await page.evaluate(() => document.body.innerText);
  } finally {
    await page.close();
  }
}

describe('hostile bot replies', () => {
  it('are stored exactly as Telegram delivered them', () => {
    const reply = run.scenarios[0]?.steps.find((s) => s.reply)?.reply;
    expect(reply?.messages.map((m) => m.text)).toEqual(HOSTILE.map(delivered));
    expect(reply?.messages[3]?.text).toHaveLength(4096);
    expect(reply?.text).toBe(HOSTILE.map(delivered).join('\n'));
  });

  it('are scored on their text (not on any rendering of it)', () => {
    const s = run.scenarios[0]!;
    expect(s.status).toBe('fail');
    const defaults = new Set<string>(DEFAULT_CHECK_NAMES);
    expect(s.assertions.filter((a) => !defaults.has(a.type)).map((a) => [a.type, a.pass])).toEqual([['contains', true], ['contains', true], ['contains', false]]);
    // the default checks graded the same text too; like-stable has no baseline (stable does not run this scenario)
    expect(s.assertions.filter((a) => defaults.has(a.type)).map((a) => a.type)).toEqual(['not-error', 'not-leak', 'complete', 'not-refusal', 'like-stable']);
    expect(s.assertions.find((a) => a.type === 'like-stable')?.reason).toMatch(/^no baseline/u);
  });

  it('render escaped in the HTML report (Chromium)', async () => {
    const file = join(w.env.REPORTS_DIR as string, runId, 'report.html');
    const text = await notPwned((p) => p.goto(pathToFileURL(file).href));
    expect(text).toContain(SCRIPT);
    expect(text).toContain('onerror="window.__pwned=1"');
  });

  it('render escaped in the JUnit XML: well-formed, control characters removed', async () => {
    const dir = join(w.env.REPORTS_DIR as string, runId);
    const xmlFile = readdirSync(dir).find((f) => f.endsWith('.xml'));
    expect(xmlFile).toBeDefined();
    const xml = readFileSync(join(dir, xmlFile!), 'utf8');
    const forbidden = [...xml].filter((ch) => {
      const c = ch.codePointAt(0) ?? 0;
      return (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffe || c === 0xffff;
    });
    expect(forbidden).toEqual([]);
    expect(xml).not.toContain('<script>');
    const page = await browser.newPage();
    try {
      const parsed = await page.evaluate((src) => {
        const doc = new DOMParser().parseFromString(src, 'application/xml');
        return { error: doc.getElementsByTagName('parsererror').length, failures: doc.getElementsByTagName('failure').length, text: doc.documentElement.textContent ?? '' };
      }, xml);
      expect(parsed.error).toBe(0);
      expect(parsed.failures).toBeGreaterThanOrEqual(1);
      expect(parsed.text).toContain('window.__pwned=1');
      // the transcript is there, minus the control characters XML 1.0 cannot hold
      expect(parsed.text).toContain('\u202eRTL override');
      expect(parsed.text).toContain('emoji 🐤🚀');
      expect(parsed.text).toMatch(/control [^\n]*chars/);
    } finally {
      await page.close();
    }
  });

  it('render escaped in the alert email (smtp-server + mailparser, opened in Chromium)', async () => {
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    const html = typeof mail.html === 'string' ? mail.html : '';
    expect(html).not.toMatch(/<script>window|<img src=x/);
    expect(mail.text ?? '').toContain(SCRIPT); // the failing reason quotes the reply, as plain text
    expect(html).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    const shown = await notPwned((p) => p.setContent(html));
    expect(shown).toContain(SCRIPT);
  });

  it('render escaped in the Telegram alert (HTML parse mode)', () => {
    const sent = api.calls.filter((c) => c.method === 'sendMessage');
    expect(sent).toHaveLength(1);
    const text = sent[0]!.body.text ?? '';
    expect(sent[0]!.body.parse_mode).toBe('HTML');
    expect(text.length).toBeLessThanOrEqual(4096);
    // only tags Telegram's HTML mode knows, and none coming from the bot
    for (const tag of text.match(/<[^>]*>/g) ?? []) expect(tag).toMatch(/^<\/?(b|i|u|s|code|pre|a)( href="[^"]*")?>$/);
    expect(text).not.toMatch(/<script|<img|<a href="tg:/);
    expect(text).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
  });

  it('render escaped on the status page of `serve` (Chromium)', async () => {
    const serve = startCli(['serve', '--port', '0', '--host', '127.0.0.1'], { ...w.env, SERVE_SCHEDULE: '0 0 1 1 *' }, { timeoutMs: 40_000 });
    try {
      await serve.waitFor(/listening on http:\/\/[^:]+:\d+/);
      const port = /listening on http:\/\/[^:]+:(\d+)/.exec(serve.stderr())![1];
      const text = await notPwned((p) => p.goto(`http://127.0.0.1:${port}/`));
      expect(text).toContain('hostile-reply');
      expect(text).toMatch(/window\.__pwned=1/);
    } finally {
      serve.child.kill('SIGTERM');
      await serve.exited;
    }
  });
});
