/**
 * The peer cache through the real CLI (issue 19 points 3 and 6): two `tg-canary run`s on one database make their
 * `contacts.resolveUsername` calls on the first run only; a stale cached peer costs one lookup and the run still
 * passes; a cached bot that has vanished is a clear error, not a crash.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { createWorld, type World } from './harness.js';
import { convertScenario } from '../support/scenarios.js';

let w: World;

const conversion = convertScenario({ targets: ['canary', 'stable'], expectTimeout: '2s' });

beforeAll(async () => {
  w = await createWorld();
});
afterAll(async () => {
  await w?.close();
});
afterEach(() => w.reset());

function resolveCalls(): number {
  return w.sandbox.callLog.filter((e) => e.userId === w.user.userId && e.method === 'contacts.ResolveUsername').length;
}

/** Writes peer cache entries into the run database (created and migrated by opening it). */
function seed(username: string, userId: string): void {
  const store = openStore(String(w.env.TG_CANARY_DB));
  try {
    store.savePeer(w.user.userId, username, { userId, accessHash: '12345' });
  } finally {
    store.close();
  }
}

function cached(username: string): string | undefined {
  const store = openStore(String(w.env.TG_CANARY_DB), { readonly: true });
  try {
    return store.cachedPeer(w.user.userId, username)?.userId;
  } finally {
    store.close();
  }
}

describe('tg-canary run: the peer cache', () => {
  it('the second run on one database makes no resolveUsername call', async () => {
    w.writeScenario('convert', conversion);
    const before = resolveCalls();
    const first = await w.cli(['run', '--json']);
    expect(first.json?.verdict, first.stderr).toBe('pass');
    expect(resolveCalls() - before).toBe(2);
    const mid = resolveCalls();
    const second = await w.cli(['run', '--json']);
    expect(second.json?.verdict, second.stderr).toBe('pass');
    expect(second.code).toBe(0);
    expect(resolveCalls() - mid).toBe(0);
  });

  it('a stale cached peer (the bot was re-created under its name) costs one lookup and the run passes', async () => {
    w.writeScenario('convert', conversion);
    seed('canary_bot', '777000111');
    seed('stable_bot', '777000222');
    const before = resolveCalls();
    const r = await w.cli(['run', '--json']);
    expect(r.json?.verdict, r.stderr).toBe('pass');
    expect(resolveCalls() - before).toBe(2);
    expect(cached('canary_bot')).not.toBe('777000111');
    expect(cached('stable_bot')).not.toBe('777000222');
  });

  it('a cached bot that was deleted (its name is free now) is a clear error, not a crash', async () => {
    w.writeScenario('convert', conversion);
    seed('gone_bot', '777000333');
    const r = await w.cli(['run', '--json'], { CANARY_BOT: 'gone_bot' });
    expect(r.code, r.stderr).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.stderr).not.toMatch(/at .+\.js:\d+/); // no stack trace
    expect(r.json?.verdict, r.stdout).not.toBe('pass');
    expect(`${r.stdout}\n${r.stderr}`).toContain('gone_bot');
    expect(`${r.stdout}\n${r.stderr}`).toMatch(/TG_BOT_NOT_FOUND|does not exist/);
    expect(cached('gone_bot')).toBeUndefined();
  });
});
