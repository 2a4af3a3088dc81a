/**
 * Secrets never leak (issue 6): a demo-like run with a distinctive marker in every secret setting (API hash,
 * SMTP password, Bot API token, webhook secret, serve token; the session string is a secret too) at
 * LOG_LEVEL=trace. None of them may appear in stdout, stderr, report files, the status page, /status, /metrics,
 * /v1/verdict, alert bodies (email, Telegram) or error messages (a wrong SMTP password, a Bot API 401).
 * Also: file modes of the database, the reports and the session file written by `tg-canary login`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../e2e/harness.js';
import { startHttp, type Loopback } from '../notifiers/fixtures.js';
import { startSmtp, type Smtp } from '../notifiers/smtp.js';
import { startCli } from './helpers.js';
import { startBotApi, type BotApiStandIn } from '../support/bot-api.js';
import { convertScenario } from '../support/scenarios.js';

const M = 'SECRETMARKER';
let w: World;
let smtp: Smtp;
let api: BotApiStandIn;
let hook: Loopback;
let pushgateway: Loopback;
let env: NodeJS.ProcessEnv;
/** Everything tg-canary said or wrote that a person or system could read. */
const seen: { where: string; text: string }[] = [];

function secretsOf(e: NodeJS.ProcessEnv): string[] {
  return [e.TG_SESSION, e.TG_API_HASH, e.SMTP_PASSWORD, e.TELEGRAM_BOT_TOKEN, e.WEBHOOK_SECRET, e.SERVE_TOKEN].filter((s): s is string => !!s);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? filesUnder(join(dir, d.name)) : [join(dir, d.name)]));
}

beforeAll(async () => {
  w = await createWorld();
  [smtp, api, hook, pushgateway] = await Promise.all([
    startSmtp({ user: 'canary', password: `${M}-smtp-pw` }), startBotApi(), startHttp(), startHttp(),
  ]);
  w.writeScenario('convert', convertScenario({ targets: ['canary', 'stable'], repeat: 5, expectTimeout: '1500ms' }));
  env = {
    LOG_LEVEL: 'trace',
    TG_API_HASH: w.env.TG_API_HASH, // the sandbox checks it; its value is a secret all the same
    SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), SMTP_USER: 'canary', SMTP_PASSWORD: `${M}-smtp-pw`,
    ALERT_EMAIL_FROM: 'canary@example.test', ALERT_EMAIL_TO: 'oncall@example.test', ALERT_EMAIL_PDF: 'false',
    TELEGRAM_BOT_TOKEN: `4242:${M}-bot-token`, TELEGRAM_ALERT_CHAT_ID: '-100555', TELEGRAM_BOT_API_ROOT: api.url,
    WEBHOOK_URL: `${hook.url}/hook`, WEBHOOK_SECRET: `${M}-webhook`,
    PUSHGATEWAY_URL: pushgateway.url,
    SERVE_TOKEN: `${M}-serve-token`,
    ALERT_INCONCLUSIVE_THRESHOLD: '1',
  };
}, 30_000);

afterAll(async () => {
  await Promise.all([smtp?.close(), api?.close(), hook?.close(), pushgateway?.close()]);
  await w?.close();
});

