/**
 * Issue 17 end to end, through the real CLI and `serve` against the sandbox: silences over the API mute alerts
 * (and the alert fires once the silence is expired), badges, incidents on the page and in `tg-canary incidents`,
 * and a `pause` maintenance window from the config: `run` pauses, `/v1/verdict` answers `maintenance` without
 * starting a run, the Flagger gate waits and the rollback hook refuses to roll back.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../e2e/harness.js';
import { argoPoll, CONVERT, getJson, startServe, type ServeProcess } from '../decisions/helpers.js';
import { waitFor } from '../support/wait.js';
import { startBotApi, type BotApiStandIn } from '../support/bot-api.js';

const TOKEN = 'ops-serve-token-0123456789';
const BOT_TOKEN = '4343:AAF-ops-alert-bot-token';

let w: World;
let botApi: BotApiStandIn;

beforeAll(async () => {
  w = await createWorld();
  botApi = await startBotApi();
});
afterAll(async () => {
  await botApi?.close();
  await w?.close();
});
beforeEach(async () => {
  await w.reset();
  botApi.messages.length = 0;
  w.writeScenario('convert', CONVERT());
});

function serveEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...w.env, SERVE_PORT: '0', SERVE_HOST: '127.0.0.1', SERVE_TOKEN: TOKEN, SERVE_SCHEDULE: '0 0 1 1 *', SERVE_JITTER_SECONDS: '0',
    TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_ALERT_CHAT_ID: '-1007', TELEGRAM_BOT_API_ROOT: botApi.url, ...extra,
  };
}

const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

async function verdictOf(serve: ServeProcess, revision: string): Promise<Record<string, unknown>> {
  const url = `${serve.url}/v1/verdict?target=canary&revision=${revision}`;
  let body: Record<string, unknown> = {};
  await waitFor(async () => {
    body = (await argoPoll(url, TOKEN)).body;
    return body.verdict !== 'pending';
  }, `the verdict of ${revision}`, 40_000, 200);
  return body;
}

/** POST /v1/runs until accepted (409 while the previous run, deliveries included, is going). */
async function startRun(serve: ServeProcess, revision: string): Promise<void> {
  await waitFor(async () => (await getJson(`${serve.url}/v1/runs`, { method: 'POST', headers: auth, body: JSON.stringify({ revision }) })).status === 202,
    'an on-demand run to be accepted', 30_000, 200);
}

