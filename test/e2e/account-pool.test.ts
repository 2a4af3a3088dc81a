/**
 * The account pool and the per-account flood budget against the sandbox (issue 19 points 2 and 4): two logged-in
 * test users, six bot pairs sharded over them by rendezvous hashing, each pair run by the real run job (scenario
 * runner, scorers, verdict, SQLite history) on its account's shared GramjsDriver connection. The config is a real
 * YAML file (telegram.accounts, one session inline, one in a file). /metrics and the status page are the real
 * builders behind a loopback HTTP server, scraped with fetch.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type BotModule, type Sandbox, type SandboxUser } from '@tg-canary/sandbox';
import { loadConfig, type Config } from '../../src/config/index.js';
import { systemClock } from '../../src/core/clock.js';
import { createAccountPool } from '../../src/app/account-pool-setup.js';
import { runJob } from '../../src/app/run-job.js';
import { loadScenarioSet } from '../../src/app/scenario-set.js';
import { createWebRunner } from '../../src/browser/web-step.js';
import type { MultiAccountPool } from '../../src/fleet/account-pool.js';
import { accountTelemetry } from '../../src/fleet/account-telemetry.js';
import { buildServeMetrics } from '../../src/status/metrics.js';
import { toStatusPageData } from '../../src/status/page-data.js';
import { renderStatusPage } from '../../src/status/status-page.js';
import { openStore, type SqliteRunStore } from '../../src/store/index.js';
import { silentLogger } from '../../src/util/logger.js';
import { convertScenario } from '../support/scenarios.js';
import { missing, PROMTOOL, runTool } from '../integrations/tools.js';

const PAIRS = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'];
const bot = (pair: string, side: 'c' | 's'): string => `${side}_${pair}_bot`;

let sandbox: Sandbox;
let userA: SandboxUser;
let userB: SandboxUser;
let dir: string;
let config: Config;
let server: Server;
let base: string;
let dbSeq = 0;

beforeAll(async () => {
  // a unit-converter bot per side of every pair (the built-in demo bots exist under two names only)
  const converter: BotModule = {
    async onMessage(msg, chat) {
      await chat.typing();
      await chat.reply(/10 km/i.test(msg.text) ? '10 km is about 6.21 miles.' : 'Try "Convert 10 km to miles".', { replyTo: msg.id });
    },
  };
  const bots: Record<string, BotModule> = {};
  for (const p of PAIRS) {
    bots[bot(p, 'c')] = converter;
    bots[bot(p, 's')] = converter;
  }
  sandbox = await startSandbox({ port: 0, bots });
  userA = await sandbox.createUser({ firstName: 'Acct A' });
  userB = await sandbox.createUser({ firstName: 'Acct B' });
  dir = mkdtempSync(join(tmpdir(), 'tg-canary-pool-'));
  mkdirSync(join(dir, 'scenarios'));
  writeFileSync(join(dir, 'scenarios', 'convert.yaml'), convertScenario({ targets: ['canary', 'stable'], expectTimeout: '3s' }));
  mkdirSync(join(dir, 'two-prompts'));
  writeFileSync(join(dir, 'two-prompts', 'twice.yaml'), [
    'name: twice', 'suite: favor', 'targets: [canary, stable]', 'timeout: 40s', 'steps:',
    '  - send: "Convert 10 km to miles"',
    '  - expect: { timeout: 3s, settle: 200ms, assert: [ { type: contains, value: "6.21", critical: true } ] }',
    '  - send: "Convert 10 km to miles"',
    '  - expect: { timeout: 3s, settle: 200ms, assert: [ { type: contains, value: "6.21", critical: true } ] }',
    '',
  ].join('\n'));
  writeFileSync(join(dir, 'b.session'), `${userB.session}\n`, { mode: 0o600 });
  writeFileSync(join(dir, 'tg-canary.config.yaml'), [
    'telegram:',
    `  apiId: ${sandbox.apiId}`,
    `  apiHash: ${sandbox.apiHash}`,
    `  dc: { host: ${sandbox.host}, port: ${sandbox.port} }`,
    '  pacingMs: 0',
    '  floodSleepThresholdSec: 30',
    '  accounts:',
    `    - { name: acct-a, session: "${userA.session}" }`,
    '    - { name: acct-b, sessionFile: ./b.session }',
    // a moved pair costs its new account two lookups: 30 a minute keeps the re-assignment tests quick
    '  budget: { drainAfterSec: 300, resolvePerMinute: 30 }',
    'targets: { canary: c_p0_bot, stable: s_p0_bot }',
    'paths: { scenarios: ./scenarios, reports: ./reports, db: ./pool.db }',
    '',
  ].join('\n'));
  config = await loadConfig({ env: { TG_CANARY_CONFIG: join(dir, 'tg-canary.config.yaml') }, cwd: dir });
  config.paths.scenarios = join(dir, 'scenarios');
  config.paths.reports = join(dir, 'reports');
  const metrics = buildServeMetrics({ defaultMetrics: false, accounts: accountTelemetry });
  server = createServer((req, res) => {
    void (async (): Promise<void> => {
      if (req.url === '/metrics') {
        res.writeHead(200, { 'content-type': metrics.contentType });
        res.end(await metrics.metrics());
        return;
      }
      const page = renderStatusPage(toStatusPageData({
        version: 'test', now: Date.now(), startedAt: Date.now(), history: [], lastSuccessAt: {}, running: false, accounts: accountTelemetry().health,
      }));
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page);
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
}, 60_000);

afterAll(async () => {
  await new Promise<void>((r) => server?.close(() => r()));
  await sandbox?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function poolStore(): SqliteRunStore {
  dbSeq += 1;
  return openStore(join(dir, `pool${dbSeq}.db`));
}

interface CycleResult {
  assignment: Map<string, string>;
  verdicts: Map<string, string>;
  reasons: Map<string, string[]>;
}

/** One fleet cycle as the fleet runner does it: assign, open each account once, run its pairs at once, release. */
async function cycle(pool: MultiAccountPool, tag: string, scenarioDir = config.paths.scenarios): Promise<CycleResult> {
  const assignment = pool.assign(PAIRS);
  const elsewhere = new Set(pool.outOfShard(PAIRS));
  const verdicts = new Map<string, string>();
  const reasons = new Map<string, string[]>();
  const scenarios = await loadScenarioSet(scenarioDir);
  const byAccount = new Map<string, string[]>();
  for (const [pair, acc] of assignment) byAccount.set(acc, [...(byAccount.get(acc) ?? []), pair]);
  for (const p of PAIRS) {
    if (!assignment.has(p) && !elsewhere.has(p)) {
      verdicts.set(p, 'inconclusive');
      reasons.set(p, ['no healthy test account']);
    }
  }
  await Promise.all([...byAccount].map(async ([acc, pairs]) => {
    let session;
    try {
      session = await pool.open(acc, pairs.flatMap((p) => [bot(p, 'c'), bot(p, 's')]));
    } catch (e) {
      for (const p of pairs) {
        verdicts.set(p, 'inconclusive');
        reasons.set(p, [String((e as Error).message)]);
      }
      return;
    }
    try {
      await Promise.all(pairs.map(async (pair) => {
        const store = openStore(join(dir, `${tag}-${pair}.db`));
        try {
          const pairConfig: Config = {
            ...config,
            // the run job's own lease is per pair here: the account's lease is the pool's
            telegram: { ...config.telegram, session: `fleet-pair:${tag}:${pair}` },
            targets: { canary: bot(pair, 'c'), stable: bot(pair, 's') },
          };
          const out = await runJob({
            config: pairConfig, store, scenarios, target: 'both', clock: systemClock, logger: silentLogger(),
            signal: new AbortController().signal,
            openDriver: () => session.driverFor(pair),
            openWebRunner: (o) => createWebRunner({ chromiumPath: config.paths.chromium, screenshotDir: o.screenshotDir }),
          });
          verdicts.set(pair, out.run.verdict.verdict);
          reasons.set(pair, out.run.verdict.reasons);
        } finally {
          store.close();
        }
      }));
    } finally {
      await session.release();
    }
  }));
  return { assignment, verdicts, reasons };
}

