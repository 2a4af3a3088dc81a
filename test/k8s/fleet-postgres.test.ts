/**
 * The fleet recipe (k8s/fleet-postgres/, issue 19 point 5): one serve Deployment per account shard, each with its
 * own session Secret and its own bots, all sharing one PostgreSQL URL from one Secret, and nothing on a PVC. The
 * schema validation of every manifest is in manifests.test.ts; this checks what makes the recipe safe to run.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findContainers, get, K8S_DIR, loadDocs, type Obj } from './manifests.js';

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

  it('every shard has its own session Secret and its own bots; names and selectors never overlap', () => {
    const sessions = deployments.map((d) => secretOf(d, '/run/secrets/tg-canary'));
    expect(new Set(sessions).size).toBe(deployments.length);
    expect(new Set(deployments.map((d) => env(d, 'CANARY_BOT'))).size).toBe(deployments.length);
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
});
