/**
 * The fleet recipe (k8s/fleet-postgres/, issue 19 point 5): one serve Deployment per account shard, each with its
 * own session Secret and its own account, all reading one fleet config (every pair and account) and sharing one
 * PostgreSQL URL from one Secret, and nothing on a PVC. The schema validation of every manifest is in
 * manifests.test.ts; this checks what makes the recipe safe to run, and loads its config with tg-canary's own loader.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { findContainers, get, K8S_DIR, loadDocs, type Obj } from './manifests.js';
import { loadConfig } from '../../src/config/index.js';
import { poolAccounts } from '../../src/app/account-pool-setup.js';
import { rendezvousOwner } from '../../src/fleet/rendezvous.js';

const dir = join(K8S_DIR, 'fleet-postgres');
const deployments = loadDocs(join(dir, 'deployments.yaml'));
const secrets = loadDocs(join(dir, 'secrets.yaml'));

function env(d: Obj, name: string): string | undefined {
  const c = findContainers(d)[0] as Obj;
  const e = (c['env'] as Obj[]).find((x) => x['name'] === name);
  return e === undefined ? undefined : String(e['value']);
}

function secretOf(d: Obj, mountPath: string): string {
  const c = findContainers(d)[0] as Obj;
  const mount = (c['volumeMounts'] as Obj[]).find((m) => m['mountPath'] === mountPath);
  const vol = (get(d, 'spec', 'template', 'spec', 'volumes') as Obj[]).find((v) => v['name'] === mount?.['name']);
  return String(get(vol, 'secret', 'secretName'));
}

describe('k8s/fleet-postgres: account shards sharing one PostgreSQL store', () => {
  it('has at least two shards, each one serve replica replaced with Recreate (one user per session)', () => {
    expect(deployments.length).toBeGreaterThanOrEqual(2);
    for (const d of deployments) {
      expect(get(d, 'kind')).toBe('Deployment');
      expect(get(d, 'spec', 'replicas')).toBe(1);
      expect(get(d, 'spec', 'strategy', 'type')).toBe('Recreate');
      expect(get(findContainers(d)[0], 'args')).toStrictEqual(['serve']);
    }
  });

  it('every shard has its own session Secret and its own account; names and selectors never overlap', () => {
    const sessions = deployments.map((d) => secretOf(d, `/run/secrets/${String(env(d, 'TG_CANARY_ACCOUNTS'))}`));
    expect(new Set(sessions).size).toBe(deployments.length);
    expect(new Set(deployments.map((d) => env(d, 'TG_CANARY_ACCOUNTS'))).size).toBe(deployments.length);
    for (const d of deployments) expect(env(d, 'CANARY_BOT'), 'the bots are the fleet config\'s pairs').toBeUndefined();
    expect(new Set(deployments.map((d) => get(d, 'metadata', 'name'))).size).toBe(deployments.length);
    expect(new Set(deployments.map((d) => JSON.stringify(get(d, 'spec', 'selector', 'matchLabels')))).size).toBe(deployments.length);
    for (const name of sessions) expect(secrets.map((s) => get(s, 'metadata', 'name'))).toContain(name);
  });

  it('all shards read the same PostgreSQL URL from one Secret, as a file, and keep nothing on a PVC', () => {
    const db = deployments.map((d) => secretOf(d, '/run/secrets/tg-canary-db'));
    expect(new Set(db)).toStrictEqual(new Set(['tg-canary-postgres']));
    for (const d of deployments) {
      expect(env(d, 'TG_CANARY_DATABASE_URL_FILE')).toBe('/run/secrets/tg-canary-db/tg_canary_database_url');
      expect(env(d, 'TG_CANARY_DATABASE_URL'), 'the URL holds a password: never a plain env value').toBeUndefined();
      const vols = get(d, 'spec', 'template', 'spec', 'volumes') as Obj[];
      expect(vols.some((v) => v['persistentVolumeClaim'] !== undefined)).toBe(false);
    }
    const pg = secrets.find((s) => get(s, 'metadata', 'name') === 'tg-canary-postgres');
    expect(get(pg, 'stringData', 'tg_canary_database_url')).toBe('REPLACE_ME');
  });

  it('the fleet config loads: each shard reads only its own session and runs the pairs its account wins, together all of them once', async () => {
    const [cm] = loadDocs(join(dir, 'configmap-fleet.yaml'));
    const text = String(get(cm, 'data', 'tg-canary.config.yaml'));
    const root = mkdtempSync(join(tmpdir(), 'tgc-k8s-fleet-'));
    const accounts = (parse(text) as { telegram: { accounts: { name: string }[] } }).telegram.accounts.map((a) => a.name);
    expect(accounts.length).toBe(deployments.length);
    const owned = new Map<string, string>();
    for (const d of deployments) {
      const account = String(env(d, 'TG_CANARY_ACCOUNTS'));
      // the pod's files, re-rooted into a temp dir: only this shard's Secret is there
      const rooted = (p: string): string => join(root, account, p);
      const configPath = rooted(String(env(d, 'TG_CANARY_CONFIG')));
      mkdirSync(join(configPath, '..'), { recursive: true });
      writeFileSync(configPath, text.replaceAll('/run/secrets/', `${join(root, account)}/run/secrets/`));
      const secretDir = rooted(`/run/secrets/${account}`);
      mkdirSync(secretDir, { recursive: true });
      writeFileSync(join(secretDir, 'tg_session'), `session-of-${account}\n`);
      writeFileSync(join(secretDir, 'tg_api_hash'), '0123456789abcdef0123456789abcdef');
      const config = await loadConfig({
        cwd: root,
        env: { TG_CANARY_CONFIG: configPath, TG_CANARY_ACCOUNTS: account, TG_API_HASH_FILE: join(secretDir, 'tg_api_hash') },
      });
      expect(config.telegram.shard).toStrictEqual([account]);
      const specs = poolAccounts(config, root, config.telegram.shard);
      expect(specs.map((a) => a.name)).toStrictEqual(accounts);
      // its own session is read; another shard's file is not mounted here and is not read
      expect(specs.find((a) => a.name === account)?.session).toBe(`session-of-${account}`);
      expect(specs.filter((a) => a.name !== account).every((a) => a.session === '')).toBe(true);
      for (const p of config.pairs ?? []) {
        const owner = rendezvousOwner(p.name, accounts);
        if (owner === account) {
          expect(owned.has(p.name), `${p.name} runs in one shard only`).toBe(false);
          owned.set(p.name, account);
        }
      }
    }
    const pairs = (parse(text) as { pairs: { name: string }[] }).pairs.map((p) => p.name);
    expect([...owned.keys()].sort()).toStrictEqual([...pairs].sort());
  });
});
