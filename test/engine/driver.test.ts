import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '@tg-canary/sandbox';
import { createTelegramClient } from '../../src/telegram/client-factory.js';
import { GramjsDriver } from '../../src/telegram/driver.js';
import { systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { isProgressText } from '../../src/runner/progress.js';

let sandbox: Sandbox;
let driver: GramjsDriver;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  const user = await sandbox.createUser({ firstName: 'Driver' });
  const client = createTelegramClient({
    session: user.session,
    apiId: sandbox.apiId,
    apiHash: sandbox.apiHash,
    dc: { host: sandbox.host, port: sandbox.port },
  });
  driver = new GramjsDriver({ client, clock: systemClock, logger: silentLogger(), rpcTimeoutMs: 5000, pacingMs: 0, isProgress: isProgressText });
  await driver.connect();
});

afterAll(async () => {
  await driver?.close();
  await sandbox?.stop();
});

describe('GramjsDriver against the sandbox', () => {
  it('sends a prompt and gets the settled reply from pushed updates', async () => {
    const bot = await driver.resolveBot('stable_bot');
    const sent = await driver.send(bot, 'Convert 10 km to miles');
    const reply = await driver.waitForReply(bot, sent, { timeoutMs: 3000, settleMs: 200, minMessages: 1 });
    expect(reply.text).toContain('6.21');
    expect(reply.settled).toBe(true);
    expect(reply.latencyFirstMs).toBeGreaterThanOrEqual(0);
  });

  it('merges a streamed answer (edits) into its final text', async () => {
    const bot = await driver.resolveBot('canary_bot');
    // the demo canary streams by drafts now: the stream fault turns its answer into a message and quick edits
    sandbox.faults.add({ kind: 'stream', bot: 'canary_bot', edits: 2, overMs: 2000, times: 1 }); // ~1 edit/s, Telegram's pace
    const sent = await driver.send(bot, 'What is the warranty of the Orbit X1?');
    const reply = await driver.waitForReply(bot, sent, { timeoutMs: 5000, settleMs: 300, minMessages: 1 });
    expect(reply.text).toMatch(/2-year warranty/);
    expect(reply.editCount).toBeGreaterThan(0);
    expect(reply.messageCount).toBe(1);
  });
});

describe('GramjsDriver.connect with bots to resolve', () => {
  it('resolves them alongside the session check, once, and reports a missing bot when asked', async () => {
    const user = await sandbox.createUser({ firstName: 'Prefetch' });
    const client = createTelegramClient({ session: user.session, apiId: sandbox.apiId, apiHash: sandbox.apiHash, dc: { host: sandbox.host, port: sandbox.port } });
    const d = new GramjsDriver({ client, clock: systemClock, logger: silentLogger(), rpcTimeoutMs: 5000, pacingMs: 0 });
    const mine = (): string[] => sandbox.callLog.filter((e) => e.userId === user.userId).map((e) => e.method);
    try {
      await d.connect({ bots: ['canary_bot', '@stable_bot', 'no_such_bot'] });
      const bot = await d.resolveBot('canary_bot');
      expect(bot.username).toBe('canary_bot');
      await d.resolveBot('stable_bot');
      await expect(d.resolveBot('no_such_bot')).rejects.toMatchObject({ code: expect.stringMatching(/^TG_/) });
      const calls = mine();
      // All three were looked up during connect; canary and stable never again (3 without the look-ahead, 6 if
      // it were not shared), while the missing bot is asked once more when the run wants it: 4.
      expect(calls.filter((m) => m === 'contacts.ResolveUsername').length).toBe(4);
      expect(calls).toContain('users.GetUsers');
    } finally {
      await d.close();
    }
  });
});