describe('secrets never leak', () => {
  it('a failing run, an inconclusive one, delivery errors and serve: no secret anywhere', async () => {
    // 1. a failing canary: alerts by email and Telegram, webhook and Pushgateway pushes, every log line at trace
    w.sandbox.faults.add({ kind: 'silence', bot: 'canary_bot' });
    const failing = await w.cli(['run', '--json'], env);
    w.sandbox.faults.clear();
    expect(failing.json?.verdict, failing.stderr).toBe('fail');
    seen.push({ where: 'run stdout', text: failing.stdout }, { where: 'run stderr', text: failing.stderr });

    // 2. errors: a wrong SMTP password, a Bot API 401, and a revoked session (inconclusive alert)
    api.setMode('unauthorized');
    w.sandbox.faults.add({ kind: 'rpc_error', method: 'users.GetUsers', error: 'AUTH_KEY_UNREGISTERED' });
    const wrongEnv = { ...env, SMTP_PASSWORD: `${M}-wrong-smtp-pw` };
    const broken = await w.cli(['run', '--json'], wrongEnv);
    w.sandbox.faults.clear();
    api.setMode('ok');
    expect(broken.code, broken.stderr).toBe(3);
    expect(broken.stderr).toMatch(/Invalid username or password|535|EAUTH/i);
    expect(broken.stderr).toMatch(/401/);
    expect(broken.stderr).toMatch(/"level":\s*\d+/); // pino log lines were written
    seen.push({ where: 'broken run stdout', text: broken.stdout }, { where: 'broken run stderr', text: broken.stderr });
    const alerts = await w.cli(['alerts', '--json'], wrongEnv);
    expect(alerts.code, alerts.stderr).toBe(0);
    expect(alerts.stdout).toMatch(/401/);
    seen.push({ where: 'alerts --json', text: alerts.stdout }, { where: 'alerts stderr', text: alerts.stderr });
    const hist = await w.cli(['history', '--json'], env);
    seen.push({ where: 'history', text: hist.stdout + hist.stderr });
    const report = await w.cli(['report', '--format', 'md'], env);
    expect(report.code, report.stderr).toBe(0);
    seen.push({ where: 'report md', text: report.stdout + report.stderr });

    // 3. the pending alerts go out now that the password is right and the Bot API answers
    const ok = await w.cli(['run', '--json'], env);
    expect(ok.json?.verdict, ok.stderr).toBe('pass');
    seen.push({ where: 'ok run', text: ok.stdout + ok.stderr });
    expect(smtp.mails.length).toBeGreaterThanOrEqual(2);
    expect(api.calls.length).toBeGreaterThanOrEqual(2);

    // 4. serve: the status page, /status, /metrics, /v1/verdict, and a wrong token
    const serve = startCli(['serve', '--port', '0', '--host', '127.0.0.1'], { ...w.env, ...env, SERVE_SCHEDULE: '0 0 1 1 *' }, { timeoutMs: 40_000 });
    try {
      await serve.waitFor(/listening on http:\/\/[^:]+:\d+/);
      const base = `http://127.0.0.1:${/listening on http:\/\/[^:]+:(\d+)/.exec(serve.stderr())![1]}`;
      for (const path of ['/', '/status', '/metrics', '/v1/verdict']) {
        const res = await fetch(base + path);
        expect(res.status, path).toBeLessThan(500);
        seen.push({ where: `GET ${path}`, text: `${JSON.stringify([...res.headers])}\n${await res.text()}` });
      }
      const denied = await fetch(`${base}/v1/runs`, { method: 'POST', headers: { authorization: `Bearer ${M}-not-the-token` } });
      expect(denied.status).toBe(401);
      seen.push({ where: 'POST /v1/runs (wrong token)', text: await denied.text() });
    } finally {
      serve.child.kill('SIGTERM');
      await serve.exited;
    }
    seen.push({ where: 'serve output', text: serve.stdout() + serve.stderr() });

    // 5. what the outside world received
    for (const m of smtp.mails) seen.push({ where: `email ${m.subject}`, text: `${m.subject}\n${m.text}\n${String(m.html)}\n${JSON.stringify(m.headerLines)}` });
    for (const c of api.calls) seen.push({ where: 'telegram alert', text: JSON.stringify(c.body) });
    for (const r of [...hook.requests, ...pushgateway.requests]) {
      seen.push({ where: `push ${r.url}`, text: `${r.url}\n${JSON.stringify(r.headers)}\n${r.body}` });
    }
    for (const f of filesUnder(w.env.REPORTS_DIR as string)) seen.push({ where: f, text: readFileSync(f, 'latin1') + readFileSync(f, 'utf8') });
    expect(hook.requests.length).toBeGreaterThanOrEqual(3);

    // the scan covers every kind of output (so an empty leak list means something)
    for (const kind of [/^run stderr$/, /^GET \/$/, /^GET \/metrics$/, /^GET \/v1\/verdict$/, /^email /, /^telegram alert$/, /^push \/hook/, /report\.html$/, /\.xml$/]) {
      expect(seen.some((x) => kind.test(x.where)), String(kind)).toBe(true);
    }
    const secrets = [...secretsOf({ ...w.env, ...env }), `${M}-wrong-smtp-pw`, `${M}-not-the-token`, M];
    expect(secrets).toContain(w.env.TG_SESSION);
    const leaks = seen.flatMap((s) => secrets.filter((x) => s.text.includes(x)).map((x) => `${x.slice(0, 24)}… in ${s.where}`));
    expect(leaks).toEqual([]);
    // the session string may not leak in pieces either (e.g. cut by a log line); its auth key part is long
    const sessionCore = (w.env.TG_SESSION as string).slice(20, 60);
    expect(seen.filter((s) => s.text.includes(sessionCore)).map((s) => s.where)).toEqual([]);
  }, 80_000);

  it('files are private: database and reports 0600, their directories 0700', () => {
    const db = w.env.TG_CANARY_DB as string;
    expect(statSync(db).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(db)).mode & 0o777).toBe(0o700);
    const reports = w.env.REPORTS_DIR as string;
    expect(statSync(reports).mode & 0o777).toBe(0o700);
    const files = filesUnder(reports);
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      expect(`${f} ${(statSync(f).mode & 0o777).toString(8)}`).toBe(`${f} 600`);
      expect(`${dirname(f)} ${(statSync(dirname(f)).mode & 0o777).toString(8)}`).toBe(`${dirname(f)} 700`);
    }
  });

  it('`tg-canary login` writes the session file 0600 in a 0700 directory and prints no session', async () => {
    const phone = '+999 77 12345';
    await w.sandbox.createUser({ firstName: 'Login', phone });
    const out = join(w.dir, 'secrets', 'nested', 'tg.session');
    const live = startCli(['login', '--out', out], { ...w.env, TG_SESSION: undefined, LOG_LEVEL: 'trace' }, { keepStdin: true, timeoutMs: 30_000 });
    await live.waitFor(/Phone number/);
    live.child.stdin.write(`${phone}\n`);
    await live.waitFor(/Code Telegram sent you/);
    live.child.stdin.write(`${w.sandbox.lastLoginCode('9997712345') ?? w.sandbox.lastLoginCode(phone) ?? ''}\n`);
    const end = await live.exited;
    expect(end.code, live.stderr()).toBe(0);
    const session = readFileSync(out, 'utf8').trim();
    expect(session.length).toBeGreaterThan(100);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(out)).mode & 0o777).toBe(0o700);
    expect(live.stdout() + live.stderr()).not.toContain(session);
    expect(live.stdout() + live.stderr()).not.toContain(session.slice(20, 60));
  });
});
