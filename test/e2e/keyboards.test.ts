/**
 * Issue 18.3 through the real CLI, client and sandbox: reply keyboards (layout, a press sends the text, removal),
 * URL buttons (the link, opened in Chromium), switch-inline queries, Mini Apps (messages.requestWebView's signed
 * URL opened in real headless Chromium, the page validating the init data with its backend) and callback answers
 * shown as alerts or toasts. Each feature: the healthy demo bot passes, a broken canary fails.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { validateInitData, type BotModule } from '@tg-canary/sandbox';
import { createWorld, type World } from './harness.js';

let w: World;

beforeAll(async () => {
  w = await createWorld();
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

/** A canary that is the demo bot except for the texts `over` answers itself. */
function canaryWith(over: (text: string, chat: Parameters<BotModule['onMessage']>[1]) => Promise<unknown> | undefined, extra: Partial<BotModule> = {}): (base: BotModule) => BotModule {
  return (base) => ({
    onMessage: (m, chat) => over(m.text.trim(), chat) ?? base.onMessage(m, chat),
    onCallback: extra.onCallback ?? base.onCallback?.bind(base),
    onWebRequest: extra.onWebRequest ?? base.onWebRequest?.bind(base),
  });
}

const menuScenario = `
name: ui-menu
suite: ui
timeout: 20s
quiet: 300ms
steps:
  - send: /menu
  - expect:
      timeout: 5s
      settle: 300ms
      assert:
        - { type: keyboard, value: [["🍕 Order pizza", "📦 My orders"], ["❓ Help"]], critical: true }
  - click:
      text: "📦 My orders"
      expect:
        timeout: 5s
        settle: 300ms
        assert:
          - { type: keyboard-removed, critical: true }
          - { type: icontains, value: "no orders", critical: true }
`;

describe('reply keyboards', { timeout: 90_000 }, () => {
  it('healthy: the menu has the agreed layout, a press sends the button text, the answer removes the keyboard → pass', async () => {
    w.writeScenario('ui-menu', menuScenario);
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(0);
    expect(byTarget(r.json!, 'canary').status).toBe('pass');
    const sent = w.sandbox.callLog.filter((c) => c.method === 'messages.SendMessage').length;
    expect(sent).toBe(4); // /menu and the pressed button's text, for each target
  });

  it('broken: the canary reshuffles the menu → fail, naming both layouts', async () => {
    await w.sandbox.setBot('canary_bot', canaryWith((t, chat) =>
      t === '/menu' ? chat.reply('What would you like to do?', { keyboard: { rows: [['🍕 Order pizza'], ['📦 My orders', '❓ Help']] } }) : undefined));
    w.writeScenario('ui-menu', menuScenario);
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(1);
    const c = byTarget(r.json!, 'canary');
    expect(c.status).toBe('fail');
    expect(c.reasons.join(' ')).toMatch(/reply keyboard is \["🍕 Order pizza"\] \["📦 My orders", "❓ Help"\], expected \["🍕 Order pizza", "📦 My orders"\] \["❓ Help"\]/u);
    expect(byTarget(r.json!, 'stable').status).toBe('pass');
  });

  it('broken: the canary answers but leaves the keyboard up → fail (keyboard not removed)', async () => {
    await w.sandbox.setBot('canary_bot', canaryWith((t, chat) =>
      t === '📦 My orders' ? chat.reply('You have no orders yet. Send /menu to start again.') : undefined));
    w.writeScenario('ui-menu', menuScenario);
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(1);
    const c = byTarget(r.json!, 'canary');
    expect(c.status).toBe('fail');
    expect(c.reasons.join(' ')).toMatch(/keyboard-removed .*does not remove the reply keyboard/u);
  });
});

const nameScenario = `
name: ui-force-reply
suite: ui
timeout: 20s
quiet: 300ms
steps:
  - send: /rename
  - expect:
      timeout: 5s
      settle: 300ms
      assert:
        - { type: force-reply, critical: true }
`;

