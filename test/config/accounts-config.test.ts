/** `telegram.accounts`, `telegram.shard` (TG_CANARY_ACCOUNTS) and `telegram.budget` in the config file. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '../../src/core/errors.js';
import { loadConfig, redactConfig } from '../../src/config/index.js';
import { poolAccounts } from '../../src/app/account-pool-setup.js';
import { configFlags } from '../../src/config/flag-source.js';
import { parseNameList } from '../../src/cli/name-list.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'tgc-acct-'));
const HEAD = 'telegram:\n  apiId: 12345\n  apiHash: hash-SECRET-0001\n';
const TARGETS = 'targets: { canary: canary_bot }\n';

async function load(yaml: string, env: Record<string, string> = {}): Promise<{ dir: string; config: Awaited<ReturnType<typeof loadConfig>> }> {
  const dir = tmp();
  writeFileSync(join(dir, 'tg-canary.config.yaml'), yaml);
  return { dir, config: await loadConfig({ env, cwd: dir }) };
}

async function issues(yaml: string): Promise<string> {
  try {
    await load(yaml);
  } catch (e) {
    if (e instanceof ValidationError) return JSON.stringify(e.issues);
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('telegram.accounts', () => {
  it('reads accounts (inline session or a file), needs no telegram.session, and redacts every account session', async () => {
    const { dir, config } = await load(`${HEAD}  accounts:\n    - { name: acct-1, session: "sess-SECRET-A1" }\n    - { name: acct-2, sessionFile: ./a2.session, apiId: 777, apiHash: h2-SECRET }\n${TARGETS}`);
    writeFileSync(join(dir, 'a2.session'), 'sess-SECRET-A2\n');
    expect(config.telegram.accounts?.map((a) => a.name)).toStrictEqual(['acct-1', 'acct-2']);
    expect(poolAccounts(config, dir)).toStrictEqual([
      { name: 'acct-1', session: 'sess-SECRET-A1', apiId: undefined, apiHash: undefined },
      { name: 'acct-2', session: 'sess-SECRET-A2', apiId: 777, apiHash: 'h2-SECRET' },
    ]);
    const shown = JSON.stringify(redactConfig(config));
    expect(shown).not.toContain('sess-SECRET-A1');
    expect(shown).not.toContain('h2-SECRET');
    expect(shown).toContain('acct-2');
  });

  it('without accounts the single session is one account named default', async () => {
    const { config } = await load(`${HEAD}  session: sess-SECRET-0\n${TARGETS}`);
    expect(poolAccounts(config)).toStrictEqual([{ name: 'default', session: 'sess-SECRET-0' }]);
  });

  it('rejects an account without a session, a duplicate name and a bad name, naming the key path and the fix, no secret shown', async () => {
    const text = await issues(`${HEAD}  accounts:\n    - { name: acct-1, session: "sess-SECRET-A1" }\n    - { name: acct-1, session: "sess-SECRET-B" }\n    - { name: acct-3 }\n    - { name: "../x", session: s }\n${TARGETS}`);
    expect(text).toContain('telegram.accounts[1].name');
    expect(text).toContain('names the account acct-1 twice');
    expect(text).toContain('telegram.accounts[2].session');
    expect(text).toContain('needs exactly one of session or sessionFile');
    expect(text).toContain('telegram.accounts[3].name');
    expect(text).toContain('is not an account name');
    expect(text).not.toContain('sess-SECRET');
  });

  it('a missing session file is an error naming the account field and the login command', async () => {
    const { dir, config } = await load(`${HEAD}  accounts:\n    - { name: acct-9, sessionFile: ./nope.session }\n${TARGETS}`);
    expect(() => poolAccounts(config, dir)).toThrow(/telegram\.accounts\[0\]\.sessionFile \(account acct-9\)/);
    try {
      poolAccounts(config, dir);
    } catch (e) {
      expect((e as { hint?: string }).hint).toContain('tg-canary login --account acct-9');
    }
  });

  it('TG_CANARY_ACCOUNTS picks the shard; telegram.budget overrides the documented defaults and rejects nonsense', async () => {
    const { config } = await load(`${HEAD}  accounts:\n    - { name: a1, session: s1 }\n    - { name: a2, session: s2 }\n  budget: { send: { burst: 3 }, drainAfterSec: 60 }\n${TARGETS}`, { TG_CANARY_ACCOUNTS: 'a2' });
    expect(config.telegram.shard).toStrictEqual(['a2']);
    expect(config.telegram.budget).toStrictEqual({ send: { burst: 3, perMinute: 60 }, read: { burst: 30, perMinute: 120 }, resolvePerMinute: 10, other: { burst: 30, perMinute: 120 }, drainAfterSec: 60 });
    const text = await issues(`${HEAD}  session: s\n  budget: { send: { burst: 0 }, drainAfterSec: -1 }\n${TARGETS}`);
    expect(text).toContain('telegram.budget.send.burst');
    expect(text).toContain('telegram.budget.drainAfterSec');
  });

  it('--accounts (serve) wins over TG_CANARY_ACCOUNTS; a bad name in it is rejected naming the flag and the field', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'tg-canary.config.yaml'), `${HEAD}  accounts:\n    - { name: a1, session: s1 }\n    - { name: a2, session: s2 }\n${TARGETS}`);
    const c = await loadConfig({ env: { TG_CANARY_ACCOUNTS: 'a2' }, cwd: dir, flags: configFlags({ accounts: parseNameList(' a1 , a2,') }) });
    expect(c.telegram.shard).toStrictEqual(['a1', 'a2']);
    let text = '';
    try {
      await loadConfig({ env: {}, cwd: dir, flags: configFlags({ accounts: parseNameList('a1,../x') }) });
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      text = JSON.stringify(e.issues);
    }
    expect(text).toContain('--accounts (telegram.shard)');
    expect(text).toContain('is not an account name');
  });
});