async function scrape(): Promise<string> {
  const res = await fetch(`${base}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
}

function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const inner = line.slice(name.length + 1, line.indexOf('}'));
    if (want.every((w) => inner.split(',').includes(w))) return Number(line.slice(line.indexOf('}') + 1).trim());
  }
  return undefined;
}

describe('account pool on the sandbox', () => {
  it('shards pairs stably over two accounts (same assignment across runs and pools) and every pair passes', async () => {
    const store = poolStore();
    const pool = createAccountPool(config, { store, clock: systemClock, logger: silentLogger(), cwd: dir });
    const second = createAccountPool(config, { store, clock: systemClock, logger: silentLogger(), cwd: dir });
    try {
      expect(pool.accounts).toStrictEqual(['acct-a', 'acct-b']);
      const first = await cycle(pool, 'stable1');
      const again = await cycle(pool, 'stable2');
      expect([...again.assignment]).toStrictEqual([...first.assignment]);
      expect([...second.assign(PAIRS)]).toStrictEqual([...first.assignment]);
      expect(new Set(first.assignment.values())).toStrictEqual(new Set(['acct-a', 'acct-b']));
      for (const p of PAIRS) expect(first.verdicts.get(p), `${p}: ${first.reasons.get(p)?.join('; ')}`).toBe('pass');
      for (const p of PAIRS) expect(again.verdicts.get(p)).toBe('pass');
      // each account spoke only to the bots of its own pairs
      const sendsOf = (u: SandboxUser): number => sandbox.callLog.filter((e) => e.userId === u.userId && e.method === 'messages.SendMessage').length;
      const aPairs = [...first.assignment].filter(([, a]) => a === 'acct-a').length;
      expect(sendsOf(userA)).toBe(aPairs * 2 * 2);
      expect(sendsOf(userB)).toBe((PAIRS.length - aPairs) * 2 * 2);
      // the budget counted those sends per account, and /metrics shows them
      const text = await scrape();
      expect(sample(text, 'tg_canary_account_calls_total', { account: 'acct-a', family: 'send' })).toBe(aPairs * 2 * 2);
      expect(sample(text, 'tg_canary_account_budget_tokens', { account: 'acct-b', family: 'send' })).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'tg_canary_account_up', { account: 'acct-a' })).toBe(1);
      expect(text).not.toContain(userA.session);
    } finally {
      await second.close();
      await pool.close();
      store.close();
    }
  }, 120_000);

  it('a long flood wait drains the account: its pairs end inconclusive (never fail), then move to the other account and pass', async () => {
    const store = poolStore();
    const pool = createAccountPool(config, { store, clock: systemClock, logger: silentLogger(), cwd: dir });
    try {
      const owned = [...pool.assign(PAIRS)].filter(([, a]) => a === 'acct-a').map(([p]) => p);
      expect(owned.length).toBeGreaterThan(0);
      sandbox.faults.add({ kind: 'rpc_error', user: userA.userId, method: 'messages.SendMessage', error: 'FLOOD_WAIT_900', times: 1 });
      const hit = await cycle(pool, 'flood1');
      for (const p of PAIRS) expect(hit.verdicts.get(p), `${p}: ${hit.reasons.get(p)?.join('; ')}`).not.toBe('fail');
      expect(owned.some((p) => hit.verdicts.get(p) === 'inconclusive')).toBe(true);
      const health = pool.health().find((h) => h.account === 'acct-a');
      expect(health).toMatchObject({ state: 'drained', lastFault: 'FLOOD_WAIT_900' });
      expect(health?.drainedUntil).toBeGreaterThan(Date.now() + 800_000);
      const text = await scrape();
      expect(sample(text, 'tg_canary_account_up', { account: 'acct-a' })).toBe(0);
      expect(sample(text, 'tg_canary_account_flood_wait_seconds_total', { account: 'acct-a', family: 'send' })).toBe(900);

      const next = await cycle(pool, 'flood2');
      for (const p of PAIRS) expect(next.assignment.get(p)).toBe('acct-b');
      for (const p of PAIRS) expect(next.verdicts.get(p), `${p}: ${next.reasons.get(p)?.join('; ')}`).toBe('pass');
      // another pool on the same store (another shard, another pod) sees the drain too
      const other = createAccountPool(config, { store, clock: systemClock, logger: silentLogger(), cwd: dir });
      try {
        expect([...other.assign(PAIRS).values()].every((a) => a === 'acct-b')).toBe(true);
      } finally {
        await other.close();
      }
    } finally {
      sandbox.faults.clear();
      await pool.close();
      store.close();
    }
  }, 120_000);

  it('a revoked session drains its account until restart, shown on /metrics and the status page; no healthy account left is inconclusive', async () => {
    const store = poolStore();
    const pool = createAccountPool(config, { store, clock: systemClock, logger: silentLogger(), cwd: dir });
    try {
      sandbox.faults.add({ kind: 'rpc_error', user: userB.userId, error: 'SESSION_REVOKED' });
      const hit = await cycle(pool, 'revoked1');
      for (const p of PAIRS) expect(hit.verdicts.get(p)).not.toBe('fail');
      expect(pool.health().find((h) => h.account === 'acct-b')).toMatchObject({ state: 'drained', lastFault: 'SESSION_REVOKED' });
      const next = await cycle(pool, 'revoked2');
      for (const p of PAIRS) expect(next.assignment.get(p)).toBe('acct-a');
      for (const p of PAIRS) expect(next.verdicts.get(p), `${p}: ${next.reasons.get(p)?.join('; ')}`).toBe('pass');
      const text = await scrape();
      expect(sample(text, 'tg_canary_account_up', { account: 'acct-b' })).toBe(0);
      expect(sample(text, 'tg_canary_account_state', { account: 'acct-b', state: 'drained' })).toBe(1);
      const page = await (await fetch(`${base}/`)).text();
      expect(page).toContain('<h2>Test accounts</h2>');
      expect(page).toMatch(/data-account="acct-b"><td>acct-b<\/td><td><span class="health-bad">drained<\/span>/);
      expect(page).toContain('SESSION_REVOKED');
      expect(page).not.toContain(userB.session);

      // both accounts gone: every pair gets no account and is inconclusive, not failed
      sandbox.faults.add({ kind: 'rpc_error', user: userA.userId, error: 'AUTH_KEY_UNREGISTERED' });
      const dead = await cycle(pool, 'revoked3');
      expect(dead.verdicts.size).toBe(PAIRS.length);
      for (const p of PAIRS) expect(dead.verdicts.get(p)).toBe('inconclusive');
      const none = await cycle(pool, 'revoked4');
      expect(none.assignment.size).toBe(0);
      for (const p of PAIRS) expect(none.reasons.get(p)).toStrictEqual(['no healthy test account']);
    } finally {
      sandbox.faults.clear();
      await pool.close();
      store.close();
    }
  }, 120_000);

  it('a short flood wait on one chat slows the whole account (the other chats\u2019 sends wait too) and no pair fails', async () => {
    const store = poolStore();
    const pool = createAccountPool(config, { store, clock: systemClock, logger: silentLogger(), cwd: dir, shard: ['acct-a'] });
    try {
      // this shard drives acct-a only; the pairs acct-b wins are another shard's
      const mine = [...pool.assign(PAIRS).keys()];
      expect(mine.length).toBeGreaterThanOrEqual(2);
      expect(pool.outOfShard(PAIRS).sort()).toStrictEqual(PAIRS.filter((p) => !mine.includes(p)).sort());
      const from = sandbox.callLog.length;
      sandbox.faults.add({ kind: 'rpc_error', user: userA.userId, method: 'messages.SendMessage', error: 'FLOOD_WAIT_3', times: 1 });
      const r = await cycle(pool, 'short', join(dir, 'two-prompts'));
      for (const p of mine) expect(r.verdicts.get(p), `${p}: ${r.reasons.get(p)?.join('; ')}`).toBe('pass');
      expect(r.verdicts.size).toBe(mine.length);
      const sends = sandbox.callLog.slice(from).filter((e) => e.userId === userA.userId && e.method === 'messages.SendMessage');
      const flood = sends.find((e) => e.error === 'FLOOD_WAIT_3');
      expect(flood).toBeDefined();
      const t0 = flood?.at ?? 0;
      const ok = sends.filter((e) => !e.error);
      // every chat of the account sends two prompts; the ones in flight with the flooded one went through, and then
      // nothing left the account until its 3 s pause was over (100 ms of slack for calls already on the wire)
      expect(ok.length).toBe(mine.length * 2 * 2);
      expect(ok.filter((e) => e.at > t0 + 100 && e.at < t0 + 2900)).toStrictEqual([]);
      const waited = ok.filter((e) => e.at >= t0 + 2900);
      // the flooded chat's retry and the second prompt of every chat (the others' included) waited for the pause
      expect(waited.length).toBeGreaterThanOrEqual(mine.length * 2);
      const text = await scrape();
      expect(sample(text, 'tg_canary_account_flood_wait_seconds_total', { account: 'acct-a', family: 'send' })).toBe(3);
      expect(sample(text, 'tg_canary_account_flood_waits_total', { account: 'acct-a', family: 'send' })).toBe(1);
      expect(sample(text, 'tg_canary_account_up', { account: 'acct-a' })).toBe(1);
      expect(sample(text, 'tg_canary_account_up', { account: 'acct-b' })).toBeUndefined();
      // the account series follow Prometheus' conventions (counters end in _total, gauges do not)
      if (!missing(PROMTOOL)) {
        const check = await runTool(PROMTOOL, ['check', 'metrics'], { input: text });
        expect(check.code, `${check.stdout}${check.stderr}`).toBe(0);
      }
    } finally {
      sandbox.faults.clear();
      await pool.close();
      store.close();
    }
  }, 120_000);
});