describe('silences, badges and incidents through serve', () => {
  it('a silence mutes the failing alert; expired, the next run alerts; badges and incidents show it', async () => {
    w.sandbox.faults.add({ kind: 'error_text', bot: 'canary_bot', text: 'Sorry, something went wrong.' });
    const serve = await startServe(['serve'], serveEnv());
    try {
      // writes need the token
      expect((await getJson(`${serve.url}/v1/silences`, { method: 'POST', body: '{}' })).status).toBe(401);
      const bad = await getJson(`${serve.url}/v1/silences`, { method: 'POST', headers: auth, body: JSON.stringify({ for: '1h', reason: 'x' }) });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ code: 'SILENCE_INVALID', hint: expect.stringContaining('--target') });
      const created = await getJson(`${serve.url}/v1/silences`, { method: 'POST', headers: auth,
        body: JSON.stringify({ target: 'canary', for: '1h', reason: 'db <migration>', createdBy: 'ops' }) });
      expect(created.status).toBe(201);
      const silence = created.body.silence as { id: string; matchers: Record<string, string>; createdBy: string };
      expect(silence).toMatchObject({ matchers: { target: 'canary' }, createdBy: 'api:ops' });
      expect(((await getJson(`${serve.url}/v1/silences`)).body.silences as unknown[]).length).toBe(1);

      await startRun(serve, 'r1');
      const v1 = await verdictOf(serve, 'r1');
      // a silence never changes the verdict Argo reads: it only says it is there
      expect(v1.verdict).toBe('fail');
      expect(v1.maintenance).toEqual([expect.objectContaining({ kind: 'silence', id: silence.id, matchers: 'target=canary' })]);

      expect((await getJson(`${serve.url}/v1/silences/expire`, { method: 'POST', headers: auth, body: JSON.stringify({ id: silence.id }) })).status).toBe(200);
      expect((await getJson(`${serve.url}/v1/silences/expire`, { method: 'POST', headers: auth, body: JSON.stringify({ id: silence.id }) })).status).toBe(404);
      // r2 starts only once r1 and its deliveries are done: r1 sent nothing, so the first message is r2's
      await startRun(serve, 'r2');
      expect(botApi.messages, 'r1 ran under the silence: nothing sent').toHaveLength(0);
      expect((await verdictOf(serve, 'r2')).verdict).toBe('fail');
      await waitFor(() => botApi.messages.length >= 1, 'the alert after the silence', 20_000);
      expect(botApi.messages).toHaveLength(1);
      expect(botApi.messages[0]?.text).toMatch(/FAILING/);

      // badges: SVG, cacheable, embeddable, revalidated with the ETag
      const b = await fetch(`${serve.url}/badge/canary.svg`);
      const svg = await b.text();
      expect(b.status).toBe(200);
      expect(b.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
      expect(b.headers.get('cache-control')).toBe('public, max-age=60');
      expect(b.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      expect(svg).toMatch(/^<svg [^>]*aria-label="canary: fail"/);
      const again = await fetch(`${serve.url}/badge/canary.svg`, { headers: { 'if-none-match': b.headers.get('etag') ?? '' } });
      expect(again.status).toBe(304);
      expect(await (await fetch(`${serve.url}/badge/canary/uptime.svg`)).text()).toContain('aria-label="canary uptime 30d: 0%"');
      expect(await (await fetch(`${serve.url}/badge/stable/uptime.svg`)).text()).toContain('aria-label="stable uptime 30d: 100%"');
      expect(await (await fetch(`${serve.url}/badge/canary/suite/favor.svg`)).text()).toContain('aria-label="canary favor: fail"');
      expect((await fetch(`${serve.url}/badge/canary/suite/nope.svg`)).status).toBe(404);

      // the page: history, the ongoing incident with its report links, the (ended) silence, escaped
      const page = await (await fetch(`${serve.url}/`)).text();
      expect(page).toContain('<span class="up" data-uptime="canary">0.00%</span>');
      expect(page).toContain('<span class="incident-open">ongoing</span>');
      expect(page).toMatch(/href="\/reports\/[^"]+\/report\.html">first<\/a> · <a href="\/reports\/[^"]+\/report\.html">last/);
      expect(page).toContain(`data-maintenance="${silence.id}"><td>ended</td>`);
      expect(page).toContain('db &lt;migration&gt;');
      expect(page).not.toContain('db <migration>');

      const inc = await w.cli(['incidents', '--json']);
      expect(inc.code).toBe(0);
      const incidents = (JSON.parse(inc.stdout) as { incidents: { target: string; endedAt: unknown; failingRuns: number; reasons: string[] }[] }).incidents;
      expect(incidents).toEqual([expect.objectContaining({ target: 'canary', endedAt: null, failingRuns: 2 })]);
      expect(incidents[0]?.reasons.join(' ')).toMatch(/favor\/convert/);
      const text = await w.cli(['incidents', '--target', 'canary', '--days', '7']);
      expect(text.stdout).toMatch(/^canary {2}\S+ {2}ongoing +\S+ +2 failing runs\n {8}favor\/convert: /m);
      expect(text.stdout).toMatch(/report: \S+\/report\.html\n1 incident in the last 7 days\n$/);
      expect((await w.cli(['incidents', '--target', 'stable'])).stdout).toBe('0 incidents in the last 90 days\n');
      expect((await serve.stop()).code).toBe(0);
    } finally {
      await serve.stop();
    }
  }, 150_000);
});