describe('force reply', { timeout: 90_000 }, () => {
  const asks = (force: boolean): BotModule => ({
    onMessage: (_m, chat) => chat.reply('What should I call you?', force ? { forceReply: { placeholder: 'Your name' } } : {}),
  });

  it('healthy: the bot asks with force_reply → pass', async () => {
    await w.sandbox.setBot('canary_bot', asks(true));
    await w.sandbox.setBot('stable_bot', asks(true));
    w.writeScenario('ui-force-reply', nameScenario);
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(0);
  });

  it('broken: the canary asks without force_reply → fail', async () => {
    await w.sandbox.setBot('canary_bot', asks(false));
    await w.sandbox.setBot('stable_bot', asks(true));
    w.writeScenario('ui-force-reply', nameScenario);
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(1);
    expect(byTarget(r.json!, 'canary').reasons.join(' ')).toMatch(/force-reply .*does not ask for a reply/u);
  });
});

const helpScenario = `
name: ui-links
suite: ui
timeout: 30s
quiet: 300ms
steps:
  - send: "❓ Help"
  - expect:
      timeout: 5s
      settle: 300ms
      assert:
        - { type: has-button, value: "📖 Docs", critical: true }
        - { type: button-url, value: { button: "📖 Docs", regex: "^http://127\\\\.0\\\\.0\\\\.1:\\\\d+/bots/(canary|stable)_bot/docs$" }, critical: true }
        - { type: button-query, value: { button: "🔎 Share a pizza", equals: "pizza" }, critical: true }
  - click:
      text: "📖 Docs"
      open: { text: "Pizza bot docs", timeout: 5s }
`;

describe('URL and switch-inline buttons', { timeout: 90_000 }, () => {
  it('healthy: the docs link points at the bot\'s page, opens in Chromium, the share button carries its query → pass', async () => {
    w.writeScenario('ui-links', helpScenario);
    const r = await w.cli(['run', '--json'], {}, { timeoutMs: 90_000 });
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(0);
    expect(byTarget(r.json!, 'canary').status).toBe('pass');
    expect(byTarget(r.json!, 'stable').status).toBe('pass');
  });

  it('broken: the canary\'s docs button points elsewhere and its share query changed → fail', async () => {
    await w.sandbox.setBot('canary_bot', canaryWith((t, chat) =>
      t === '❓ Help'
        ? chat.reply('Read the docs, or share a pizza with a friend.', {
            buttons: [[{ text: '📖 Docs', url: 'http://127.0.0.1:9/docs' }], [{ text: '🔎 Share a pizza', switchInline: '' }]],
          })
        : undefined));
    w.writeScenario('ui-links', helpScenario);
    const r = await w.cli(['run', '--json'], {}, { timeoutMs: 90_000 });
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(1);
    const c = byTarget(r.json!, 'canary');
    expect(c.status).toBe('fail');
    const why = c.reasons.join(' ');
    expect(why).toMatch(/button-url .*url is "http:\/\/127\.0\.0\.1:9\/docs", expected/u);
    expect(why).toMatch(/button-query .*query is "", expected "pizza"/u);
    expect(byTarget(r.json!, 'stable').status).toBe('pass');
  });
});

const shopScenario = (open = '{ selector: "#order", text: "Hello, E2E!", timeout: 5s }'): string => `
name: ui-mini-app
suite: ui
timeout: 40s
quiet: 300ms
steps:
  - send: /shop
  - expect:
      timeout: 5s
      settle: 300ms
      assert:
        - { type: button-url, value: { button: "🛒 Open shop", regex: "/bots/(canary|stable)_bot/shop$" }, critical: true }
  - click:
      text: "🛒 Open shop"
      open: ${open}
`;

