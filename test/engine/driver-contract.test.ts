/** The BotDriver contract (test/support/bot-driver-contract.ts) against the real driver and the scripted fake. */
import { startSandbox } from '@tg-canary/sandbox';
import { createTelegramClient } from '../../src/telegram/client-factory.js';
import { GramjsDriver } from '../../src/telegram/driver.js';
import { systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { isProgressText } from '../../src/runner/progress.js';
import { botDriverContract } from '../support/bot-driver-contract.js';
import { FakeDriver, floodWait, type ScriptedAnswer } from '../support/fake-driver.js';
import { createVirtualClock } from '../support/virtual-clock.js';

const PROMPT = 'Convert 10 km to miles';

botDriverContract('GramjsDriver on the sandbox', async () => {
  const sandbox = await startSandbox({ port: 0 });
  const user = await sandbox.createUser({ firstName: 'Contract' });
  const client = createTelegramClient({ session: user.session, apiId: sandbox.apiId, apiHash: sandbox.apiHash, dc: { host: sandbox.host, port: sandbox.port }, floodSleepThreshold: 0 });
  const driver = new GramjsDriver({ client, clock: systemClock, logger: silentLogger(), rpcTimeoutMs: 5000, pacingMs: 0, floodBudgetMs: 1000, isProgress: isProgressText });
  return {
    driver, bot: 'stable_bot', prompt: PROMPT, answerContains: '6.21',
    silenceNext: () => sandbox.faults.add({ kind: 'silence', bot: 'stable_bot', times: 1 }),
    floodNext: () => sandbox.faults.add({ kind: 'rpc_error', method: 'messages.SendMessage', error: 'FLOOD_WAIT_120', code: 420, times: 1 }),
    close: () => sandbox.stop(),
  };
});

botDriverContract('FakeDriver (scripted)', async () => {
  let next: 'silence' | 'flood' | undefined;
  const driver = new FakeDriver({
    clock: createVirtualClock(),
    bots: {
      stable_bot: (prompt): ScriptedAnswer | undefined => {
        const mode = next;
        next = undefined;
        if (mode === 'silence') return {};
        if (mode === 'flood') return { sendError: floodWait(120) };
        return prompt === PROMPT ? { messages: [{ text: '10 km is about 6.21 miles.', afterMs: 300 }] } : undefined;
      },
    },
  });
  return {
    driver, bot: 'stable_bot', prompt: PROMPT, answerContains: '6.21',
    silenceNext: () => (next = 'silence'),
    floodNext: () => (next = 'flood'),
    close: async () => undefined,
  };
});
