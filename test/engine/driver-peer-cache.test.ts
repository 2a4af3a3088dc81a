/**
 * The driver's peer cache against the sandbox (issue 19 point 3): resolved bots come from a real SQLite store across
 * drivers (runs), `contacts.resolveUsername` goes out only on a miss, a refused cached peer is resolved again once,
 * and a vanished bot is a clear TG_BOT_NOT_FOUND.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox, type SandboxUser } from '@tg-canary/sandbox';
import { createTelegramClient } from '../../src/telegram/client-factory.js';
import { GramjsDriver } from '../../src/telegram/driver.js';
import { ResolveLimiter } from '../../src/telegram/resolve-limiter.js';
import { systemClock } from '../../src/core/clock.js';
import type { PeerCacheStore } from '../../src/core/ports.js';
import { openStore, type SqliteRunStore } from '../../src/store/index.js';
import { silentLogger } from '../../src/util/logger.js';
import { tempDir } from '../store/fixtures.js';

let sandbox: Sandbox;
let user: SandboxUser;
let tmp: ReturnType<typeof tempDir>;
let store: SqliteRunStore;
const drivers: GramjsDriver[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  user = await sandbox.createUser({ firstName: 'Peers' });
});
afterAll(async () => {
  await sandbox?.stop();
});
beforeEach(() => {
  tmp = tempDir();
  store = openStore(join(tmp.dir, 'runs.db'));
});
afterEach(async () => {
  for (const d of drivers.splice(0)) await d.close();
  store.close();
  tmp.cleanup();
});

function driver(peerCache?: PeerCacheStore, resolveLimiter?: ResolveLimiter): GramjsDriver {
  const client = createTelegramClient({ session: user.session, apiId: sandbox.apiId, apiHash: sandbox.apiHash, dc: { host: sandbox.host, port: sandbox.port } });
  const d = new GramjsDriver({ client, clock: systemClock, logger: silentLogger(), rpcTimeoutMs: 5000, pacingMs: 0, peerCache, resolveLimiter });
  drivers.push(d);
  return d;
}

function resolveCalls(): number {
  return sandbox.callLog.filter((e) => e.userId === user.userId && e.method === 'contacts.ResolveUsername').length;
}

async function converts(d: GramjsDriver, name: string): Promise<void> {
  const bot = await d.resolveBot(name);
  const sent = await d.send(bot, 'Convert 10 km to miles');
  const reply = await d.waitForReply(bot, sent, { timeoutMs: 3000, settleMs: 200, minMessages: 1 });
  expect(reply.text).toContain('6.21');
}

describe('GramjsDriver with a peer cache', () => {
  it('the first run resolves and caches; a second run on the same store resolves nothing and still talks', async () => {
    const before = resolveCalls();
    const first = driver(store);
    await first.connect({ bots: ['canary_bot', 'stable_bot'] });
    await converts(first, 'canary_bot');
    expect(resolveCalls() - before).toBe(2);
    const cached = store.cachedPeer(user.userId, 'canary_bot');
    expect(cached?.userId).toBe((await first.resolveBot('canary_bot')).id);
    expect(cached?.accessHash).toMatch(/^-?\d+$/);

    const again = before + 2;
    const second = driver(store);
    await second.connect({ bots: ['@Canary_Bot', 'stable_bot'] });
    await converts(second, 'canary_bot');
    await converts(second, 'stable_bot');
    expect(resolveCalls()).toBe(again);
  });

  it('a cached peer Telegram refuses (PEER_ID_INVALID) is resolved again once, the send retried and the cache fixed', async () => {
    store.savePeer(user.userId, 'stable_bot', { userId: '424242424242', accessHash: '1' });
    const before = resolveCalls();
    const d = driver(store);
    await d.connect({ bots: ['stable_bot'] });
    expect(resolveCalls()).toBe(before);
    await converts(d, 'stable_bot');
    expect(resolveCalls() - before).toBe(1);
    const fixed = store.cachedPeer(user.userId, 'stable_bot');
    expect(fixed?.userId).not.toBe('424242424242');
    // the next run uses the fixed entry without a lookup
    const next = driver(store);
    await next.connect({ bots: ['stable_bot'] });
    await converts(next, 'stable_bot');
    expect(resolveCalls() - before).toBe(1);
  });

  it('a cached bot that no longer exists is TG_BOT_NOT_FOUND naming it, and leaves the cache', async () => {
    store.savePeer(user.userId, 'gone_bot', { userId: '535353535353', accessHash: '7' });
    const d = driver(store);
    await d.connect({ bots: ['gone_bot'] });
    const bot = await d.resolveBot('gone_bot');
    await expect(d.send(bot, 'hello')).rejects.toMatchObject({ code: 'TG_BOT_NOT_FOUND', kind: 'config', message: expect.stringContaining('gone_bot') });
    expect(store.cachedPeer(user.userId, 'gone_bot')).toBeUndefined();
  });

  it('a peer cache that cannot be written (a read-only store) costs a lookup, never the run', async () => {
    const path = join(tmp.dir, 'runs.db');
    const ro = openStore(path, { readonly: true });
    try {
      const before = resolveCalls();
      const d = driver(ro);
      await d.connect({ bots: ['canary_bot'] });
      await converts(d, 'canary_bot');
      expect(resolveCalls() - before).toBe(1);
      expect(store.cachedPeer(user.userId, 'canary_bot')).toBeUndefined();
    } finally {
      ro.close();
    }
  });

  it('counts each lookup against the account in the limiter it is given', async () => {
    const limiter = new ResolveLimiter(5);
    const d = driver(store, limiter);
    await d.connect({ bots: ['canary_bot', 'stable_bot'] });
    await d.resolveBot('canary_bot');
    await d.resolveBot('stable_bot');
    expect(limiter.recent(user.userId, Date.now())).toBe(2);
    // cache hits are not lookups
    const hits = driver(store, limiter);
    await hits.connect({ bots: ['canary_bot', 'stable_bot'] });
    await hits.resolveBot('stable_bot');
    expect(limiter.recent(user.userId, Date.now())).toBe(2);
  });
});
