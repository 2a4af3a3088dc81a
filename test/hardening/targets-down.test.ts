/**
 * Every notifier and push target down at once (SMTP, Bot API stand-in, webhook, Pushgateway-like HTTP), several
 * runs, then all of them back: every result and alert arrives exactly once (issue 6). Real CLI, real sandbox,
 * real smtp-server + mailparser, real loopback HTTP servers on the same ports they were down on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../e2e/harness.js';
import { openStore } from '../../src/store/index.js';
import { startHttp, type Loopback } from '../notifiers/fixtures.js';
import { freePort } from '../support/ports.js';
import { startSmtp, type Smtp } from '../notifiers/smtp.js';
import { startBotApi, type BotApiStandIn } from '../support/bot-api.js';
import { convertScenario } from '../support/scenarios.js';

let w: World;
const up: { smtp?: Smtp; api?: BotApiStandIn; webhook?: Loopback; pushgateway?: Loopback } = {};

// five attempts per side: one silence against one answer would be insufficient evidence, five against none fail
const scenario = convertScenario({ targets: ['canary', 'stable'], quiet: '0s', repeat: 5, expectTimeout: '1500ms' });

beforeAll(async () => {
  w = await createWorld();
  w.writeScenario('convert', scenario);
});
afterAll(async () => {
  await Promise.all([up.smtp?.close(), up.api?.close(), up.webhook?.close(), up.pushgateway?.close()]);
  await w?.close();
});

describe('all delivery targets down, then back', () => {
  it('delivers every result and alert exactly once after they come back', async () => {
    const [smtpPort, apiPort, hookPort, pgPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    const env: NodeJS.ProcessEnv = {
      SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtpPort), ALERT_EMAIL_FROM: 'canary@example.test', ALERT_EMAIL_TO: 'oncall@example.test',
      ALERT_EMAIL_PDF: 'false',
      TELEGRAM_BOT_TOKEN: '777:DOWNTHENUP', TELEGRAM_ALERT_CHAT_ID: '-1009', TELEGRAM_BOT_API_ROOT: `http://127.0.0.1:${apiPort}`,
      WEBHOOK_URL: `http://127.0.0.1:${hookPort}/hook`, WEBHOOK_SECRET: 'hook-secret',
      PUSHGATEWAY_URL: `http://127.0.0.1:${pgPort}`,
    };
    // fail, fail, pass with everything down: a failing alert, a resolved alert, three results per push target
    const runIds: string[] = [];
    const verdicts: string[] = [];
    for (const silent of [true, true, false]) {
      w.sandbox.faults.clear();
      if (silent) w.sandbox.faults.add({ kind: 'silence', bot: 'canary_bot' });
      const r = await w.cli(['run', '--json'], env);
      expect(r.json, r.stderr).toBeDefined();
      runIds.push(r.json!.runId as string);
      verdicts.push(r.json!.verdict);
    }
    w.sandbox.faults.clear();
    expect(verdicts).toEqual(['fail', 'fail', 'pass']);
    const pending = await w.cli(['alerts', '--pending', '--json'], env);
    expect(pending.code, pending.stderr).toBe(0);
    const store0 = openStore(w.env.TG_CANARY_DB as string, { readonly: true });
    const pendingBefore = store0.listOutbox({ pendingOnly: true, last: 100 });
    store0.close();
    const channels = new Set(pendingBefore.map((i) => i.channel));
    expect([...channels].sort()).toEqual(['email', 'pushgateway', 'telegramBot', 'webhook']);
    // each channel was tried and failed (after a failure the rest of that channel waits for the next pass)
    for (const ch of channels) expect(pendingBefore.some((i) => i.channel === ch && i.attempts >= 1 && i.lastError), ch).toBe(true);
    expect(pendingBefore.filter((i) => i.channel === 'webhook')).toHaveLength(3);

    // everything comes back on the same ports; two more runs (each retries what is pending)
    up.smtp = await startSmtp({ port: smtpPort });
    up.api = await startBotApi(apiPort);
    up.webhook = await startHttp(undefined, hookPort);
    up.pushgateway = await startHttp(undefined, pgPort);
    for (let i = 0; i < 2; i += 1) {
      const r = await w.cli(['run', '--json'], env);
      expect(r.json?.verdict, r.stderr).toBe('pass');
      runIds.push(r.json!.runId as string);
    }

    // webhook: one POST per run, each run exactly once
    const hookRuns = up.webhook.requests.map((q) => (JSON.parse(q.body) as { runId: string }).runId);
    expect([...hookRuns].sort()).toEqual([...runIds].sort());
    // pushgateway: one PUT per run and target, none twice
    const pgKeys = up.pushgateway.requests.map((q) => `${q.method} ${q.url} ${/run_id="([^"]+)"|tg_canary_run_timestamp/.exec(q.body)?.[0] ?? q.body.length}`);
    expect(up.pushgateway.requests.length).toBe(runIds.length * 2);
    expect(up.pushgateway.requests.every((q) => q.method === 'PUT')).toBe(true);
    // the target is in the URL, not the body: canary and stable of one run can push identical bodies
    expect(new Set(up.pushgateway.requests.map((q) => `${q.url}\n${q.body}`)).size).toBe(up.pushgateway.requests.length);
    expect(pgKeys.length).toBe(runIds.length * 2);
    // alerts: the failing alert and the resolved one, once on each channel
    expect(up.smtp.mails).toHaveLength(2);
    expect(up.smtp.mails.map((m) => m.subject ?? '').join('\n')).toMatch(/fail/i);
    expect(up.smtp.mails.map((m) => m.subject ?? '').join('\n')).toMatch(/resolved|recovered|pass/i);
    expect(up.api.calls.filter((c) => c.method === 'sendMessage')).toHaveLength(2);
    expect(new Set(up.api.calls.map((c) => c.body.text)).size).toBe(2);

    const store = openStore(w.env.TG_CANARY_DB as string, { readonly: true });
    try {
      expect(store.listOutbox({ pendingOnly: true, last: 100 })).toEqual([]);
      expect(store.integrityCheck()).toBe('ok');
    } finally {
      store.close();
    }
    // another run sends no duplicates of anything older
    const mailsBefore = up.smtp.mails.length;
    const last = await w.cli(['run', '--json'], env);
    expect(last.code, last.stderr).toBe(0);
    expect(up.smtp.mails.length).toBe(mailsBefore);
    expect(up.webhook.requests.length).toBe(runIds.length + 1);
  }, 60_000);
});
