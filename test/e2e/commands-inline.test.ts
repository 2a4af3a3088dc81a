/**
 * Issue 18 points 4 and 5 through the real CLI, client and sandbox: deep links (`start:` → messages.startBot, and
 * `send: "/start PAYLOAD"`), /help, the command menu and description (`bot-info:` → users.getFullUser), inline
 * queries (`inline:` → messages.getInlineBotResults) and sending a result (`send: { result }` →
 * messages.sendInlineBotResult, a message "via @bot"). Each with a healthy bot that passes and a broken one that
 * fails; Telegram's faults (a flood wait, both bots timing out) are inconclusive.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BotModule } from '@tg-canary/sandbox';
import { createWorld, type World } from './harness.js';

let w: World;

/** Short windows so the timeout cases take seconds: Telegram's is ~10 s. */
const INLINE_TIMEOUT_MS = 1500;

beforeAll(async () => {
  w = await createWorld({ limits: { inlineTimeoutMs: INLINE_TIMEOUT_MS } });
});
afterAll(async () => {
  await w?.close();
});
afterEach(() => w.reset());

type Json = NonNullable<Awaited<ReturnType<World['cli']>>['json']>;

function byTarget(json: Json, target: string): { status: string; reasons: string[] } {
  const s = json.scenarios.find((x) => x.target === target);
  if (!s) throw new Error(`no ${target} result in ${JSON.stringify(json)}`);
  return s;
}

function transcript(): string {
  return readFileSync(join(w.dir, 'reports', 'latest.xml'), 'utf8').replace(/&quot;/gu, '"').replace(/&apos;/gu, "'").replace(/&lt;/gu, '<').replace(/&gt;/gu, '>').replace(/&amp;/gu, '&');
}

const deepLink = `
name: commands-deep-link
suite: ui
timeout: 20s
steps:
  - start: "ref_{{nonce}}"
  - expect:
      timeout: 5s
      settle: 300ms
      assert:
        - { type: icontains, value: "ref_{{nonce}}", critical: true }
  - send: "/start promo-7"
  - expect:
      timeout: 5s
      settle: 300ms
      assert:
        - { type: icontains, value: "promo-7", critical: true }
`;

describe('deep links: start: PAYLOAD and send: "/start PAYLOAD"', () => {
  it('healthy: both bots read the payload of a t.me link and of a typed /start → pass', async () => {
    w.writeScenario('commands-deep-link', deepLink);
    const r2 = await w.cli(['run', '--json']);
    expect(r2.code, `${r2.stderr}\n${JSON.stringify(r2.json)}`).toBe(0);
    expect(byTarget(r2.json!, 'canary').status).toBe('pass');
    // the link went out as messages.startBot, not as a typed message
    expect(w.sandbox.callLog.some((c) => c.method === 'messages.StartBot')).toBe(true);
  });

  it('broken: canary ignores the deep-link payload (greets as for a bare /start) → fail', async () => {
    await w.sandbox.setBot('canary_bot', (base: BotModule) => ({
      onMessage: (msg, chat) => (/^\/start\b/u.test(msg.text) ? chat.reply('Hello! I am canary_bot. Ask me for a joke.') : base.onMessage(msg, chat)),
    }));
    w.writeScenario('commands-deep-link', deepLink);
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(1);
    const c = byTarget(r.json!, 'canary');
    expect(c.status).toBe('fail');
    expect(c.reasons.join(' ')).toMatch(/icontains/u);
    expect(byTarget(r.json!, 'stable').status).toBe('pass');
  });
});

const menu = `
name: commands-menu
suite: ui
timeout: 20s
steps:
  - bot-info:
      assert:
        - { type: has-command, value: [start, help], critical: true }
        - { type: icontains, value: "demo bot", critical: true }
      about:
        - { type: icontains, value: "tg-canary", critical: true }
  - send: "/help"
  - expect:
      timeout: 5s
      settle: 300ms
      assert:
        - { type: icontains-all, value: ["/start", "/joke"], critical: true }
`;