describe('a pause maintenance window from the config', () => {
  it('run pauses, /v1/verdict says maintenance without starting a run, Flagger waits and never rolls back', async () => {
    const cfg = join(w.dir, 'pause.yaml');
    const now = Date.now();
    writeFileSync(cfg, `maintenance:
  mode: pause
  windows:
    - name: "db-upgrade <1>"
      start: ${new Date(now - 60_000).toISOString()}
      end: ${new Date(now + 3_600_000).toISOString()}
    - name: weekly
      cron: "0 3 * * sun"
      duration: 2h
      match: { target: canary, suite: rag }
`);
    const env = { TG_CANARY_CONFIG: cfg };
    const run = await w.cli(['run', '--json'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ verdict: 'maintenance', decision: 'hold', reasons: [expect.stringMatching(/^maintenance window db-upgrade <1> until .*: run paused/)] });
    expect(JSON.parse((await w.cli(['history', '--json'], env)).stdout).runs).toEqual([]);

    // scheduled every second: every tick falls in the pause window and is skipped
    const serve = await startServe(['serve'], serveEnv({ ...env, SERVE_SCHEDULE: '* * * * * *' }));
    const servedAt = Date.now();
    try {
      const v = await argoPoll(`${serve.url}/v1/verdict?target=canary&revision=r9`, TOKEN);
      expect(v.status).toBe(200);
      expect(v.body).toMatchObject({ verdict: 'maintenance', decision: 'hold', maintenance: [expect.objectContaining({ kind: 'window', id: 'db-upgrade <1>', mode: 'pause' })] });
      const flagger = { name: 'bot', namespace: 'prod', phase: 'Progressing', checksum: 'r9', metadata: { token: TOKEN } };
      const gate = await getJson(`${serve.url}/v1/flagger/gate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(flagger) });
      expect(gate.status).toBe(503);
      expect(gate.body.reason).toMatch(/canary verdict maintenance/);
      const rb = await getJson(`${serve.url}/v1/flagger/rollback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(flagger) });
      expect(rb.status).toBe(503);
      expect(rb.body).toMatchObject({ rollback: false, reason: expect.stringMatching(/not a rollback signal/) });
      const start = await getJson(`${serve.url}/v1/flagger/start`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(flagger) });
      expect(start.status).toBe(202);
      expect(start.body.reason).toMatch(/^not started: maintenance window db-upgrade <1>; runs are paused/);
      expect(await (await fetch(`${serve.url}/badge/canary.svg`)).text()).toContain('aria-label="canary: maintenance"');
      const page = await (await fetch(`${serve.url}/`)).text();
      expect(page).toContain('<section class="banner v-maintenance" id="overall"><div class="big">maintenance</div>');
      expect(page).toContain('data-maintenance="db-upgrade &lt;1&gt;"><td>active</td><td>window</td>');
      expect(page).toContain('data-maintenance="weekly"><td>upcoming</td>');
      expect(page).toContain('target=canary suite=rag');
      // no run was started for r9, and no scheduled run either (at least 3 ticks)
      const wait = servedAt + 3500 - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      expect(JSON.parse((await w.cli(['history', '--json'], env)).stdout).runs).toEqual([]);
    } finally {
      await serve.stop();
    }
  }, 90_000);
});

describe('a run-silently window with `tg-canary run`', () => {
  it('the failing run is judged and stored as usual but alerts nobody; after the window it alerts', async () => {
    w.sandbox.faults.add({ kind: 'error_text', bot: 'canary_bot', text: 'Sorry, something went wrong.' });
    const cfg = join(w.dir, 'silent.yaml');
    writeFileSync(cfg, `maintenance:
  windows:
    - name: bot-migration
      mode: run-silently
      start: ${new Date(Date.now() - 60_000).toISOString()}
      end: ${new Date(Date.now() + 3_600_000).toISOString()}
`);
    const alerting = { TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_ALERT_CHAT_ID: '-1007', TELEGRAM_BOT_API_ROOT: botApi.url };
    const r1 = await w.cli(['run', '--json'], { ...alerting, TG_CANARY_CONFIG: cfg });
    expect(r1.code, r1.stderr).toBe(1);
    expect(JSON.parse(r1.stdout).verdict).toBe('fail');
    expect(botApi.messages).toHaveLength(0);
    // the window is over (a config without it): the alert that was held back is sent
    const r2 = await w.cli(['run', '--json'], alerting);
    expect(r2.code, r2.stderr).toBe(1);
    await waitFor(() => botApi.messages.length >= 1, 'the alert after the window', 15_000);
    expect(botApi.messages).toHaveLength(1);
    expect(botApi.messages[0]?.text).toMatch(/FAILING/);
    // the CLI silence works the same way
    const s = await w.cli(['silence', '--for', '2h', '--target', 'canary', '--suite', 'favor', '--reason', 'fixing convert']);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toMatch(/^sil-\S+ {2}active {2}until .* target=canary suite=favor {2}"fixing convert"/);
    const list = await w.cli(['silence', '--list', '--json']);
    expect(JSON.parse(list.stdout).silences).toEqual([expect.objectContaining({ matchers: { target: 'canary', suite: 'favor' }, reason: 'fixing convert' })]);
    const none = await w.cli(['silence', '--for', '2h', '--reason', 'everything']);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/at least one matcher/);
  }, 120_000);
});
