/**
 * Alerts through the whole product path: the real CLI (`tg-canary run`, one process per run, so every run is a
 * restart), the sandbox, a real SMTP server (smtp-server + mailparser), a loopback Bot API stand-in, and the test
 * user's own session sending to a bot of the sandbox. Messages are counted exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedMail } from 'mailparser';
import { createWorld, type World } from '../e2e/harness.js';
import { startSmtp, type Smtp } from '../notifiers/smtp.js';
import { CONVERT } from './helpers.js';
import { startBotApi, type BotApiStandIn } from '../support/bot-api.js';
import { freePort } from '../support/ports.js';
import { waitFor } from '../support/wait.js';

const TOKEN = '777000:AAH-decisions-secret-token';
const REMINDER_MS = 15_000;
const ERROR_TEXT = { kind: 'error_text', bot: 'canary_bot', text: 'Sorry, something went wrong.' } as const;
const finished = (r: { json?: { finishedAt?: unknown } }): number => Date.parse(String(r.json?.finishedAt));

let w: World;
let smtp: Smtp;
let botApi: BotApiStandIn;
/** What the sandbox bot `oncall_bot` received from the test user (TELEGRAM_ALERT_PEER). */
const oncall: string[] = [];

beforeAll(async () => {
  w = await createWorld();
  [smtp, botApi] = await Promise.all([startSmtp(), startBotApi()]);
  await w.sandbox.setBot('oncall_bot', { onMessage: (msg) => void oncall.push(msg.text) });
});
afterAll(async () => {
  await Promise.all([smtp?.close(), botApi?.close()]);
  await w?.close();
});

function alertEnv(smtpPort: number): NodeJS.ProcessEnv {
  return {
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtpPort),
    ALERT_EMAIL_FROM: 'tg-canary <canary@example.test>',
    ALERT_EMAIL_TO: 'oncall@example.test',
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_ALERT_CHAT_ID: '-100777',
    TELEGRAM_BOT_API_ROOT: botApi.url,
    TELEGRAM_ALERT_PEER: 'oncall_bot',
    ALERT_REMINDER_INTERVAL: `${REMINDER_MS}ms`,
    CHROMIUM_PATH: '/usr/bin/chromium',
  };
}

const subjects = (mails: ParsedMail[]): string[] => mails.map((m) => m.subject ?? '');

interface AlertRow { channel: string; state: string; attempts: number; lastError: string | null; key: string }

