import { afterEach, describe, expect, it } from 'vitest';
import type { AlertMessage, Clock } from '../../src/core/ports.js';
import { evaluateAlerts } from '../../src/core/alert-policy.js';
import { createTelegramBotNotifier, createTelegramUserNotifier, DeliveryError } from '../../src/notifiers/index.js';
import { EVIL, makeRun, startHttp, type Loopback } from './fixtures.js';
import { freePort } from '../support/ports.js';

const TOKEN = '123456:AAE-secret-token-do-not-leak';

function failingAlert(text?: string): AlertMessage {
  const run = makeRun('run-1', 'fail', 1_700_000_000_000);
  const [alert] = evaluateAlerts({ verdict: run.verdict, previous: {}, now: run.finishedAt,
    policy: { failureThreshold: 1, successThreshold: 1, reminderIntervalMs: 0, inconclusiveThreshold: 3 } }).alerts;
  return text === undefined ? alert : { ...alert, text };
}

function recordingClock(): Clock & { slept: number[] } {
  const slept: number[] = [];
  return { slept, now: () => Date.now(), sleep: async (ms: number) => { slept.push(ms); } };
}

let server: Loopback | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

describe('telegramBot notifier (loopback Bot API)', () => {
  it('POSTs sendMessage with escaped HTML to the configured API root', async () => {
    server = await startHttp((_r, res) => { res.setHeader('content-type', 'application/json'); res.end('{"ok":true,"result":{}}'); });
    const n = createTelegramBotNotifier({ token: TOKEN, chatId: '-10042', apiRoot: `${server.url}/` });
    await n.send(failingAlert());
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0];
    expect(req.method).toBe('POST');
    expect(req.url).toBe(`/bot${TOKEN}/sendMessage`);
    const body = JSON.parse(req.body) as { chat_id: string; text: string; parse_mode: string; disable_web_page_preview: boolean };
    expect(body).toMatchObject({ chat_id: '-10042', parse_mode: 'HTML', disable_web_page_preview: true });
    expect(body.text).toContain('<b>[tg-canary] canary FAILING: 1/4 scenarios failed</b>');
    expect(body.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; &amp; "quotes"');
    expect(body.text).not.toContain('<script>');
    expect(body.text).not.toContain(EVIL);
  });

  it('keeps messages within 4096 characters without cutting an entity', async () => {
    server = await startHttp((_r, res) => res.end('{"ok":true}'));
    const n = createTelegramBotNotifier({ token: TOKEN, chatId: '1', apiRoot: server.url });
    await n.send(failingAlert('&<>'.repeat(3000)));
    const text = (JSON.parse(server.requests[0].body) as { text: string }).text;
    expect(text.length).toBeLessThanOrEqual(4096);
    expect(text.endsWith('…')).toBe(true);
    expect(text).toMatch(/(&amp;|&lt;|&gt;)…$/);
  });

  it('waits out a short 429 retry_after once, then sends', async () => {
    let calls = 0;
    server = await startHttp((_r, res) => {
      calls += 1;
      if (calls === 1) {
        res.statusCode = 429;
        res.end('{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 2","parameters":{"retry_after":2}}');
      } else res.end('{"ok":true}');
    });
    const clock = recordingClock();
    await createTelegramBotNotifier({ token: TOKEN, chatId: '1', apiRoot: server.url, clock }).send(failingAlert());
    expect(clock.slept).toEqual([2000]);
    expect(server.requests).toHaveLength(2);
  });

  it('hands a long 429 back to the outbox with retryAfterMs', async () => {
    server = await startHttp((_r, res) => { res.statusCode = 429; res.end('{"ok":false,"error_code":429,"parameters":{"retry_after":60}}'); });
    const clock = recordingClock();
    const err = await createTelegramBotNotifier({ token: TOKEN, chatId: '1', apiRoot: server.url, clock }).send(failingAlert()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).retryAfterMs).toBe(60_000);
    expect(clock.slept).toEqual([]);
  });

  it('never leaks the token in errors (API error echoing the URL, and network failure)', async () => {
    server = await startHttp((r, res) => { res.statusCode = 401; res.end(JSON.stringify({ ok: false, error_code: 401, description: `Unauthorized ${r.url}` })); });
    const e1 = await createTelegramBotNotifier({ token: TOKEN, chatId: '1', apiRoot: server.url }).send(failingAlert()).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(DeliveryError);
    expect((e1 as DeliveryError).code).toBe('TELEGRAM_BOT_API_401');
    expect((e1 as Error).message).toContain('[redacted]');
    expect(JSON.stringify({ m: (e1 as Error).message, s: (e1 as Error).stack, h: (e1 as DeliveryError).hint })).not.toContain('secret-token');

    const port = await freePort();
    const e2 = await createTelegramBotNotifier({ token: TOKEN, chatId: '1', apiRoot: `http://127.0.0.1:${port}` }).send(failingAlert()).catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(DeliveryError);
    expect((e2 as DeliveryError).code).toBe('DELIVERY_NETWORK');
    expect(`${(e2 as Error).message}${(e2 as Error).stack ?? ''}`).not.toContain('secret-token');
    expect((e2 as Error & { cause?: unknown }).cause).toBeUndefined();
  });
});

describe('telegramUser notifier', () => {
  it('sends escaped HTML to the configured peer through the injected session send', async () => {
    const sent: Array<[string, string]> = [];
    const n = createTelegramUserNotifier({ peer: '@oncall_chat', send: async (peer, html) => { sent.push([peer, html]); } });
    await n.send(failingAlert());
    expect(sent).toHaveLength(1);
    expect(sent[0][0]).toBe('@oncall_chat');
    expect(sent[0][1]).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(sent[0][1]).not.toContain('<img');
  });
});