describe('the command menu, description and /help (bot-info:)', () => {
  it('healthy: the menu has /start and /help, a description and an about text, /help lists the commands → pass', async () => {
    w.writeScenario('commands-menu', menu);
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(0);
    expect(byTarget(r.json!, 'canary').status).toBe('pass');
    expect(transcript()).toMatch(/PASS has-command \(critical\) step 0 .*the menu has \/start, \/help/u);
  });

  it('broken: canary lost /help from its menu → fail, naming what the menu has', async () => {
    await w.sandbox.setBot('canary_bot', (base: BotModule) => ({
      onMessage: (msg, chat) => base.onMessage(msg, chat),
      commands: [{ command: 'start', description: 'Start' }, { command: 'joke', description: 'A joke' }],
    }));
    w.writeScenario('commands-menu', menu);
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(1);
    const c = byTarget(r.json!, 'canary');
    expect(c.status).toBe('fail');
    expect(c.reasons.join(' ')).toMatch(/the menu lacks \/help; it has "\/start \/joke"/u);
    expect(byTarget(r.json!, 'stable').status).toBe('pass');
  });

  it('broken: canary shipped an empty description → fail (bot-description), even with no text assertion on it', async () => {
    await w.sandbox.setBot('canary_bot', (base: BotModule) => ({ onMessage: (msg, chat) => base.onMessage(msg, chat), description: '' }));
    w.writeScenario('commands-menu', `
name: commands-menu
suite: ui
timeout: 20s
steps:
  - bot-info:
      assert:
        - { type: has-command, value: help }
`);
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(1);
    expect(byTarget(r.json!, 'canary').reasons.join(' ')).toMatch(/description is empty/u);
    expect(byTarget(r.json!, 'stable').status).toBe('pass');
  });

  it('a flood wait on users.getFullUser is Telegram\'s, not the bot\'s → inconclusive, never a rollback', async () => {
    w.sandbox.faults.add({ kind: 'rpc_error', method: 'users.GetFullUser', error: 'FLOOD_WAIT_120', code: 420 });
    w.writeScenario('commands-menu', menu);
    const r = await w.cli(['run', '--json']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.json!.verdict).toBe('inconclusive');
    expect(r.json!.scenarios.some((s) => s.status === 'error')).toBe(true);
    expect(r.json!.scenarios.every((s) => s.status !== 'fail')).toBe(true);
  });
});

const inlineQuery = `
name: inline-query
suite: ui
timeout: 20s
steps:
  - inline:
      query: "joke"
      assert:
        - { type: inline-count, value: { min: 2, max: 50 }, critical: true }
        - { type: inline-kinds, value: article, critical: true }
        - { type: inline-titles, value: "Joke", critical: true }
`;

