import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { createTelegramClient } from '../../src/telegram/client-factory.js';
import { GramjsDriver } from '../../src/telegram/driver.js';
import { systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { isPlaceholderText } from '../../src/runner/placeholders.js';

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
  driver = new GramjsDriver({ client, clock: systemClock, logger: silentLogger(), rpcTimeoutMs: 5000, pacingMs: 0, isPlaceholder: isPlaceholderText });
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
    const sent = await driver.send(bot, 'What is the warranty of the Orbit X1?');
    const reply = await driver.waitForReply(bot, sent, { timeoutMs: 3000, settleMs: 300, minMessages: 1 });
    expect(reply.text).toMatch(/2-year warranty/);
    expect(reply.editCount).toBeGreaterThan(0);
    expect(reply.messageCount).toBe(1);
  });
});
