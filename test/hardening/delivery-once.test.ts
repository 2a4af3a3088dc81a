/**
 * Issue 15 #1: delivery to the receiver. Two processes never send one outbox item (it is claimed in a write
 * transaction first); every delivery carries a stable idempotency key (webhook `Idempotency-Key`, email
 * `Message-ID`, a `ref:` line in Telegram alerts), so the one resend a crash can cause is recognisable. Real SQLite
 * files opened by separate connections, real CLI processes killed with SIGKILL, real SMTP and HTTP on loopback.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../e2e/harness.js';
import { openStore } from '../../src/store/index.js';
import { deliverOutbox, enqueuePayload } from '../../src/delivery/outbox.js';
import { alertTelegramHtml } from '../../src/notifiers/format.js';
import { emailMessageId } from '../../src/notifiers/email.js';
import type { BotModule } from '@tg-canary/sandbox';
import { makeRun } from '../notifiers/fixtures.js';
import { startSmtp, type Smtp } from '../notifiers/smtp.js';
import { sleep, startCli } from './helpers.js';
import { startReceiver, type Receiver } from './receiver.js';
import { convertScenario } from '../support/scenarios.js';

const tmp = mkdtempSync(join(tmpdir(), 'tg-canary-once-'));
let w: World;
let hook: Receiver;
let smtp: Smtp;

beforeAll(async () => {
  [w, hook, smtp] = await Promise.all([createWorld(), startReceiver(), startSmtp()]);
});
afterAll(async () => {
  await Promise.all([hook?.close(), smtp?.close()]);
  await w?.close();
  rmSync(tmp, { recursive: true, force: true });
});
afterEach(async () => {
  hook.release();
  hook.setMode('ok');
  hook.setDelay(0);
  await w.reset();
});

describe('claims: one item, one sender', () => {
  it('two connections (two processes) delivering at once send each item once', async () => {
    const db = join(tmp, 'claims.db');
    const a = openStore(db);
    const b = openStore(db);
    try {
      for (let i = 0; i < 5; i++) enqueuePayload(a, 'webhook', `push:webhook:r${i}`, { body: `{"i":${i}}` }, 1000);
      const sent: string[] = [];
      const slow = async (_p: unknown, item: { dedupeKey: string }): Promise<void> => {
        sent.push(item.dedupeKey);
        await sleep(30);
      };
      const [ra, rb] = await Promise.all([
        deliverOutbox(a, { webhook: slow }, { claimer: 'host-a:1:aa' }),
        deliverOutbox(b, { webhook: slow }, { claimer: 'host-b:2:bb' }),
      ]);
      // before claims: both connections sent all five (10 sends)
      expect(sent.length).toBe(new Set(sent).size);
      expect(ra.delivered + rb.delivered).toBe(sent.length);
      // whatever the other one held is sent by the next pass, still once
      await deliverOutbox(b, { webhook: slow }, { claimer: 'host-b:2:bb' });
      expect([...sent].sort()).toEqual([0, 1, 2, 3, 4].map((i) => `push:webhook:r${i}`));
      expect(a.listOutbox({ pendingOnly: true })).toEqual([]);
    } finally {
      a.close();
      b.close();
    }
  });

  it('a live claim of another process is respected; an expired one is taken over', async () => {
    const db = join(tmp, 'expiry.db');
    const s = openStore(db);
    try {
      enqueuePayload(s, 'webhook', 'push:webhook:x', { body: '{}' }, 1000);
      const id = s.listOutbox({})[0]!.id;
      const far = Date.now() + 60_000;
      expect(s.claimOutbox(id, 'other-host:7:zz', far)).toBe('claimed');
      const sent: string[] = [];
      const h = async (_p: unknown, item: { dedupeKey: string }): Promise<void> => { sent.push(item.dedupeKey); };
      await deliverOutbox(s, { webhook: h }, { claimer: 'me:1:aa', claimWaitMs: 300 });
      expect(sent).toEqual([]); // held by a process we cannot check: left alone
      expect(s.claimOutbox(id, 'other-host:7:zz', Date.now() - 1)).toBe('claimed'); // its claim ran out
      await deliverOutbox(s, { webhook: h }, { claimer: 'me:1:aa' });
      expect(sent).toEqual(['push:webhook:x']);
    } finally {
      s.close();
    }
  });
});

describe('stable idempotency keys', () => {
  it('email Message-ID and the Telegram ref come from the delivery key and are the same on a resend', () => {
    const run = makeRun('r1', 'fail', Date.parse('2026-01-01T00:00:00Z'));
    const msg = { kind: 'failing' as const, target: 'canary' as const, subject: 's', text: 't', verdict: run.verdict, runId: 'r1' };
    const key = 'alert:canary:1:email';
    expect(emailMessageId(key)).toBe(emailMessageId(key));
    expect(emailMessageId(key)).toMatch(/^<[^<>@\s]+@tg-canary>$/);
    expect(emailMessageId('a b<c>@d')).toMatch(/^<[^<>@\s]+@tg-canary>$/);
    expect(alertTelegramHtml({ ...msg, idempotencyKey: 'alert:canary:1:telegramBot' })).toContain('ref: alert:canary:1:telegramBot');
    expect(alertTelegramHtml(msg)).not.toContain('ref:');
  });
});

const failing = convertScenario();

/** A canary that answers wrong after `ms`: each run fails, the first failing run alerts. */
function wrongBot(ms: number): BotModule {
  return { async onMessage(msg, chat) { await chat.sleep(ms); return chat.reply('about 9 miles', { replyTo: msg.id }); } };
}

