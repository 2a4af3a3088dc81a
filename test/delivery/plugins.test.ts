/** The plugin maps drive the config schema, the env var docs, redaction, construction and channel health. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ENV_VARS, loadConfig, redactConfig, secretValues, SECRET_PATHS } from '../../src/config/index.js';
import { createDeliveries } from '../../src/app/deliveries.js';
import { sendStoreFailureAlert } from '../../src/app/store-failure-alert.js';
import { systemClock } from '../../src/core/clock.js';
import { openStore } from '../../src/store/index.js';
import { TgCanaryError, ValidationError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/util/logger.js';
import { startHttp, type Loopback } from '../notifiers/fixtures.js';
import { buildNotifiers, isNotifierChannel, NOTIFIERS, NOTIFIER_NAMES } from '../../src/notifiers/index.js';
import { PUSHERS, PUSHER_NAMES, configuredPushers, statusPushHandlers } from '../../src/status/pushers/index.js';

const BASE = { TG_API_ID: '12345', TG_API_HASH: 'hash-SECRET-0001', TG_SESSION: 'session-SECRET-0002', CANARY_BOT: '@canary_bot' };
const dirs: string[] = [];
let http: Loopback | undefined;
afterEach(async () => {
  await http?.close();
  http = undefined;
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function tmp(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'tg-canary-plugins-'));
  dirs.push(d);
  return d;
}

async function configError(p: Promise<unknown>): Promise<ValidationError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  if (e instanceof ValidationError) return e;
  throw new Error(`expected a ValidationError, got ${String(e)}`);
}

describe('plugin maps', () => {
  it('every map key is its plugin name (the outbox channel) and config keys are unique', () => {
    for (const n of NOTIFIER_NAMES) expect(NOTIFIERS[n].name).toBe(n);
    for (const n of PUSHER_NAMES) expect(PUSHERS[n].name).toBe(n);
    const keys = PUSHER_NAMES.map((n) => PUSHERS[n].configKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('every plugin env var is in ENV_VARS under its section, secret exactly when its field is in `secrets`', () => {
    for (const [section, map] of [['alerts', NOTIFIERS], ['status', PUSHERS]] as const) {
      for (const plugin of Object.values(map)) {
        for (const e of plugin.envVars) {
          const spec = ENV_VARS.find((v) => v.name === e.name);
          expect(spec?.path).toBe(e.field ? `${section}.${plugin.configKey}.${e.field}` : `${section}.${plugin.configKey}`);
          expect(spec?.secret).toBe(plugin.secrets.includes(e.field));
          if (e.fromFile) expect(ENV_VARS.some((v) => v.name === `${e.name}_FILE` && v.path === spec?.path)).toBe(true);
        }
        for (const field of plugin.secrets) expect(SECRET_PATHS).toContain(`${section}.${plugin.configKey}.${field}`);
      }
    }
  });

  it('an unknown channel name in the config file is a config error naming the file, with a did-you-mean hint', async () => {
    const cwd = await tmp();
    const file = join(cwd, 'tg-canary.config.yaml');
    await writeFile(file, 'alerts:\n  telegramBott:\n    token: x\n    chatId: "1"\n');
    const e = await configError(loadConfig({ env: { ...BASE, TG_CANARY_CONFIG: file }, cwd }));
    const issue = e.issues.find((i) => i.path.includes('telegramBott'));
    expect(issue?.file).toBe(file);
    expect(issue?.line).toBe(2);
    expect(issue?.hint ?? '').toContain('telegramBot');
  });

  it('the secret list is derived once: redaction and error scrubbing both use every plugin secret', async () => {
    const c = await loadConfig({
      env: { ...BASE, SMTP_HOST: 'smtp.test', SMTP_PASSWORD: 'smtp-SECRET-7', ALERT_EMAIL_FROM: 'c@x.test', ALERT_EMAIL_TO: 'a@x.test',
        TELEGRAM_BOT_TOKEN: '1:tok-SECRET-8', TELEGRAM_ALERT_CHAT_ID: '1', WEBHOOK_URL: 'http://127.0.0.1:1/h', WEBHOOK_SECRET: 'hook-SECRET-9' },
      cwd: await tmp(),
    });
    const values = secretValues(c);
    for (const s of ['hash-SECRET-0001', 'session-SECRET-0002', 'smtp-SECRET-7', '1:tok-SECRET-8', 'hook-SECRET-9']) expect(values).toContain(s);
    const printed = JSON.stringify(redactConfig(c));
    expect(printed).not.toMatch(/SECRET/);
    expect(printed).toContain('smtp.test');
  });

  it('construction follows the config: only configured channels are built, and `direct` keeps the database-free ones', () => {
    const built = buildNotifiers(
      { telegramBot: { token: 't', chatId: '1', apiRoot: 'http://127.0.0.1:9' }, telegramUser: { peer: '@x' } },
      { chromiumPath: '/nope', telegramUserSend: async () => undefined },
    );
    expect(Object.keys(built).sort()).toEqual(['telegramBot', 'telegramUser']);
    const direct = buildNotifiers({ telegramBot: { token: 't', chatId: '1', apiRoot: 'http://127.0.0.1:9' }, telegramUser: { peer: '@x' } },
      { chromiumPath: '/nope', direct: true });
    expect(Object.keys(direct)).toEqual(['telegramBot']);
    expect(() => buildNotifiers({ telegramUser: { peer: '@x' } }, { chromiumPath: '/nope' })).toThrow(expect.objectContaining({ code: 'ALERT_TELEGRAM_USER_NO_SESSION' }));
    expect(configuredPushers({ pingUrl: 'http://127.0.0.1:9/p', webhook: { url: 'http://127.0.0.1:9/h' } })).toEqual(['healthchecks', 'webhook']);
    expect(Object.keys(statusPushHandlers({ uptimeKumaUrl: 'http://127.0.0.1:9/k' }))).toEqual(['uptimeKuma']);
  });

  it('tells notifier channels from pusher channels (status page health)', () => {
    for (const n of NOTIFIER_NAMES) expect(isNotifierChannel(n)).toBe(true);
    for (const n of PUSHER_NAMES) expect(isNotifierChannel(n)).toBe(false);
  });

  it('the "cannot store results" alert goes through every database-free plugin, PagerDuty with one incident key', async () => {
    http = await startHttp((req, res) => {
      if (req.url.startsWith('/v2/enqueue')) {
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'success', message: 'Event processed', dedup_key: 'x' }));
      } else if (req.url.startsWith('/api/webhooks/')) {
        res.writeHead(204);
        res.end();
      } else res.end('ok');
    });
    const c = await loadConfig({
      env: { ...BASE, SLACK_WEBHOOK_URL: `${http.url}/services/T/B/slack-SECRET`, DISCORD_WEBHOOK_URL: `${http.url}/api/webhooks/1/discord-SECRET`,
        PAGERDUTY_ROUTING_KEY: 'pd-SECRET-key', PAGERDUTY_EVENTS_URL: `${http.url}/v2/enqueue`, TELEGRAM_ALERT_PEER: '@needs_the_db' },
      cwd: await tmp(),
    });
    const err = new TgCanaryError('DB_UNWRITABLE', 'database is read-only', { kind: 'infra', hint: 'mount the volume read-write' });
    const r = await sendStoreFailureAlert(c, err, { logger: silentLogger(), now: 1_700_000_000_000, timeoutMs: 5000 });
    expect(r.sent.sort()).toEqual(['discord', 'pagerduty', 'slack']); // telegramUser needs the database: not used
    expect(r.failed).toEqual([]);
    const pd = http.requests.find((q) => q.url.startsWith('/v2/enqueue'));
    expect(JSON.parse(pd?.body ?? '{}')).toMatchObject({ event_action: 'trigger', dedup_key: 'tg-canary/store-failure', payload: { severity: 'warning' } });
  });

  it('channel health (the status page) lists every configured channel as notifier or pusher from the maps', async () => {
    const cwd = await tmp();
    const c = await loadConfig({
      env: { ...BASE, SLACK_WEBHOOK_URL: 'http://127.0.0.1:9/services/x', PAGERDUTY_ROUTING_KEY: 'k', PING_URL: 'http://127.0.0.1:9/ping',
        TG_CANARY_DB: join(cwd, 'tg.db') },
      cwd,
    });
    const store = openStore(c.paths.db);
    try {
      const d = createDeliveries({ config: c, store, clock: systemClock, logger: silentLogger(), version: 't', processStartedAt: 0 });
      expect(d.health().map((h) => `${h.channel}:${h.kind}`).sort()).toEqual(['healthchecks:pusher', 'pagerduty:notifier', 'slack:notifier']);
    } finally {
      store.close();
    }
  });
});