describe('Mini App buttons (real Chromium)', { timeout: 90_000 }, () => {
  it('healthy: requestWebView gives the signed URL; the page\'s backend accepts the init data and greets the test user → pass', async () => {
    w.writeScenario('ui-mini-app', shopScenario());
    const r = await w.cli(['run', '--json'], {}, { timeoutMs: 90_000 });
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(0);
    expect(byTarget(r.json!, 'canary').status).toBe('pass');
    expect(w.sandbox.callLog.filter((c) => c.method === 'messages.RequestWebView').length).toBe(2);
    // the init data authenticates the test user to the bot's backend: it never reaches the report
    expect(r.stdout).not.toMatch(/tgWebAppData=(?!\[redacted\])/u);
    const reports = readdirSync(join(w.dir, 'reports'), { recursive: true, encoding: 'utf8' }).filter((f) => /\.(xml|html|json|md)$/u.test(f));
    expect(reports.length).toBeGreaterThan(0);
    const written = reports.map((f) => readFileSync(join(w.dir, 'reports', f), 'utf8')).join('\n');
    expect(written).toMatch(/Mini App → http:\/\/127\.0\.0\.1:\d+\/bots\/canary_bot\/shop#tgWebAppData=\[redacted\]/u);
    expect(written).not.toMatch(/tgWebAppData=(?!\[redacted\])|auth_date|query_id/u);
  });

  it('broken: the canary\'s backend checks the init data with the wrong token (bad signature) → fail', async () => {
    // the demo's page, but a backend validating with another deployment's token
    await w.sandbox.setBot('canary_bot', ((base: BotModule) => ({
      onMessage: base.onMessage.bind(base),
      onCallback: base.onCallback?.bind(base),
      onWebRequest: async (req) => {
        if (req.method === 'POST' && req.path === '/api/session') {
          const check = validateInitData(req.body, '123:stale-token-from-another-deployment');
          return { status: 401, contentType: 'application/json', body: JSON.stringify({ ok: false, error: check.ok ? 'unexpected' : check.reason }) };
        }
        return base.onWebRequest?.(req);
      },
    })));
    w.writeScenario('ui-mini-app', shopScenario('{ selector: "#order", text: "Hello, E2E!", timeout: 3s }'));
    const r = await w.cli(['run', '--json'], {}, { timeoutMs: 90_000 });
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(1);
    const c = byTarget(r.json!, 'canary');
    expect(c.status).toBe('fail');
    expect(c.reasons.join(' ')).toMatch(/mini-app .*selector #order not found.*text "Hello, E2E!" not on the page/u);
    expect(byTarget(r.json!, 'stable').status).toBe('pass');
  });

  it('broken: the canary\'s Mini App page answers 500 → fail', async () => {
    await w.sandbox.setBot('canary_bot', canaryWith(() => undefined, {
      onWebRequest: () => ({ status: 500, body: 'upstream error' }),
    }));
    w.writeScenario('ui-mini-app', shopScenario('{ text: "Hello, E2E!", timeout: 3s }'));
    const r = await w.cli(['run', '--json'], {}, { timeoutMs: 90_000 });
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(1);
    const c = byTarget(r.json!, 'canary');
    expect(c.status).toBe('fail');
    expect(c.reasons.join(' ')).toMatch(/mini-app .*HTTP 500/u);
  });

  it('broken: the canary\'s Mini App never loads → fail within the page timeout', async () => {
    await w.sandbox.setBot('canary_bot', canaryWith(() => undefined, { onWebRequest: () => ({ body: '', hang: true }) }));
    w.writeScenario('ui-mini-app', shopScenario('{ text: "Hello, E2E!", timeout: 2s }'));
    const r = await w.cli(['run', '--json'], {}, { timeoutMs: 90_000 });
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(1);
    const c = byTarget(r.json!, 'canary');
    expect(c.status).toBe('fail');
    expect(c.reasons.join(' ')).toMatch(/mini-app .*could not load .*#tgWebAppData=\[redacted\]/u);
  });

  it('a reply keyboard\'s Mini App button: requestSimpleWebView, the page validates → pass; mis-signed → fail', async () => {
    const appKeyboard = (base: BotModule): BotModule => ({
      onMessage: (m, chat) => (m.text === '/app' ? chat.reply('Tap the shop button below.', { keyboard: { rows: [[{ text: '🛒 Shop', webApp: '/shop' }], ['❓ Help']], resize: true } }) : base.onMessage(m, chat)),
      onCallback: base.onCallback?.bind(base),
      onWebRequest: base.onWebRequest?.bind(base),
    });
    await w.sandbox.setBot('canary_bot', appKeyboard);
    await w.sandbox.setBot('stable_bot', appKeyboard);
    w.writeScenario('ui-app-keyboard', `
name: ui-app-keyboard
suite: ui
timeout: 30s
quiet: 300ms
steps:
  - send: /app
  - expect:
      timeout: 5s
      settle: 300ms
      assert:
        - { type: keyboard, value: [["🛒 Shop"], ["❓ Help"]], critical: true }
  - click:
      text: "🛒 Shop"
      open: { selector: "#order", text: "Hello, E2E!", timeout: 3s }
`);
    const ok = await w.cli(['run', '--json'], {}, { timeoutMs: 90_000 });
    expect(ok.code, `${ok.stderr}\n${JSON.stringify(ok.json)}`).toBe(0);
    expect(w.sandbox.callLog.filter((c) => c.method === 'messages.RequestSimpleWebView').length).toBe(2);
    w.freshDb();
    w.sandbox.faults.add({ kind: 'webapp_bad_signature', bot: 'canary_bot' });
    const bad = await w.cli(['run', '--json'], {}, { timeoutMs: 90_000 });
    expect(bad.code, `${bad.stderr}\n${JSON.stringify(bad.json)}`).toBe(1);
    expect(byTarget(bad.json!, 'canary').reasons.join(' ')).toMatch(/mini-app .*selector #order not found/u);
    expect(byTarget(bad.json!, 'stable').status).toBe('pass');
  }, 120_000);

  it('sandbox faults: a mis-signed init data, a 500 and a page that never loads each fail the canary only', async () => {
    const faults = [
      { kind: 'webapp_bad_signature', reason: /mini-app .*selector #order not found/u },
      { kind: 'webapp_error', reason: /mini-app .*HTTP 500/u },
      { kind: 'webapp_hang', reason: /mini-app .*could not load/u },
    ] as const;
    for (const f of faults) {
      w.sandbox.faults.clear();
      w.freshDb();
      w.sandbox.faults.add({ kind: f.kind, bot: 'canary_bot' });
      w.writeScenario('ui-mini-app', shopScenario('{ selector: "#order", text: "Hello, E2E!", timeout: 2s }'));
      const r = await w.cli(['run', '--json'], {}, { timeoutMs: 90_000 });
      expect(r.code, `${f.kind}: ${r.stderr}\n${JSON.stringify(r.json)}`).toBe(1);
      expect(byTarget(r.json!, 'canary').reasons.join(' ')).toMatch(f.reason);
      expect(byTarget(r.json!, 'stable').status).toBe('pass');
    }
  }, 180_000);

  it('Chromium cannot start → error and an inconclusive verdict, never a canary fail', async () => {
    w.writeScenario('ui-mini-app', shopScenario());
    const r = await w.cli(['run', '--json'], { CHROMIUM_PATH: '/nonexistent/chromium' }, { timeoutMs: 90_000 });
    expect(r.json?.verdict, `${r.stderr}\n${r.stdout}`).toBe('inconclusive');
    expect(byTarget(r.json!, 'canary').status).toBe('error');
    expect(r.code).not.toBe(1);
  });
});

const stockScenario = `
name: ui-alert
suite: ui
timeout: 20s
quiet: 300ms
steps:
  - send: /stock
  - expect:
      timeout: 5s
      settle: 300ms
      assert:
        - { type: has-button, value: "Check stock", critical: true }
  - click:
      text: "Check stock"
      expect-answer: { alert: true, icontains: "sold out" }
`;

describe('callback answers: alert or toast', { timeout: 90_000 }, () => {
  it('healthy: the stock check answers with an alert saying it is sold out → pass', async () => {
    w.writeScenario('ui-alert', stockScenario);
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(0);
    expect(byTarget(r.json!, 'canary').status).toBe('pass');
  });

  it('broken: the canary answers with a toast (easy to miss) → fail', async () => {
    await w.sandbox.setBot('canary_bot', canaryWith(() => undefined, { onCallback: () => 'Sorry, Margherita is sold out today.' }));
    w.writeScenario('ui-alert', stockScenario);
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(1);
    const c = byTarget(r.json!, 'canary');
    expect(c.status).toBe('fail');
    expect(c.reasons.join(' ')).toMatch(/callback-answer .*expected an alert, got a toast "Sorry, Margherita is sold out today\."/u);
  });

  it('broken: the canary\'s alert says the wrong thing → fail', async () => {
    await w.sandbox.setBot('canary_bot', canaryWith(() => undefined, { onCallback: () => ({ text: 'In stock!', alert: true }) }));
    w.writeScenario('ui-alert', stockScenario);
    const r = await w.cli(['run', '--json']);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(1);
    const c = byTarget(r.json!, 'canary');
    expect(c.status).toBe('fail');
    expect(c.reasons.join(' ')).toMatch(/callback-answer .*answer is an alert "In stock!", expected it to contain "sold out"/u);
  });
});
