/**
 * The account pool through the real CLI (issue 19 points 2 and 4): `tg-canary run` with `pairs` and two test
 * accounts (`telegram.accounts`), process after process as an hourly CronJob runs it. Pairs are sharded over both
 * accounts by rendezvous hashing, the same way every run; a second run resolves no username; a revoked session
 * leaves its pairs inconclusive once (never failed) and later runs move them to the healthy account; a shard
 * (`TG_CANARY_ACCOUNTS`) runs only the pairs its account wins.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotModule, SandboxUser } from '@tg-canary/sandbox';
import { rendezvousOwner } from '../../src/fleet/rendezvous.js';
import { convertScenario } from '../support/scenarios.js';
import { createWorld, type World } from './harness.js';

const PAIRS = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'];
const ACCOUNTS = ['acct-a', 'acct-b'];
const bot = (pair: string, side: 'c' | 's'): string => `${side}_${pair}_bot`;

let w: World;
let userB: SandboxUser;
let config: string;

interface FleetJson { verdict: string; exitCode: number; pairs: { pair: string; account?: string; verdict: { verdict: string; reasons: string[] } | null }[] }

beforeAll(async () => {
  const converter: BotModule = {
    async onMessage(msg, chat) {
      await chat.reply(/10 km/i.test(msg.text) ? '10 km is about 6.21 miles.' : 'Try "Convert 10 km to miles".', { replyTo: msg.id });
    },
  };
  const bots: Record<string, BotModule> = {};
  for (const p of PAIRS) {
    bots[bot(p, 'c')] = converter;
    bots[bot(p, 's')] = converter;
  }
  w = await createWorld({ bots });
  userB = await w.sandbox.createUser({ firstName: 'Acct B' });
  w.writeScenario('convert', convertScenario({ targets: ['canary', 'stable'], expectTimeout: '3s' }));
  writeFileSync(join(w.dir, 'b.session'), `${userB.session}\n`, { mode: 0o600 });
  config = join(w.dir, 'accounts.yaml');
  writeFileSync(config, [
    'telegram:',
    '  accounts:',
    `    - { name: acct-a, session: "${w.user.session}" }`,
    `    - { name: acct-b, sessionFile: ${join(w.dir, 'b.session')} }`,
    '  budget: { resolvePerMinute: 30 }',
    'pairs:',
    ...PAIRS.map((p) => `  - { name: ${p}, canary: ${bot(p, 'c')}, stable: ${bot(p, 's')} }`),
    '',
  ].join('\n'));
}, 60_000);
afterAll(async () => {
  await w?.close();
});

/** Without the harness's single session and bots: the accounts and pairs come from the config file. */
const ENV = { TG_SESSION: '', CANARY_BOT: '', STABLE_BOT: '' };

async function run(extra: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: FleetJson; stderr: string }> {
  const r = await w.cli(['run', '--json', '--config', config], { ...ENV, ...extra }, { timeoutMs: 150_000 });
  if (!r.stdout.trim()) throw new Error(`no JSON (exit ${r.code}): ${r.stderr}`);
  return { code: r.code, out: JSON.parse(r.stdout) as FleetJson, stderr: r.stderr };
}

function resolveCalls(userId: string): number {
  return w.sandbox.callLog.filter((e) => e.userId === userId && e.method === 'contacts.ResolveUsername').length;
}

describe('tg-canary run with telegram.accounts', () => {
  it('shards the pairs over both accounts by rendezvous hashing, the same way every run; the second run resolves nothing', async () => {
    const first = await run();
    expect(first.code, first.stderr).toBe(0);
    const expected = Object.fromEntries(PAIRS.map((p) => [p, rendezvousOwner(p, ACCOUNTS)]));
    expect(new Set(Object.values(expected)).size, 'both accounts get pairs').toBe(2);
    expect(Object.fromEntries(first.out.pairs.map((p) => [p.pair, p.account]))).toStrictEqual(expected);
    for (const p of first.out.pairs) expect(p.verdict?.verdict, `${p.pair}: ${p.verdict?.reasons.join('; ')}`).toBe('pass');
    // each account's chats were with its own pairs' bots only (the bots answered that user)
    const botsOf = (userId: string): Set<string> => new Set(w.sandbox.callLog.filter((e) => e.userId === userId && e.method === 'bot.sendMessage').map((e) => String(e.botId)));
    expect(botsOf(w.user.userId).size).toBe(2 * PAIRS.filter((p) => expected[p] === 'acct-a').length);
    expect(botsOf(userB.userId).size).toBe(2 * PAIRS.filter((p) => expected[p] === 'acct-b').length);

    const before = resolveCalls(w.user.userId) + resolveCalls(userB.userId);
    const second = await run();
    expect(second.code, second.stderr).toBe(0);
    expect(Object.fromEntries(second.out.pairs.map((p) => [p.pair, p.account]))).toStrictEqual(expected);
    expect(resolveCalls(w.user.userId) + resolveCalls(userB.userId) - before).toBe(0);
  }, 360_000);

  it('a shard (TG_CANARY_ACCOUNTS) runs only the pairs its account wins', async () => {
    const shard = await run({ TG_CANARY_ACCOUNTS: 'acct-b' });
    expect(shard.code, shard.stderr).toBe(0);
    const mine = PAIRS.filter((p) => rendezvousOwner(p, ACCOUNTS) === 'acct-b');
    expect(shard.out.pairs.map((p) => p.pair).sort()).toStrictEqual(mine.sort());
    expect(shard.out.pairs.every((p) => p.account === 'acct-b' && p.verdict?.verdict === 'pass')).toBe(true);
  }, 240_000);

  it('a revoked session: its pairs are inconclusive once, never failed; the next runs move them to the other account', async () => {
    w.sandbox.faults.add({ kind: 'rpc_error', user: userB.userId, error: 'SESSION_REVOKED' });
    try {
      const hit = await run();
      const onB = PAIRS.filter((p) => rendezvousOwner(p, ACCOUNTS) === 'acct-b');
      for (const p of hit.out.pairs) {
        expect(p.verdict?.verdict, p.pair).toBe(onB.includes(p.pair) ? 'inconclusive' : 'pass');
      }
      expect(hit.code, 'inconclusive, never a rollback').toBe(3);
      // a new process (the next CronJob run) remembers the revoked session through the store
      const next = await run();
      expect(next.code, next.stderr).toBe(0);
      for (const p of next.out.pairs) {
        expect(p.account, p.pair).toBe('acct-a');
        expect(p.verdict?.verdict, `${p.pair}: ${p.verdict?.reasons.join('; ')}`).toBe('pass');
      }
    } finally {
      w.sandbox.faults.clear();
    }
  }, 360_000);
});
