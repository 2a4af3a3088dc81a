/** The shared test helpers do what the tests lean on: a valid scenario, a real loopback Bot API, deadline waits. */
import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { checkScenarioText } from '../../src/scenarios/index.js';
import { startBotApi, type BotApiStandIn } from './bot-api.js';
import { freePort } from './ports.js';
import { convertScenario } from './scenarios.js';
import { waitFor } from './wait.js';

let api: BotApiStandIn | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('convertScenario', () => {
  it('is a valid scenario, with each option applied', () => {
    const plain = checkScenarioText('convert.yaml', convertScenario());
    expect(plain.issues).toEqual([]);
    expect(plain.scenario).toMatchObject({ name: 'convert', suite: 'favor', targets: ['canary'], timeoutMs: 15_000 });
    const both = checkScenarioText('b.yaml', convertScenario({ name: 'b', targets: ['canary', 'stable'], repeat: 5, quiet: '0s', timeout: '8s', expectTimeout: '1500ms', notError: true }));
    expect(both.issues).toEqual([]);
    expect(both.scenario).toMatchObject({ name: 'b', targets: ['canary', 'stable'], repeat: 5, timeoutMs: 8000 });
    const expect1 = both.scenario?.steps.find((s) => s.kind === 'expect');
    expect(JSON.stringify(expect1)).toContain('not-error');
    expect(JSON.stringify(expect1)).toContain('1500');
  });
});

describe('startBotApi', () => {
  it('records sendMessage calls and answers like Telegram; unauthorized answers 401 and records nothing', async () => {
    api = await startBotApi();
    const send = (text: string): Promise<Response> => fetch(`${api?.url}/bot42%3AT/sendMessage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chat_id: '-100', text, parse_mode: 'HTML' }) });
    const r = await send('hi');
    expect(await r.json()).toMatchObject({ ok: true, result: { message_id: 1 } });
    expect(api.calls).toEqual([{ token: '42:T', method: 'sendMessage', body: { chat_id: '-100', text: 'hi', parse_mode: 'HTML' } }]);
    expect(api.messages).toEqual([{ token: '42:T', chatId: '-100', text: 'hi', parseMode: 'HTML' }]);
    api.setMode('unauthorized');
    expect((await send('no')).status).toBe(401);
    expect(api.calls).toHaveLength(1);
    expect((await fetch(`${api.url}/nothing`)).status).toBe(404);
  });
});

describe('freePort', () => {
  it('gives a port that can be bound on 127.0.0.1', async () => {
    const port = await freePort();
    const s = createServer();
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', resolve);
    });
    await new Promise<void>((resolve) => s.close(() => resolve()));
    expect(port).toBeGreaterThan(0);
  });
});

describe('waitFor', () => {
  it('returns the first truthy value, retrying a throwing check', async () => {
    let n = 0;
    const got = await waitFor(() => {
      n++;
      if (n < 3) throw new Error(`not yet ${n}`);
      return n >= 4 ? { n } : undefined;
    }, 'the fourth try', 2000, 5);
    expect(got).toEqual({ n: 4 });
  });

  it('names what it waited for and the last error when the deadline passes', async () => {
    await expect(waitFor(() => { throw new Error('still down'); }, 'the receiver', 60, 10)).rejects.toThrow(/timed out after 60 ms waiting for the receiver \(last error: Error: still down\)/);
  });
});
