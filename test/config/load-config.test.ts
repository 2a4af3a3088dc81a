import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '../../src/core/errors.js';
import { ENV_VARS, loadConfig, redactConfig, renderEnvExample, renderEnvMarkdown } from '../../src/config/index.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'tgc-cfg-'));
const BASE = { TG_API_ID: '12345', TG_API_HASH: 'hash-SECRET-0001', TG_SESSION: 'session-SECRET-0002', CANARY_BOT: '@canary_bot' };

async function fail(fn: () => Promise<unknown>): Promise<ValidationError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('loadConfig from env', () => {
  it('applies every default and strips @ from bot names', async () => {
    const c = await loadConfig({ env: BASE, cwd: tmp() });
    expect(c.telegram).toEqual({ apiId: 12345, apiHash: 'hash-SECRET-0001', session: 'session-SECRET-0002', connection: 'full', floodSleepThresholdSec: 30, rpcTimeoutMs: 15_000, pacingMs: 300, mediaMaxDownloadBytes: 20 * 1024 * 1024,
      budget: { send: { burst: 20, perMinute: 60 }, read: { burst: 30, perMinute: 120 }, resolvePerMinute: 10, other: { burst: 30, perMinute: 120 }, drainAfterSec: 300 } });
    expect(c.targets).toEqual({ canary: 'canary_bot' });
    expect(c.paths).toEqual({ db: './data/tg-canary.db', scenarios: './scenarios', reports: './reports', chromium: '/usr/bin/chromium' });
    expect(c.run).toEqual({ keepDays: 90, inconclusiveExitCode: 3, concurrency: 'parallel-targets', retryFailed: 0 });
    expect(c.verdict).toEqual({ rollbackAfter: 1, latencyP95BudgetMs: {}, latencyWindowRuns: 10, latencyTolerance: 0.2, latencyAlpha: 0.05, flakyWindowRuns: 10, flakyFlips: 3,
      failureWindowRuns: 5, failureAlpha: 0.05, failureTolerance: 0.1, failureMinSamples: 5 });
    expect(c.alerts).toEqual({ failureThreshold: 1, successThreshold: 1, reminderIntervalMs: 0, inconclusiveThreshold: 3 });
    expect(c.status).toEqual({ statusFile: true });
    expect(c.serve).toEqual({ host: '0.0.0.0', port: 8080, schedule: '0 * * * *', jitterSec: 60, privateReads: false, maxRunsPerHour: 12, runAllow: [] });
    expect(c.logLevel).toBe('warn');
    expect(c.llmJudge).toBeUndefined();
    expect(c.checks).toEqual({ defaults: {}, suites: {}, errorPhrases: [], refusalPhrases: [], leakPatterns: [] });
  });

  it('documents the same defaults it applies (ENV_VARS default = loaded default)', async () => {
    const withDefaults: Record<string, string> = { ...BASE, SMTP_HOST: 'smtp.local', ALERT_EMAIL_FROM: 'a@b.c', ALERT_EMAIL_TO: 'x@y.z', TELEGRAM_BOT_TOKEN: 't0ken', TELEGRAM_ALERT_CHAT_ID: '1', PAGERDUTY_ROUTING_KEY: 'pd-key', LLM_JUDGE_URL: 'http://127.0.0.1:1/v1', LLM_JUDGE_MODEL: 'm' };
    const implicit = await loadConfig({ env: withDefaults, cwd: tmp() });
    const explicit = { ...withDefaults };
    for (const v of ENV_VARS) if (v.default !== undefined && v.kind !== 'config-file') explicit[v.name] = v.default;
    expect(await loadConfig({ env: explicit, cwd: tmp() })).toEqual(implicit);
  });

  it('parses every variable', async () => {
    const dir = tmp();
    const env = {
      ...BASE, TG_DC: '127.0.0.1:4430', TG_CONNECTION: 'intermediate', FLOOD_SLEEP_THRESHOLD: '5', RPC_TIMEOUT_MS: '2s', MESSAGE_PACING_MS: '0',
      STABLE_BOT: 'stable_bot', TG_CANARY_DB: '/d/db.sqlite', SCENARIOS_DIR: '/s', REPORTS_DIR: '/r', CHROMIUM_PATH: '/c',
      KEEP_DAYS: '7', RETRY_FAILED: '1', INCONCLUSIVE_EXIT_CODE: '0', ROLLBACK_AFTER: '2', LATENCY_P95_BUDGET_MS: '5000', LATENCY_WINDOW_RUNS: '20',
      LATENCY_TOLERANCE: '0.5', LATENCY_ALPHA: '0.01', FLAKY_WINDOW_RUNS: '12', FLAKY_FLIPS: '4',
      LLM_JUDGE_URL: 'http://127.0.0.1:9/v1', LLM_JUDGE_API_KEY: 'sk-SECRET-03', LLM_JUDGE_MODEL: 'judge', LLM_JUDGE_TIMEOUT_MS: '3s',
      ALERT_FAILURE_THRESHOLD: '2', ALERT_SUCCESS_THRESHOLD: '3', ALERT_REMINDER_INTERVAL: '4h', ALERT_INCONCLUSIVE_THRESHOLD: '5',
      SMTP_HOST: 'smtp.local', SMTP_PORT: '2525', SMTP_SECURE: 'yes', SMTP_USER: 'u', SMTP_PASSWORD: 'pw-SECRET-04',
      ALERT_EMAIL_FROM: 'canary@x.io', ALERT_EMAIL_TO: 'a@x.io, b@x.io', ALERT_EMAIL_PDF: 'false',
      TELEGRAM_BOT_TOKEN: '1:tok-SECRET-05', TELEGRAM_ALERT_CHAT_ID: '-100', TELEGRAM_BOT_API_ROOT: 'http://127.0.0.1:7', TELEGRAM_ALERT_PEER: '@ops',
      PUSHGATEWAY_URL: 'http://pg:9091', PING_URL: 'https://hc/x', UPTIME_KUMA_PUSH_URL: 'https://k/p', WEBHOOK_URL: 'https://w/h', WEBHOOK_SECRET: 'wh-SECRET-06',
      STATUS_FILE: '0', SERVE_HOST: '127.0.0.1', SERVE_PORT: '0', SERVE_SCHEDULE: '*/5 * * * *', SERVE_JITTER_SECONDS: '0', SERVE_TOKEN: 'srv-SECRET-07',
      SERVE_PRIVATE_READS: 'on', SERVE_MAX_RUNS_PER_HOUR: '3', SERVE_RUN_ALLOW: '10.0.0.0/8, 127.0.0.1', LOG_LEVEL: 'debug',
    };
    const c = await loadConfig({ env, cwd: dir });
    expect(c.telegram).toMatchObject({ dc: { host: '127.0.0.1', port: 4430 }, connection: 'intermediate', floodSleepThresholdSec: 5, rpcTimeoutMs: 2000, pacingMs: 0 });
    expect(c.targets).toEqual({ canary: 'canary_bot', stable: 'stable_bot' });
    expect(c.paths).toEqual({ db: '/d/db.sqlite', scenarios: '/s', reports: '/r', chromium: '/c' });
    expect(c.run).toMatchObject({ keepDays: 7, inconclusiveExitCode: 0, retryFailed: 1 });
    expect(c.verdict).toEqual({ rollbackAfter: 2, latencyP95BudgetMs: { default: 5000 }, latencyWindowRuns: 20, latencyTolerance: 0.5, latencyAlpha: 0.01, flakyWindowRuns: 12, flakyFlips: 4,
      failureWindowRuns: 5, failureAlpha: 0.05, failureTolerance: 0.1, failureMinSamples: 5 });
    expect(c.llmJudge).toEqual({ baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'sk-SECRET-03', model: 'judge', timeoutMs: 3000 });
    expect(c.alerts).toEqual({
      failureThreshold: 2, successThreshold: 3, reminderIntervalMs: 4 * 3_600_000, inconclusiveThreshold: 5,
      email: { host: 'smtp.local', port: 2525, secure: true, user: 'u', password: 'pw-SECRET-04', from: 'canary@x.io', to: ['a@x.io', 'b@x.io'], attachPdf: false },
      telegramBot: { token: '1:tok-SECRET-05', chatId: '-100', apiRoot: 'http://127.0.0.1:7' },
      telegramUser: { peer: '@ops' },
    });
    expect(c.status).toEqual({ pushgatewayUrl: 'http://pg:9091', pingUrl: 'https://hc/x', uptimeKumaUrl: 'https://k/p', webhook: { url: 'https://w/h', secret: 'wh-SECRET-06' }, statusFile: false });
    expect(c.serve).toEqual({ host: '127.0.0.1', port: 0, schedule: '*/5 * * * *', jitterSec: 0, token: 'srv-SECRET-07', privateReads: true, maxRunsPerHour: 3, runAllow: ['10.0.0.0/8', '127.0.0.1'] });
    expect(c.logLevel).toBe('debug');

    const red = JSON.stringify(redactConfig(c));
    for (const s of ['hash-SECRET-0001', 'session-SECRET-0002', 'sk-SECRET-03', 'pw-SECRET-04', 'tok-SECRET-05', 'wh-SECRET-06', 'srv-SECRET-07']) expect(red).not.toContain(s);
    expect(red).toContain('"apiHash":"[redacted]"');
    expect(red).toContain('"smtp.local"');
  });

  it('reports all problems at once, each naming its env var, with no secret in any message', async () => {
    const secrets = { TG_API_HASH: 'leak-me-HASH', TG_SESSION: 'leak-me-SESSION', SMTP_PASSWORD: 'leak-me-PW', SERVE_TOKEN: 'leak-me-TOKEN', WEBHOOK_SECRET: 'leak-me-WH', TELEGRAM_BOT_TOKEN: 'leak-me-BOT' };
    const err = await fail(() => loadConfig({ env: { ...secrets, TG_API_ID: 'abc', CANARY_BOT: '@x', SMTP_HOST: 'smtp', SMTP_PORT: '99999', SERVE_SCHEDULE: 'every hour', KEEP_DAYS: '0', LOG_LEVEL: 'loud', SMTP_SECURE: 'maybe', TELEGRAM_ALERT_CHAT_ID: '', LATENCY_TOLERANCE: 'x' }, cwd: tmp() }));
    expect(err.code).toBe('CONFIG_INVALID');
    const byVar = Object.fromEntries(err.issues.map((i) => [i.path, i.message]));
    expect(byVar).toEqual({
      TG_API_ID: '"abc" is not a whole number',
      SMTP_SECURE: '"maybe" is not a boolean',
      LATENCY_TOLERANCE: '"x" is not a number',
      CANARY_BOT: 'is not a Telegram username',
      KEEP_DAYS: 'must be >= 7',
      SMTP_PORT: 'must be <= 65535',
      ALERT_EMAIL_FROM: 'is required when alerts.email is configured',
      ALERT_EMAIL_TO: 'is required when alerts.email is configured',
      TELEGRAM_ALERT_CHAT_ID: 'is required when alerts.telegramBot is configured',
      SERVE_SCHEDULE: 'is not a valid cron expression',
      LOG_LEVEL: 'must be one of "fatal", "error", "warn", "info", "debug", "trace", "silent"',
      WEBHOOK_URL: 'is required when status.webhook is configured',
    });
    for (const i of err.issues) {
      expect(i.file).toBe('env');
      expect(i.hint).toBeTruthy();
    }
    const all = `${err.message}\n${err.describe()}\n${JSON.stringify(err.issues)}`;
    for (const s of Object.values(secrets)) expect(all).not.toContain(s);
  });

  it('requires Telegram credentials and the canary bot unless told otherwise', async () => {
    const err = await fail(() => loadConfig({ env: {}, cwd: tmp() }));
    expect(err.issues.map((i) => i.path)).toEqual(['TG_API_ID', 'TG_API_HASH', 'TG_SESSION', 'CANARY_BOT']);
    expect(err.issues[2].hint).toContain('TG_SESSION_FILE');
    expect((await loadConfig({ env: {}, cwd: tmp(), require: [] })).targets.canary).toBe('');
    expect((await fail(() => loadConfig({ env: {}, cwd: tmp(), require: ['targets'] }))).issues.map((i) => i.path)).toEqual(['CANARY_BOT']);
  });

  it('reads *_FILE secrets, refuses both forms, and never prints a secret file content', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'session.txt'), 'file-SESSION-xyz\n');
    writeFileSync(join(dir, 'hash.txt'), 'file-HASH-xyz');
    writeFileSync(join(dir, 'smtp.txt'), 'file-PW-xyz\n');
    const env = { TG_API_ID: '1', TG_SESSION_FILE: 'session.txt', TG_API_HASH_FILE: join(dir, 'hash.txt'), CANARY_BOT: 'canary_bot', SMTP_HOST: 'h', ALERT_EMAIL_FROM: 'f@x.y', ALERT_EMAIL_TO: 't@x.y', SMTP_PASSWORD_FILE: 'smtp.txt' };
    const c = await loadConfig({ env, cwd: dir });
    expect(c.telegram).toMatchObject({ session: 'file-SESSION-xyz', sessionFile: 'session.txt', apiHash: 'file-HASH-xyz' });
    expect(c.alerts.email?.password).toBe('file-PW-xyz');

    const err = await fail(() => loadConfig({ env: { ...env, SMTP_PASSWORD: 'plain-PW', SERVE_TOKEN_FILE: 'missing.txt', SERVE_PORT: 'x' }, cwd: dir }));
    expect(err.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'SMTP_PASSWORD_FILE: both SMTP_PASSWORD and SMTP_PASSWORD_FILE are set',
      'SERVE_PORT: "x" is not a whole number',
      'SERVE_TOKEN_FILE: cannot read the file "missing.txt"',
    ]);
    for (const s of ['plain-PW', 'file-SESSION-xyz', 'file-HASH-xyz', 'file-PW-xyz']) expect(err.message).not.toContain(s);
  });

  it('accepts a missing session file only when Telegram is not required', async () => {
    const env = { TG_SESSION_FILE: 'nope.session', CANARY_BOT: 'canary_bot' };
    expect((await loadConfig({ env, cwd: tmp(), require: ['targets'] })).telegram.sessionFile).toBe('nope.session');
    const err = await fail(() => loadConfig({ env: { ...env, TG_API_ID: '1', TG_API_HASH: 'h' }, cwd: tmp() }));
    expect(err.issues.map((i) => i.path)).toEqual(['TG_SESSION_FILE']);
  });
});

