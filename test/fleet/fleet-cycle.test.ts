/**
 * The fleet cycle (src/fleet/fleet-run.ts) with real SQLite stores per pair and the real run job, on a scripted
 * driver behind an account pool: chats with different bots run at the same time, a bot two pairs share is never
 * in two chats at once, a pair whose store breaks does not touch the others, and a pair the pool left without an
 * account is stored inconclusive (FLEET_NO_ACCOUNT), never failed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BotDriver, BotPeer, SentMessage, WaitOptions } from '../../src/core/ports.js';
import type { Reply } from '../../src/core/types.js';
import { systemClock } from '../../src/core/clock.js';
import { loadConfig } from '../../src/config/index.js';
import { pairConfig, type PairSpec } from '../../src/config/pair-config.js';
import { loadScenarioSet } from '../../src/app/scenario-set.js';
import { openStore, type SqliteRunStore } from '../../src/store/index.js';
import { runFleetCycle, type FleetPair } from '../../src/fleet/fleet-run.js';
import { driverView } from '../../src/fleet/driver-view.js';
import type { AccountPool, AccountSession, AccountFault } from '../../src/fleet/account-pool-port.js';
import { silentLogger } from '../../src/util/logger.js';
import type { WebRunner } from '../../src/browser/web-step.js';
import { FakeDriver } from '../support/fake-driver.js';
import { convertScenario } from '../support/scenarios.js';

const dir = mkdtempSync(join(tmpdir(), 'tg-canary-fleet-'));
const stores: SqliteRunStore[] = [];
afterAll(() => {
  for (const s of stores) {
    try {
      s.close();
    } catch {
      // closed by the test
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

const BOTS = ['a_canary_bot', 'b_canary_bot', 'c_canary_bot', 'shared_stable_bot', 'd_canary_bot'];

/** Counts the chats in flight per bot (send → reply) and overall. */
class CountingDriver implements BotDriver {
  readonly perBotMax = new Map<string, number>();
  maxOverall = 0;
  private readonly inFlight = new Map<string, number>();
  private overall = 0;
  constructor(private readonly inner: FakeDriver) {}
  connect(o?: { bots?: readonly string[] }): Promise<void> { return this.inner.connect(o); }
  me(): Promise<{ id: string; username?: string }> { return this.inner.me(); }
  resolveBot(u: string): Promise<BotPeer> { return this.inner.resolveBot(u); }
  async send(bot: BotPeer, text: string): Promise<SentMessage> {
    const n = (this.inFlight.get(bot.username) ?? 0) + 1;
    this.inFlight.set(bot.username, n);
    this.perBotMax.set(bot.username, Math.max(this.perBotMax.get(bot.username) ?? 0, n));
    this.overall += 1;
    this.maxOverall = Math.max(this.maxOverall, this.overall);
    return this.inner.send(bot, text);
  }
  async waitForReply(bot: BotPeer, after: SentMessage, opts: WaitOptions): Promise<Reply> {
    try {
      return await this.inner.waitForReply(bot, after, opts);
    } finally {
      this.inFlight.set(bot.username, (this.inFlight.get(bot.username) ?? 1) - 1);
      this.overall -= 1;
    }
  }
  click(): Promise<{ answer?: string; at: number }> { return Promise.reject(new Error('no buttons here')); }
  close(): Promise<void> { return this.inner.close(); }
}

/** One account; `without` pairs get none (as a drained account's would). */
function pool(shared: BotDriver, without: string[] = []): AccountPool & { faults: AccountFault[]; released: number } {
  const faults: AccountFault[] = [];
  const p = {
    accounts: ['one'],
    faults,
    released: 0,
    assign: (pairs: readonly string[]) => new Map(pairs.filter((x) => !without.includes(x)).map((x) => [x, 'one'])),
    open: async (): Promise<AccountSession> => ({
      account: 'one',
      driverFor: () => driverView(shared),
      report: (f: AccountFault) => void faults.push(f),
      release: async () => void (p.released += 1),
    }),
    health: () => [],
    close: async () => undefined,
  };
  return p;
}