describe('alerts across process restarts (tg-canary run)', () => {
  it('failing → one email, one Bot API message, one sandbox message; reminder after the interval; one resolved', async () => {
    w.freshDb();
    w.writeScenario('convert', CONVERT());
    const env = alertEnv(smtp.port);
    w.sandbox.faults.add(ERROR_TEXT);

    const r1 = await w.cli(['run', '--json'], env);
    expect(r1.code, r1.stderr).toBe(1);
    const failedAt = finished(r1);
    expect(failedAt).toBeGreaterThan(0);
    expect(subjects(smtp.mails)).toEqual([expect.stringMatching(/^\[tg-canary\] canary FAILING: 5\/5 attempts failed$/)]);
    const mail = smtp.mails[0] as ParsedMail;
    expect(mail.text).toContain(r1.json?.runId as string);
    expect(mail.html || '').toContain('<table');
    expect(mail.attachments.map((a) => a.contentType)).toEqual(['application/pdf']);
    expect(mail.attachments[0]?.content.subarray(0, 5).toString()).toBe('%PDF-');
    expect(botApi.messages).toHaveLength(1);
    expect(botApi.messages[0]).toMatchObject({ token: TOKEN, chatId: '-100777', parseMode: 'HTML' });
    expect(botApi.messages[0]?.text).toMatch(/<b>\[tg-canary\] canary FAILING/);
    await waitFor(() => oncall.length >= 1, 'the sandbox alert', 5000);
    expect(oncall).toHaveLength(1);
    expect(oncall[0]).toMatch(/canary FAILING/);
    expect(oncall[0]).not.toContain('<b>'); // sent in HTML parse mode: markup became entities

    // still failing, new process, interval not reached: nothing more
    const r2 = await w.cli(['run', '--json'], env);
    expect(r2.code, r2.stderr).toBe(1);
    expect(finished(r2) - failedAt, 'run 2 must end before the reminder interval (machine too slow?)').toBeLessThan(REMINDER_MS);
    expect(smtp.mails).toHaveLength(1);
    expect(botApi.messages).toHaveLength(1);
    expect(oncall).toHaveLength(1);

    // after the reminder interval: exactly one reminder per channel
    const wait = REMINDER_MS - (Date.now() - failedAt) + 200;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const r3 = await w.cli(['run', '--json'], env);
    expect(r3.code, r3.stderr).toBe(1);
    expect(subjects(smtp.mails)).toHaveLength(2);
    expect(subjects(smtp.mails)[1]).toMatch(/canary STILL FAILING since/);
    expect(botApi.messages).toHaveLength(2);
    expect(botApi.messages[1]?.text).toMatch(/STILL FAILING/);
    await waitFor(() => oncall.length >= 2, 'the sandbox reminder', 5000);

    // recovery: one resolved message per channel
    w.sandbox.faults.clear();
    const r4 = await w.cli(['run', '--json'], env);
    expect(r4.code, r4.stderr).toBe(0);
    expect(subjects(smtp.mails)).toHaveLength(3);
    expect(subjects(smtp.mails)[2]).toMatch(/^\[tg-canary\] canary RESOLVED: 5\/5 attempts passed$/);
    expect(botApi.messages).toHaveLength(3);
    expect(botApi.messages[2]?.text).toMatch(/RESOLVED/);
    await waitFor(() => oncall.length >= 3, 'the sandbox resolved message', 5000);
    expect(oncall[2]).toMatch(/RESOLVED/);

    // no stable alert at any point: stable passed throughout
    expect(subjects(smtp.mails).some((s) => /stable/.test(s))).toBe(false);

    // `tg-canary alerts` lists every delivery, all delivered, and never prints the token
    const list = await w.cli(['alerts', '--json'], env);
    expect(list.code, list.stderr).toBe(0);
    const rows = JSON.parse(list.stdout) as AlertRow[];
    const alertRows = rows.filter((r) => ['email', 'telegramBot', 'telegramUser'].includes(r.channel));
    expect(alertRows).toHaveLength(9);
    expect(alertRows.every((r) => r.state === 'delivered')).toBe(true);
    expect(list.stdout).not.toContain(TOKEN);
  }, 90_000);

  it('SMTP down during a run: the run is stored, the alert is delivered by the next run', async () => {
    w.freshDb();
    w.writeScenario('convert', CONVERT());
    const port = await freePort(); // nothing listens there yet
    const env = { ...alertEnv(port), ALERT_EMAIL_PDF: 'false', ALERT_REMINDER_INTERVAL: '0' };
    delete env.TELEGRAM_ALERT_PEER;
    const botBefore = botApi.messages.length;
    w.sandbox.faults.add(ERROR_TEXT);
    try {
      const r1 = await w.cli(['run', '--json'], env);
      expect(r1.code, r1.stderr).toBe(1);
      const runId = r1.json?.runId as string;

      const history = await w.cli(['history', '--json'], env);
      expect(history.code, history.stderr).toBe(0);
      const runs = (JSON.parse(history.stdout) as { runs: { runId: string; verdict: string }[] }).runs;
      expect(runs.map((r) => [r.runId, r.verdict])).toEqual([[runId, 'fail']]);

      const pending = JSON.parse((await w.cli(['alerts', '--json', '--pending'], env)).stdout) as AlertRow[];
      const email = pending.filter((r) => r.channel === 'email');
      expect(email).toHaveLength(1);
      expect(email[0]?.state).toBe('retrying');
      expect(email[0]?.lastError).toMatch(/ECONNREFUSED|connect/i);
      // the other channel was not held back by the broken one
      expect(botApi.messages.length - botBefore).toBe(1);

      const server = await startSmtp({ port });
      try {
        const r2 = await w.cli(['run', '--json'], env);
        expect(r2.code, r2.stderr).toBe(1);
        expect(subjects(server.mails)).toEqual([expect.stringMatching(/canary FAILING/)]);
        expect(server.mails[0]?.text).toContain(runId); // the first run's alert, not a new one
        expect(botApi.messages.length - botBefore).toBe(1);
        const after = JSON.parse((await w.cli(['alerts', '--json', '--pending'], env)).stdout) as AlertRow[];
        expect(after.filter((r) => r.channel === 'email')).toEqual([]);
      } finally {
        await server.close();
      }
    } finally {
      w.sandbox.faults.clear();
    }
  }, 60_000);
});