describe('SERVE_RUN_ALLOW', () => {
  it('rejects an entry that is not an IP address or CIDR subnet, naming the variable and the fix', async () => {
    for (const bad of ['10.0.0.0/33', 'example.com', '10.0.0.1/8/1', 'fd00::/129']) {
      const err = await fail(() => loadConfig({ env: { ...BASE, SERVE_RUN_ALLOW: bad }, cwd: tmp() }));
      expect(err.message).toMatch(/SERVE_RUN_ALLOW/);
      expect(err.message).toMatch(/not an IP address or CIDR subnet/);
    }
    const ok = await loadConfig({ env: { ...BASE, SERVE_RUN_ALLOW: 'fd00::/8,192.168.1.5' }, cwd: tmp() });
    expect(ok.serve.runAllow).toEqual(['fd00::/8', '192.168.1.5']);
  });
});

describe('loadConfig from the YAML file', () => {
  const YAML = `telegram:
  apiId: 777
  apiHash: yaml-HASH-secret
  session: yaml-SESSION-secret
targets:
  canary: "@from_file_bot"
verdict:
  latencyP95BudgetMs: { joke: 4000, rag: 6000 }
alerts:
  email:
    host: smtp.file
    from: a@b.c
    to: [ops@b.c]
`;

  it('reads tg-canary.config.yaml from the cwd; env overrides it', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'tg-canary.config.yaml'), YAML);
    const c = await loadConfig({ env: { CANARY_BOT: 'env_bot', LATENCY_P95_BUDGET_MS: '3s' }, cwd: dir });
    expect(c.telegram).toMatchObject({ apiId: 777, apiHash: 'yaml-HASH-secret' });
    expect(c.targets.canary).toBe('env_bot');
    expect(c.verdict.latencyP95BudgetMs).toEqual({ joke: 4000, rag: 6000, default: 3000 });
    expect(c.alerts.email).toMatchObject({ host: 'smtp.file', port: 587, to: ['ops@b.c'] });
  });

  it('is strict: unknown keys and bad values name the file, the line and the key path', async () => {
    const dir = tmp();
    const file = join(dir, 'custom.yaml');
    writeFileSync(file, `${YAML}serve:\n  prot: 80\n  schedule: "nope"\nlogLevl: info\n`);
    const err = await fail(() => loadConfig({ env: { TG_CANARY_CONFIG: file }, cwd: dir }));
    expect([...err.issues].sort((a, b) => (a.line ?? 0) - (b.line ?? 0))).toEqual([
      { file, path: 'serve.prot', line: 15, message: 'unknown key "prot"', hint: 'did you mean "port"?' },
      { file, path: 'serve.schedule', line: 16, message: 'is not a valid cron expression', hint: 'use 5 or 6 cron fields, e.g. "0 * * * *" (hourly)' },
      { file, path: 'logLevl', line: 17, message: 'unknown key "logLevl"', hint: 'did you mean "logLevel"?' },
    ]);
    expect(err.message).toContain(`${file}:15: serve.prot: unknown key "prot" (fix: did you mean "port"?)`);
    expect(err.message).not.toContain('yaml-HASH-secret');
  });

  it('reports YAML syntax errors without echoing the source line (which may hold a secret)', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'tg-canary.config.yaml'), 'telegram:\n  apiHash: "very-SECRET-hash\n');
    const err = await fail(() => loadConfig({ env: BASE, cwd: dir }));
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]).toMatchObject({ path: '', line: 3 });
    expect(err.message).not.toContain('very-SECRET');
  });

  it('reads the default checks section (switches per suite, extra phrases, RE2 leak patterns) and rejects lookarounds', async () => {
    const dir = tmp();
    const file = join(dir, 'checks.yaml');
    const checks = `checks:\n  defaults: { not-refusal: true }\n  suites:\n    rag: { like-stable: false }\n  errorPhrases: ["our elves are on strike"]\n  leakPatterns: ["ACME-INT-\\\\d+"]\n`;
    writeFileSync(file, `${YAML}${checks}`);
    const c = await loadConfig({ env: { TG_CANARY_CONFIG: file }, cwd: dir });
    expect(c.checks).toEqual({
      defaults: { 'not-refusal': true },
      suites: { rag: { 'like-stable': false } },
      errorPhrases: ['our elves are on strike'],
      refusalPhrases: [],
      leakPatterns: ['ACME-INT-\\d+'],
    });
    writeFileSync(file, `${YAML}checks:\n  leakPatterns: ["(?<=key=)\\\\w+"]\n  suites: { rag: { not-leek: false } }\n`);
    const err = await fail(() => loadConfig({ env: { TG_CANARY_CONFIG: file }, cwd: dir }));
    expect(err.message).toContain(`${file}: checks.leakPatterns[0]: is not a pattern the linear-time regex engine (RE2) can run (fix: no lookahead`);
    expect(err.message).toContain(`${file}:16: checks.suites.rag.not-leek: unknown key "not-leek"`);
  });

  it('names an explicit config file that does not exist', async () => {
    const err = await fail(() => loadConfig({ env: BASE, cwd: tmp(), file: 'missing.yaml' }));
    expect(err.issues[0].message).toBe('cannot read the config file');
  });
});

describe('.env.example and README table', () => {
  it('the committed .env.example equals renderEnvExample()', async () => {
    expect(readFileSync(join(import.meta.dirname, '../../.env.example'), 'utf8')).toBe(renderEnvExample());
  });

  it('documents every variable once, with a comment, and never a secret example value', async () => {
    const text = renderEnvExample();
    for (const v of ENV_VARS) {
      expect(text.match(new RegExp(`^#${v.name}=`, 'gm'))).toHaveLength(1);
      if (v.secret) expect(text).toMatch(new RegExp(`^#${v.name}=$`, 'm'));
    }
    const md = renderEnvMarkdown();
    expect(md.split('\n').filter((l) => l.startsWith('| `'))).toHaveLength(ENV_VARS.length);
    expect(md).toContain('| `TG_SESSION` | `telegram.session` |  | yes |');
  });
});