describe('real processes', () => {
  it('two concurrent runs: every webhook key and every alert email reaches the receiver once', async () => {
    await w.sandbox.setBot('canary_bot', wrongBot(800));
    w.writeScenario('convert', failing);
    const env = {
      ...w.env, WEBHOOK_URL: hook.url, ROLLBACK_AFTER: '1',
      SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), ALERT_EMAIL_FROM: 'canary@example.test', ALERT_EMAIL_TO: 'oncall@example.test', ALERT_EMAIL_PDF: 'false',
    };
    const mails = smtp.mails.length;
    const hooks = hook.requests.length;
    hook.setDelay(2_500); // the first run is still delivering when the second one delivers what is pending
    const runs = [startCli(['run', '--json'], env, { timeoutMs: 60_000 }), startCli(['run', '--json'], env, { timeoutMs: 60_000 })];
    const ends = await Promise.all(runs.map((r) => r.exited));
    for (const [i, e] of ends.entries()) expect(e.code, runs[i]!.stderr()).toBe(1);
    const got = hook.requests.slice(hooks);
    expect(got).toHaveLength(2);
    expect(hook.duplicateKeys()).toBe(0);
    expect(got.every((r) => r.key?.startsWith('push:webhook:'))).toBe(true);
    const newMails = smtp.mails.slice(mails);
    expect(newMails).toHaveLength(1); // one failing alert, once
    expect(newMails[0]?.messageId).toMatch(/@tg-canary>?$/);
  }, 60_000);

  it('kill -9 mid-delivery: the next run resends the item with the same Idempotency-Key, once', async () => {
    w.writeScenario('convert', failing);
    const env = { ...w.env, WEBHOOK_URL: hook.url };
    hook.setMode('hang');
    const before = hook.requests.length;
    const live = startCli(['run', '--json'], env, { timeoutMs: 40_000 });
    await hook.waitForCount(before + 1);
    live.child.kill('SIGKILL'); // the receiver has the request; tg-canary never heard back
    await live.exited;
    hook.release();
    hook.setMode('ok');
    const next = await w.cli(['run', '--json'], { WEBHOOK_URL: hook.url });
    expect(next.code, next.stderr).toBe(0);
    const got = hook.requests.slice(before).map((r) => r.key);
    const first = got[0];
    expect(first).toMatch(/^push:webhook:/);
    // the killed run's push: sent again with the same key (a receiver deduplicating by it acts once), exactly twice
    expect(got.filter((k) => k === first)).toHaveLength(2);
    // the new run's own push: once
    expect(got).toContain(`push:webhook:${next.json?.runId as string}`);
    expect(got).toHaveLength(3);
    const store = openStore(w.env.TG_CANARY_DB as string, { readonly: true });
    try {
      expect(store.listOutbox({ pendingOnly: true })).toEqual([]);
    } finally {
      store.close();
    }
  }, 60_000);
});
