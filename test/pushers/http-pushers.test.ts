import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliverOutbox } from '../../src/delivery/outbox.js';
import { enqueueStatusPushes, pingStart, statusPushHandlers, verifySignature } from '../../src/status/pushers/index.js';
import { runUuid } from '../../src/status/pushers/healthchecks.js';
import { openStore, type SqliteRunStore } from '../../src/store/index.js';
import { makeRun, startHttp, type Loopback } from '../notifiers/fixtures.js';
import { freePort } from '../support/ports.js';

const T0 = 1_700_000_000_000;
const SECRET = 'whsec-very-secret';
let dir: string;
let store: SqliteRunStore;
let server: Loopback;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tgc-push-'));
  store = openStore(join(dir, 'db.sqlite'));
  server = await startHttp();
});
afterEach(async () => {
  store.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('webhook, healthchecks and Uptime Kuma pushers (loopback HTTP)', () => {
  it('POSTs the verdict JSON with a verifiable HMAC-SHA256 signature and a timestamp', async () => {
    const run = makeRun('run-wh', 'fail', T0);
    store.finishRun(run);
    const cfg = { webhook: { url: `${server.url}/hooks/canary`, secret: SECRET } };
    await enqueueStatusPushes(store, run, cfg, { exitCode: 1, now: run.finishedAt });
    const res = await deliverOutbox(store, statusPushHandlers(cfg), { now: run.finishedAt });
    expect(res.delivered).toBe(1);
    const req = server.requests[0];
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/hooks/canary');
    expect(req.headers['content-type']).toBe('application/json');
    const expected = `sha256=${createHmac('sha256', SECRET).update(req.body).digest('hex')}`;
    expect(req.headers['x-tgcanary-signature']).toBe(expected);
    expect(verifySignature(SECRET, req.body, String(req.headers['x-tgcanary-signature']))).toBe(true);
    expect(verifySignature(SECRET, `${req.body} `, String(req.headers['x-tgcanary-signature']))).toBe(false);
    expect(Number(req.headers['x-tgcanary-timestamp'])).toBeGreaterThan(1_600_000_000);
    const body = JSON.parse(req.body) as { runId: string; verdict: string; decision: string };
    expect(body).toMatchObject({ runId: 'run-wh', verdict: 'fail', decision: 'rollback' });
  });

  it('pings healthchecks-style start, exit status (log when inconclusive) with a UUID rid, and Uptime Kuma up/down', async () => {
    const ping = `${server.url}/ping/4f1c-uuid`;
    expect(await pingStart({ pingUrl: ping }, 'run-hc')).toEqual({ ok: true });
    const cfg = { pingUrl: ping, uptimeKumaUrl: `${server.url}/api/push/kumaToken?status=up&msg=OK&ping=` };
    const fail = makeRun('run-hc', 'fail', T0);
    store.finishRun(fail);
    expect(await enqueueStatusPushes(store, fail, cfg, { exitCode: 1, now: fail.finishedAt })).toBe(2);
    const pass = makeRun('run-hc2', 'pass', T0 + 1000);
    store.finishRun(pass);
    await enqueueStatusPushes(store, pass, cfg, { exitCode: 0, now: pass.finishedAt });
    const inc = makeRun('run-hc3', 'inconclusive', T0 + 2000);
    store.finishRun(inc);
    expect(await enqueueStatusPushes(store, inc, cfg, { exitCode: 3, now: inc.finishedAt })).toBe(1); // kuma skips inconclusive

    const res = await deliverOutbox(store, statusPushHandlers(cfg), { now: inc.finishedAt });
    expect(res.delivered).toBe(5);
    const urls = server.requests.map((r) => `${r.method} ${r.url}`);
    expect(urls).toContain(`GET /ping/4f1c-uuid/start?rid=${runUuid('run-hc')}`);
    const hc = server.requests.filter((r) => r.url.startsWith('/ping/4f1c-uuid/') && !r.url.includes('/start'));
    expect(hc.map((r) => `${r.method} ${r.url}`)).toEqual([
      `POST /ping/4f1c-uuid/1?rid=${runUuid('run-hc')}`, `POST /ping/4f1c-uuid/0?rid=${runUuid('run-hc2')}`,
      `POST /ping/4f1c-uuid/log?rid=${runUuid('run-hc3')}`,
    ]);
    expect(hc[0].body).toContain('tg-canary run run-hc: fail');
    const kuma = server.requests.filter((r) => r.url.startsWith('/api/push/kumaToken')).map((r) => new URL(r.url, server.url).searchParams);
    expect(kuma.map((q) => q.get('status'))).toEqual(['down', 'up']);
    expect(kuma[0].get('msg')).toContain('fail 1/4');
    expect(kuma[1].get('ping')).toBe('1250');
  });

  it('never leaks the ping URL when the ping target is down; start ping reports instead of throwing', async () => {
    const port = await freePort();
    const ping = `http://127.0.0.1:${port}/ping/secret-check-uuid`;
    const r = await pingStart({ pingUrl: ping, timeoutMs: 2000 }, 'run-x');
    expect(r.ok).toBe(false);
    expect(r.error).not.toContain('secret-check-uuid');
    const run = makeRun('run-x', 'pass', T0);
    store.finishRun(run);
    await enqueueStatusPushes(store, run, { pingUrl: ping }, { exitCode: 0, now: run.finishedAt });
    const res = await deliverOutbox(store, statusPushHandlers({ pingUrl: ping }), { now: run.finishedAt });
    expect(res.failed).toBe(1);
    const h = res.health.find((x) => x.channel === 'healthchecks');
    expect(h?.pending).toBe(1);
    expect(h?.lastError).toMatch(/DELIVERY_NETWORK/);
    expect(h?.lastError).not.toContain('secret-check-uuid');
  });
});
