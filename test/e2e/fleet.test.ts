/**
 * Fleets through the real CLI (issue 19 points 1, 2 and 5): one sandbox hosts 20 bots (10 pairs × canary + stable),
 * one config lists the pairs, one account runs them all in one cycle. Healthy pairs pass, the one broken canary
 * fails only its own pair, each pair keeps its own history file, a second run resolves no username, and a config
 * mixing `pairs` with the single-pair CANARY_BOT is refused with the file, the field and the fix.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { createWorld, type World } from './harness.js';
import { convertScenario } from '../support/scenarios.js';
import { getJson, startServe } from '../decisions/helpers.js';
import { waitFor } from '../support/wait.js';

const PAIRS = Array.from({ length: 10 }, (_, i) => ({ name: `pair-${i}`, canary: `p${i}_canary_bot`, stable: `p${i}_stable_bot` }));
const BROKEN = 'pair-3';

let w: World;
let configFile: string;

/** The config: every pair, the broken pair with its own stricter verdict override (it still must fail on its own). */
function writeConfig(file: string, pairs = PAIRS): void {
  const lines = ['pairs:'];
  for (const p of pairs) {
    lines.push(`  - name: ${p.name}`, `    canary: "@${p.canary}"`, `    stable: ${p.stable}`);
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}

/** Without the harness's single-pair bots: with `pairs` they would be a config error (tested below). */
const NO_SINGLE = { CANARY_BOT: '', STABLE_BOT: '' };

beforeAll(async () => {
  const bots: Record<string, string> = {};
  for (const p of PAIRS) {
    bots[p.canary] = 'builtin:canary_bot';
    bots[p.stable] = 'builtin:stable_bot';
  }
  w = await createWorld({ bots });
  await w.sandbox.setBot(`p3_canary_bot`, { async onMessage(msg, chat) { await chat.reply('about 9 miles, roughly', { replyTo: msg.id }); } });
  w.writeScenario('convert', convertScenario({ targets: ['canary', 'stable'], expectTimeout: '3s', repeat: 5 }));
  configFile = join(w.dir, 'fleet.yaml');
  writeConfig(configFile);
}, 60_000);
afterAll(async () => {
  await w?.close();
});

function resolveCalls(): number {
  return w.sandbox.callLog.filter((e) => e.userId === w.user.userId && e.method === 'contacts.ResolveUsername').length;
}

interface FleetJson {
  verdict: string;
  exitCode: number;
  pairs: { pair: string; verdict: { verdict: string; reasons: string[] } | null; error?: { code: string } }[];
}

describe('tg-canary run with pairs', () => {
  it('20 bots, one account: only the broken pair fails, each pair has its own history, the second run resolves nothing', async () => {
    expect(Object.keys(PAIRS).length * 2).toBe(20);
    const before = resolveCalls();
    const r = await w.cli(['run', '--json', '--config', configFile], NO_SINGLE, { timeoutMs: 170_000 });
    const out = JSON.parse(r.stdout) as FleetJson;
    expect(out.pairs.map((p) => p.pair)).toEqual(PAIRS.map((p) => p.name));
    for (const p of out.pairs) {
      expect(p.verdict?.verdict, `${p.pair}: ${JSON.stringify(p.verdict?.reasons)} ${r.stderr}`).toBe(p.pair === BROKEN ? 'fail' : 'pass');
    }
    expect(out.verdict).toBe('fail');
    expect(r.code).toBe(1);
    // 20 bots, each resolved once (one account: the shared connection resolves each bot once)
    expect(resolveCalls() - before).toBe(20);
    // each pair's history in its own file next to paths.db; the main file holds the account's peer cache
    const db = String(w.env.TG_CANARY_DB);
    for (const p of PAIRS) {
      const file = db.replace(/\.db$/, `.${p.name}.db`);
      expect(existsSync(file), file).toBe(true);
      const s = openStore(file, { readonly: true });
      try {
        expect(s.listRuns({ last: 5 }).map((x) => x.verdict)).toEqual([p.name === BROKEN ? 'fail' : 'pass']);
      } finally {
        s.close();
      }
    }
    const main = openStore(db, { readonly: true });
    try {
      expect(main.listRuns({ last: 5 })).toHaveLength(0);
      expect(main.cachedPeer(w.user.userId, 'p0_canary_bot')?.userId).toBeTruthy();
    } finally {
      main.close();
    }

    const mid = resolveCalls();
    const second = await w.cli(['run', '--config', configFile], NO_SINGLE, { timeoutMs: 170_000 });
    expect(resolveCalls() - mid).toBe(0);
    expect(second.code).toBe(1);
    // one summary line per pair, and the fleet line
    for (const p of PAIRS) expect(second.stdout).toMatch(new RegExp(`^${p.name}\\s+${p.name === BROKEN ? 'FAIL' : 'PASS'}\\s`, 'm'));
    expect(second.stdout).toMatch(/^fleet: FAIL \(10 pairs; exit 1/m);
  }, 400_000);

  it('--pair runs only the named pairs: the healthy ones pass (exit 0); an unknown pair is a usage error naming the pairs', async () => {
    const r = await w.cli(['run', '--json', '--config', configFile, '--pair', 'pair-0', '--pair', 'pair-9'], NO_SINGLE, { timeoutMs: 120_000 });
    const out = JSON.parse(r.stdout) as FleetJson;
    expect(out.pairs.map((p) => [p.pair, p.verdict?.verdict])).toEqual([['pair-0', 'pass'], ['pair-9', 'pass']]);
    expect(r.code, r.stderr).toBe(0);
    // history per pair: pair-0 has its runs; a fleet config without --pair names the pairs
    const h = await w.cli(['history', '--json', '--config', configFile, '--pair', 'pair-0'], NO_SINGLE);
    const runs = (JSON.parse(h.stdout) as { runs: { verdict: string }[] }).runs;
    expect(runs.length).toBeGreaterThanOrEqual(1);
    expect(runs.every((x) => x.verdict === 'pass')).toBe(true);
    const hb = await w.cli(['history', '--json', '--config', configFile, '--pair', BROKEN], NO_SINGLE);
    expect((JSON.parse(hb.stdout) as { runs: { verdict: string }[] }).runs.some((x) => x.verdict === 'fail')).toBe(true);
    const hn = await w.cli(['history', '--config', configFile], NO_SINGLE);
    expect(hn.code).not.toBe(0);
    expect(hn.stderr).toMatch(/FLEET_PAIR_UNKNOWN[\s\S]*--pair NAME|--pair NAME[\s\S]*FLEET_PAIR_UNKNOWN/);
    const bad = await w.cli(['run', '--config', configFile, '--pair', 'nope'], NO_SINGLE);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('FLEET_PAIR_UNKNOWN');
    expect(bad.stderr).toContain('pair-0');
    expect(bad.stderr).not.toMatch(/at .+\.js:\d+/);
  }, 200_000);

  it('a revoked session: every pair is stored inconclusive (exit 3), none fails, with the reason', async () => {
    w.sandbox.faults.add({ kind: 'rpc_error', method: 'users.GetUsers', error: 'AUTH_KEY_UNREGISTERED' });
    try {
      const r = await w.cli(['run', '--json', '--config', configFile, '--pair', 'pair-1', '--pair', BROKEN], NO_SINGLE, { timeoutMs: 120_000 });
      const out = JSON.parse(r.stdout) as FleetJson;
      expect(out.pairs.map((p) => [p.pair, p.verdict?.verdict])).toEqual([['pair-1', 'inconclusive'], [BROKEN, 'inconclusive']]);
      expect(out.verdict).toBe('inconclusive');
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('TG_SESSION_INVALID');
      for (const p of out.pairs) expect(p.verdict?.reasons.join(' ')).toMatch(/session|AUTH_KEY_UNREGISTERED/i);
    } finally {
      w.sandbox.faults.clear();
    }
  }, 150_000);

  it('a long flood wait on one chat makes no pair fail: the flood-waited work is inconclusive, not a bot failure', async () => {
    w.sandbox.faults.add({ kind: 'rpc_error', method: 'messages.SendMessage', error: 'FLOOD_WAIT_600', times: 1 });
    try {
      const r = await w.cli(['run', '--json', '--config', configFile, '--pair', 'pair-0', '--pair', 'pair-1'], NO_SINGLE, { timeoutMs: 150_000 });
      const out = JSON.parse(r.stdout) as FleetJson;
      const verdicts = out.pairs.map((p) => p.verdict?.verdict);
      expect(verdicts).not.toContain('fail');
      expect(verdicts).toContain('inconclusive');
      expect(r.code).toBe(3);
      expect(r.stderr + JSON.stringify(out)).toContain('TG_FLOOD_WAIT');
    } finally {
      w.sandbox.faults.clear();
    }
  }, 200_000);

  it('pairs together with CANARY_BOT is a config error naming the file, the field and the fix', async () => {
    const r = await w.cli(['run', '--config', configFile], { CANARY_BOT: 'canary_bot', STABLE_BOT: '' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('CONFIG_INVALID');
    expect(r.stderr).toContain('fleet.yaml');
    expect(r.stderr).toContain('pairs');
    expect(r.stderr).toContain('CANARY_BOT');
    expect(r.stderr).toMatch(/remove CANARY_BOT/);
  });

  it('a bad pair name, a reserved one and a duplicate are refused with the field', async () => {
    const file = join(w.dir, 'bad.yaml');
    writeFileSync(file, ['pairs:', '  - { name: Shop, canary: a_bot_1 }', '  - { name: canary, canary: a_bot_2 }', '  - { name: x, canary: a_bot_3 }', '  - { name: x, canary: a_bot_4 }', ''].join('\n'));
    const r = await w.cli(['validate', '--config', file], NO_SINGLE);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/pairs\[0\]\.name.*is not a pair name/);
    expect(r.stderr).toMatch(/pairs\[1\]\.name.*reserved/);
    expect(r.stderr).toMatch(/pairs\[3\]\.name.*second time/);
  });

  it('serve: one cycle runs every pair; /v1/verdict?target=NAME answers per pair, Flagger per pair, /metrics has a pair label, the page a section per pair', async () => {
    const before = new Map<string, unknown>();
    for (const p of PAIRS) {
      const file = String(w.env.TG_CANARY_DB).replace(/\.db$/, `.${p.name}.db`);
      if (!existsSync(file)) continue;
      const s = openStore(file, { readonly: true });
      try {
        before.set(p.name, s.latestRun()?.runId);
      } finally {
        s.close();
      }
    }
    const serve = await startServe(['serve', '--run-on-start', '--config', configFile], {
      ...w.env, ...NO_SINGLE, SERVE_PORT: '0', SERVE_HOST: '127.0.0.1', SERVE_SCHEDULE: '0 0 1 1 *', SERVE_JITTER_SECONDS: '0', SERVE_TOKEN: 'fleet-token',
    }, { maxMs: 230_000 });
    try {
      const verdicts = await waitFor(async () => {
        const out = new Map<string, Record<string, unknown>>();
        for (const p of PAIRS) {
          const r = await getJson(`${serve.url}/v1/verdict?target=${p.name}`);
          expect(r.status).toBe(200);
          if (r.body.runId === undefined || r.body.runId === before.get(p.name)) return undefined;
          out.set(p.name, r.body);
        }
        return out;
      }, 'a serve cycle over every pair', 150_000, 500);
      for (const p of PAIRS) {
        const v = verdicts.get(p.name);
        expect(v?.verdict, `${p.name}: ${JSON.stringify(v?.reasons)}`).toBe(p.name === BROKEN ? 'fail' : 'pass');
        expect(v?.pair).toBe(p.name);
      }
      // an unknown pair: the documented inconclusive JSON, still 200 for Argo; `canary` has no default pair here
      const unknown = await getJson(`${serve.url}/v1/verdict?target=nope`);
      expect(unknown.status).toBe(200);
      expect(unknown.body.verdict).toBe('inconclusive');
      expect(String(unknown.body.reasons)).toMatch(/unknown pair "nope".*pair-0/);
      const role = await getJson(`${serve.url}/v1/verdict?target=canary`);
      expect(role.body.verdict).toBe('inconclusive');
      expect(String(role.body.reasons)).toMatch(/target=<pair>/);
      // Flagger per pair: the broken pair rolls back, a healthy one does not
      const hook = (pair: string): Promise<{ status: number; body: Record<string, unknown> }> => getJson(`${serve.url}/v1/flagger/rollback?target=${pair}`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bot', namespace: 'ns', phase: 'Progressing' }),
      });
      expect((await hook(BROKEN)).status).toBe(200);
      expect((await hook('pair-0')).status).toBe(503);
      const metrics = await fetch(`${serve.url}/metrics`).then((r) => r.text());
      expect(metrics).toMatch(/tg_canary_run_success\{pair="pair-3",target="canary"\} 0/);
      expect(metrics).toMatch(/tg_canary_run_success\{pair="pair-0",target="canary"\} 1/);
      expect(metrics).toMatch(/tg_canary_runs_total\{pair="pair-3",verdict="fail"\} 1/);
      const page = await fetch(`${serve.url}/`).then((r) => r.text());
      for (const p of PAIRS) expect(page).toContain(`data-pair="${p.name}" data-verdict="${p.name === BROKEN ? 'fail' : 'pass'}"`);
      // a new revision of one pair: without the token no run starts (inconclusive, 200); with it, only that pair runs
      const denied = await getJson(`${serve.url}/v1/verdict?target=pair-0&revision=rev-9`);
      expect(denied.status).toBe(200);
      expect(denied.body.verdict).toBe('inconclusive');
      const auth = { headers: { authorization: 'Bearer fleet-token' } };
      const first = await getJson(`${serve.url}/v1/verdict?target=pair-0&revision=rev-9`, auth);
      expect(first.body.verdict).toBe('pending');
      const judged = await waitFor(async () => {
        const r = await getJson(`${serve.url}/v1/verdict?target=pair-0&revision=rev-9`, auth);
        return r.body.verdict === 'pending' ? undefined : r.body;
      }, 'the run of pair-0 for rev-9', 60_000, 300);
      expect(judged.verdict).toBe('pass');
      expect(judged.revision).toBe('rev-9');
      const other = await getJson(`${serve.url}/v1/verdict?target=pair-1`);
      expect(other.body.runId).toBe(verdicts.get('pair-1')?.runId);
    } finally {
      const stopped = await serve.stop();
      expect(stopped.code).toBe(0);
    }
  }, 280_000);
});
