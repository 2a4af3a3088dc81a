import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alertHandler, describeOutboxItem, enqueueAlert, queueRunAlerts } from '../../src/delivery/alert-outbox.js';
import { deliverOutbox, type OutboxHandler } from '../../src/delivery/outbox.js';
import { evaluateAlerts, type AlertPolicy } from '../../src/core/alert-policy.js';
import type { RunResult } from '../../src/core/types.js';
import { buildNotifiers } from '../../src/notifiers/index.js';
import { enqueueStatusPushes, statusPushHandlers } from '../../src/status/pushers/index.js';
import { openStore, type SqliteRunStore } from '../../src/store/index.js';
import { makeRun, startHttp, type Loopback } from './fixtures.js';
import { freePort } from '../support/ports.js';
import { startSmtp, type Smtp } from './smtp.js';

const T0 = 1_700_000_000_000;
const HOUR = 3_600_000;
const TOKEN = '999:outbox-test-token';
const policy: AlertPolicy = { failureThreshold: 1, successThreshold: 1, reminderIntervalMs: 2 * HOUR, inconclusiveThreshold: 3 };
let dir: string;
let smtp: Smtp | undefined;
let http: Loopback | undefined;

beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'tgc-outbox-')); });
afterEach(async () => {
  await smtp?.close();
  await http?.close();
  smtp = undefined;
  http = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** What the run pipeline does at run end: store, alert policy + state, outbox. */
async function finish(store: SqliteRunStore, run: RunResult, hookUrl: string): Promise<void> {
  store.finishRun(run);
  queueRunAlerts(store, run, { policy, channels: ['email', 'telegramBot'], now: run.finishedAt });
  await enqueueStatusPushes(store, run, { webhook: { url: hookUrl, secret: 's' } }, { exitCode: run.verdict.verdict === 'fail' ? 1 : 0, now: run.finishedAt });
}

describe('outbox (real SQLite store, real SMTP and HTTP receivers)', () => {
  it('keeps every delivery while all targets are down and delivers each exactly once later, across a restart', async () => {
    const [smtpPort, httpPort] = [await freePort(), await freePort()];
    const dbPath = join(dir, 'tg.db');
    const handlersFor = (): Record<string, OutboxHandler> => {
      const notifiers = buildNotifiers({
        email: { host: '127.0.0.1', port: smtpPort, secure: false, from: 'c@x.test', to: ['o@x.test'], attachPdf: false },
        telegramBot: { token: TOKEN, chatId: '42', apiRoot: `http://127.0.0.1:${httpPort}` },
      }, { chromiumPath: '/usr/bin/chromium' });
      const h: Record<string, OutboxHandler> = { ...statusPushHandlers({ webhook: { url: `http://127.0.0.1:${httpPort}/hook`, secret: 's' } }) };
      for (const [name, n] of Object.entries(notifiers)) if (n) h[name] = alertHandler(n);
      return h;
    };

    let store = openStore(dbPath);
    const run1 = makeRun('run-1', 'fail', T0);
    await finish(store, run1, `http://127.0.0.1:${httpPort}/hook`);
    const down = await deliverOutbox(store, handlersFor(), { now: run1.finishedAt, secrets: [TOKEN] });
    expect(down.delivered).toBe(0);
    expect(down.failed).toBe(3);
    expect(down.health.map((h) => [h.channel, h.pending])).toEqual([['email', 1], ['telegramBot', 1], ['webhook', 1]]);
    for (const h of down.health) {
      expect(h.lastError).toBeTruthy();
      expect(h.lastError).not.toContain('outbox-test-token');
    }
    store.close();

    // restart: new process, same database; the receivers come back
    store = openStore(dbPath);
    smtp = await startSmtp({ port: smtpPort });
    http = await startHttp((_r, res) => res.end('{"ok":true}'), httpPort);
    const early = await deliverOutbox(store, handlersFor(), { now: run1.finishedAt + 1000 });
    expect(early.delivered).toBe(0); // backing off
    const later = await deliverOutbox(store, handlersFor(), { now: run1.finishedAt + 60_000 });
    expect(later.delivered).toBe(3);
    expect(later.health.every((h) => h.pending === 0 && h.lastSuccessAt === run1.finishedAt + 60_000)).toBe(true);
    const again = await deliverOutbox(store, handlersFor(), { now: run1.finishedAt + 120_000 });
    expect(again.delivered).toBe(0);
    expect(smtp.mails.map((m) => m.subject)).toEqual(['[tg-canary] canary FAILING: 1/4 scenarios failed']);
    expect(http.requests.filter((r) => r.url.endsWith('/sendMessage'))).toHaveLength(1);
    expect(http.requests.filter((r) => r.url === '/hook')).toHaveLength(1);

    // the failing state survived the restart: a second failing run within the interval does not re-page …
    const run2 = makeRun('run-2', 'fail', T0 + HOUR);
    await finish(store, run2, `http://127.0.0.1:${httpPort}/hook`);
    // … the reminder comes after the interval, and one resolved message on recovery
    const run3 = makeRun('run-3', 'fail', T0 + 2 * HOUR);
    await finish(store, run3, `http://127.0.0.1:${httpPort}/hook`);
    const run4 = makeRun('run-4', 'pass', T0 + 3 * HOUR);
    await finish(store, run4, `http://127.0.0.1:${httpPort}/hook`);
    const end = await deliverOutbox(store, handlersFor(), { now: run4.finishedAt });
    expect(end.delivered).toBe(7); // 2 alerts × 2 channels + 3 webhooks
    expect(smtp.mails.map((m) => m.subject)).toEqual([
      '[tg-canary] canary FAILING: 1/4 scenarios failed',
      `[tg-canary] canary STILL FAILING since ${new Date(run1.finishedAt).toISOString()}: 1/4 scenarios failed`,
      '[tg-canary] canary RESOLVED: 4/4 scenarios passed',
    ]);
    expect(http.requests.filter((r) => r.url.endsWith('/sendMessage'))).toHaveLength(3);
    const hookRuns = http.requests.filter((r) => r.url === '/hook').map((r) => (JSON.parse(r.body) as { runId: string }).runId);
    expect(hookRuns).toEqual(['run-1', 'run-2', 'run-3', 'run-4']); // in order
    expect(store.listOutbox({ pendingOnly: true })).toHaveLength(0);
    // the alert log has each alert once, and the outbox listing shows subjects without URLs or tokens
    expect(store.listAlerts().map((a) => a.kind).reverse()).toEqual(['failing', 'reminder', 'resolved']);
    const listing = store.listOutbox({ last: 100 }).map(describeOutboxItem);
    expect(listing.every((l) => l.status === 'delivered')).toBe(true);
    expect(listing.filter((l) => l.channel === 'email').map((l) => l.what)).toContain('[tg-canary] canary RESOLVED: 4/4 scenarios passed');
    expect(JSON.stringify(listing)).not.toContain('outbox-test-token');
    store.close();
  });

  it('delivers FIFO per channel: an older item backing off holds newer ones', async () => {
    let fail = true;
    http = await startHttp((_r, res) => { res.statusCode = fail ? 503 : 200; res.end(fail ? 'down' : 'ok'); });
    const store = openStore(join(dir, 'fifo.db'));
    const cfg = { webhook: { url: `${http.url}/h` } };
    const a = makeRun('run-a', 'pass', T0);
    store.finishRun(a);
    await enqueueStatusPushes(store, a, cfg, { exitCode: 0, now: T0 });
    const r1 = await deliverOutbox(store, statusPushHandlers(cfg), { now: T0, backoff: { baseMs: 10_000, maxMs: 60_000 } });
    expect(r1.failed).toBe(1);
    expect(r1.health[0].lastError).toContain('DELIVERY_HTTP_503');
    fail = false;
    const b = makeRun('run-b', 'fail', T0 + 1000);
    store.finishRun(b);
    await enqueueStatusPushes(store, b, cfg, { exitCode: 1, now: T0 + 1000 });
    const r2 = await deliverOutbox(store, statusPushHandlers(cfg), { now: T0 + 2000 });
    expect(r2.delivered).toBe(0); // run-b waits for run-a
    const r3 = await deliverOutbox(store, statusPushHandlers(cfg), { now: T0 + 11_000 });
    expect(r3.delivered).toBe(2);
    const ok = http.requests.slice(1).map((r) => (JSON.parse(r.body) as { runId: string }).runId);
    expect(ok).toEqual(['run-a', 'run-b']);
    store.close();
  });

  it('concurrent deliverOutbox calls never send an item twice; duplicate alerts are never queued', async () => {
    http = await startHttp((_r, res) => setTimeout(() => res.end('{"ok":true}'), 50));
    const store = openStore(join(dir, 'conc.db'));
    const run = makeRun('run-c', 'fail', T0);
    store.finishRun(run);
    const alert = evaluateAlerts({ verdict: run.verdict, previous: {}, now: run.finishedAt, policy }).alerts[0];
    expect(enqueueAlert(store, alert, ['telegramBot'], run.finishedAt)).toBe(1);
    expect(enqueueAlert(store, alert, ['telegramBot'], run.finishedAt)).toBe(0);
    const notifiers = buildNotifiers({ telegramBot: { token: TOKEN, chatId: '1', apiRoot: http.url } }, { chromiumPath: '/nope' });
    const handlers = { telegramBot: alertHandler(notifiers.telegramBot!) };
    const results = await Promise.all([1, 2, 3].map(() => deliverOutbox(store, handlers, { now: run.finishedAt })));
    expect(results.map((r) => r.delivered).reduce((a, b) => a + b, 0)).toBe(1);
    expect(http.requests).toHaveLength(1);
    store.close();
  });

  it('leaves channels without a handler untouched, and parks items after maxAttempts', async () => {
    const store = openStore(join(dir, 'park.db'));
    const run = makeRun('run-p', 'fail', T0);
    store.finishRun(run);
    const alert = evaluateAlerts({ verdict: run.verdict, previous: {}, now: run.finishedAt, policy }).alerts[0];
    enqueueAlert(store, alert, ['email', 'sms'], run.finishedAt);
    const broken: OutboxHandler = async () => { throw new Error('smtp exploded'); };
    let now = run.finishedAt;
    for (let i = 0; i < 3; i += 1) {
      await deliverOutbox(store, { email: broken }, { now, maxAttempts: 2, backoff: { baseMs: 1, maxMs: 1 } });
      now += 10;
    }
    const rows = store.listOutbox({ pendingOnly: true });
    const email = rows.find((r) => r.channel === 'email');
    const sms = rows.find((r) => r.channel === 'sms');
    expect(email?.attempts).toBe(2);
    expect(email?.lastError).toMatch(/^gave up after 2 attempts: smtp exploded/);
    expect(sms).toMatchObject({ attempts: 0 });
    expect(sms?.lastError).toBeUndefined();
    expect(describeOutboxItem(email!).status).toBe('parked');
    expect(describeOutboxItem(sms!).status).toBe('pending');
    store.close();
  });
});