async function setup(): Promise<{ pairs: FleetPair[]; driver: CountingDriver }> {
  const scen = join(dir, 'scenarios');
  mkdirSync(scen, { recursive: true });
  writeFileSync(join(scen, 'convert.yaml'), convertScenario({ targets: ['canary', 'stable'], repeat: 3, expectTimeout: '2s' }));
  const config = await loadConfig({
    env: { TG_API_ID: '1', TG_API_HASH: 'h', TG_SESSION: 's', SCENARIOS_DIR: scen, TG_CANARY_DB: join(dir, 'db', 'main.db'), REPORTS_DIR: join(dir, 'reports'), STATUS_FILE: 'false' },
    file: writeYaml(),
  });
  const scenarios = await loadScenarioSet(scen);
  const answer = { 'Convert 10 km to miles': '10 km is 6.21 miles' };
  const fake = new FakeDriver({ clock: systemClock, bots: Object.fromEntries(BOTS.map((b) => [b, answer])) });
  const driver = new CountingDriver(fake);
  const pairs = (config.pairs ?? []).map((spec): FleetPair => {
    const cfg = pairConfig(config, spec as PairSpec);
    const store = openStore(cfg.paths.db);
    stores.push(store);
    return { spec: spec as PairSpec, config: cfg, store, scenarios };
  });
  return { pairs, driver };
}

function writeYaml(): string {
  const file = join(dir, 'fleet.yaml');
  writeFileSync(file, [
    'pairs:',
    '  - { name: a, canary: a_canary_bot, stable: shared_stable_bot }',
    '  - { name: b, canary: b_canary_bot, stable: shared_stable_bot }',
    '  - { name: c, canary: c_canary_bot }',
    '  - { name: d, canary: d_canary_bot }',
    '',
  ].join('\n'));
  return file;
}

/** The scenarios here have no web: steps. */
const noWeb = (): WebRunner => ({ run: async () => ({ pass: false, detail: 'no web steps in these scenarios' }), close: async () => undefined });

describe('the fleet cycle', () => {
  it('runs different bots at once, a shared bot in one chat at a time; a broken store or a missing account stays with its pair', async () => {
    const { pairs, driver } = await setup();
    // pair d's store is broken (closed): its run cannot even start
    (pairs[3]?.store as SqliteRunStore).close();
    const p = pool(driver);
    const out = await runFleetCycle({ pairs, pool: p, openWebRunner: noWeb, clock: systemClock, logger: silentLogger(), signal: new AbortController().signal });
    const byPair = new Map(out.map((o) => [o.pair, o]));
    expect(byPair.get('a')?.out?.run.verdict.verdict).toBe('pass');
    expect(byPair.get('b')?.out?.run.verdict.verdict).toBe('pass');
    expect(byPair.get('c')?.out?.run.verdict.verdict).toBe('pass');
    expect(byPair.get('d')?.out).toBeUndefined();
    expect(byPair.get('d')?.error?.code).toBeTruthy();
    expect(driver.perBotMax.get('shared_stable_bot')).toBe(1);
    expect(driver.maxOverall).toBeGreaterThanOrEqual(2);
    expect(p.released).toBe(1);
  }, 60_000);

  it('a pair the pool leaves without an account is stored inconclusive with FLEET_NO_ACCOUNT; the others pass', async () => {
    const { pairs, driver } = await setup();
    const out = await runFleetCycle({ pairs: pairs.slice(0, 3), pool: pool(driver, ['c']), openWebRunner: noWeb, clock: systemClock, logger: silentLogger(), signal: new AbortController().signal });
    const c = out.find((o) => o.pair === 'c');
    expect(c?.out?.run.verdict.verdict).toBe('inconclusive');
    expect(c?.out?.run.scenarios.every((s) => s.errorCode === 'FLEET_NO_ACCOUNT')).toBe(true);
    expect(c?.out?.run.verdict.verdict).not.toBe('fail');
    expect(pairs[2]?.store.latestRun()?.verdict.verdict).toBe('inconclusive');
    expect(out.find((o) => o.pair === 'a')?.out?.run.verdict.verdict).toBe('pass');
  }, 60_000);
});