describe('inline queries (inline:)', () => {
  it('healthy: both bots answer with article results titled Joke → pass', async () => {
    w.writeScenario('inline-query', inlineQuery);
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(0);
    expect(transcript()).toMatch(/PASS inline-kinds \(critical\) step 0 .*every result is article/u);
  });

  it('broken: canary answers with no results → fail', async () => {
    await w.sandbox.setBot('canary_bot', (base: BotModule) => ({ onMessage: (m, c) => base.onMessage(m, c), onInlineQuery: () => [] }));
    w.writeScenario('inline-query', inlineQuery);
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(1);
    expect(byTarget(r.json!, 'canary').reasons.join(' ')).toMatch(/answered the inline query "joke" with no results/u);
    expect(byTarget(r.json!, 'stable').status).toBe('pass');
  });

  it('broken: canary answers with the wrong kind (photos instead of articles) → fail', async () => {
    await w.sandbox.setBot('canary_bot', (base: BotModule) => ({
      onMessage: (m, c) => base.onMessage(m, c),
      onInlineQuery: () => [1, 2, 3].map((i) => ({ kind: 'photo' as const, title: `Joke #${i}`, message: `joke ${i}` })),
    }));
    w.writeScenario('inline-query', inlineQuery);
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(1);
    expect(byTarget(r.json!, 'canary').reasons.join(' ')).toMatch(/3 of 3 results are not article: photo "Joke #1"/u);
  });

  it('broken: canary lost inline mode (BOT_INLINE_DISABLED) → fail', async () => {
    await w.sandbox.setBot('canary_bot', { onMessage: (_m, c) => c.reply('hi') });
    w.writeScenario('inline-query', inlineQuery);
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(1);
    expect(byTarget(r.json!, 'canary').reasons.join(' ')).toMatch(/has no inline mode \(BOT_INLINE_DISABLED\)/u);
    expect(byTarget(r.json!, 'stable').status).toBe('pass');
  });

  it('broken: canary times out on inline queries while stable answers → fail', async () => {
    await w.sandbox.setBot('canary_bot', (base: BotModule) => ({
      onMessage: (m, c) => base.onMessage(m, c),
      onInlineQuery: async (q, c) => {
        await c.sleep(INLINE_TIMEOUT_MS + 1000);
        return [{ title: 'late', message: q.query }];
      },
    }));
    w.writeScenario('inline-query', inlineQuery);
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(1);
    expect(byTarget(r.json!, 'canary').reasons.join(' ')).toMatch(/did not answer the inline query "joke" in time \(BOT_RESPONSE_TIMEOUT\)/u);
    expect(byTarget(r.json!, 'stable').status).toBe('pass');
  });

  it('both bots time out on inline queries: a shared cause, not the canary → inconclusive', async () => {
    const slow = (base: BotModule): BotModule => ({
      onMessage: (m, c) => base.onMessage(m, c),
      onInlineQuery: async (_q, c) => {
        await c.sleep(INLINE_TIMEOUT_MS + 1000);
        return undefined;
      },
    });
    await w.sandbox.setBot('canary_bot', slow);
    await w.sandbox.setBot('stable_bot', slow);
    w.writeScenario('inline-query', inlineQuery);
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(3);
    expect(r.json!.verdict).toBe('inconclusive');
    expect(r.json!.reasons.join(' ')).toMatch(/shared cause/u);
  });
});

const sendResult = `
name: inline-send-result
suite: ui
timeout: 20s
steps:
  - inline:
      query: "joke"
  - send:
      result: { title: "Joke #" }
      assert:
        - { type: not-error, critical: true }
        - { type: length, value: { min: 20 }, critical: true }
`;

describe('sending an inline result (send: { result })', () => {
  it('healthy: the picked joke arrives as the user\'s message via @bot → pass', async () => {
    w.writeScenario('inline-send-result', sendResult);
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(0);
    const t = transcript();
    expect(t).toMatch(/PASS via-bot \(critical\) step 1 .*sent via @canary_bot/u);
    expect(w.sandbox.callLog.some((c) => c.method === 'messages.SendInlineBotResult')).toBe(true);
  });

  it('broken: canary\'s result produces an error message instead of the joke → fail', async () => {
    await w.sandbox.setBot('canary_bot', (base: BotModule) => ({
      onMessage: (m, c) => base.onMessage(m, c),
      onInlineQuery: () => [{ id: 'j1', title: 'Joke #1', description: 'a joke', message: 'Error: undefined is not a function' }],
    }));
    w.writeScenario('inline-send-result', sendResult);
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(1);
    expect(byTarget(r.json!, 'canary').reasons.join(' ')).toMatch(/not-error/u);
    expect(byTarget(r.json!, 'stable').status).toBe('pass');
  });

  it('broken: the result the scenario asks for is missing → fail, naming it', async () => {
    await w.sandbox.setBot('canary_bot', (base: BotModule) => ({
      onMessage: (m, c) => base.onMessage(m, c),
      onInlineQuery: () => [{ id: 'x', title: 'Something else', message: 'not a joke at all, sorry about that' }],
    }));
    w.writeScenario('inline-send-result', sendResult);
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(1);
    expect(byTarget(r.json!, 'canary').reasons.join(' ')).toMatch(/no a result titled like "Joke #" among the 1 inline results/u);
  });
});
