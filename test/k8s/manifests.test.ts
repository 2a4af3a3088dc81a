import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_VARS } from '../../src/config/index.js';
import { EXIT } from '../../src/core/errors.js';
import { checkScenarioText } from '../../src/scenarios/index.js';
import {
  checkFlaggerCanary, findContainers, get, isObj, K8S_DIR, loadDocs, loadManifests, type Obj, rel, schemaVocabulary, unknownFields,
  validateManifest, yamlFiles,
} from './manifests.js';

const manifests = loadManifests();
const ENV_NAMES = new Set(ENV_VARS.map((e) => e.name));

function find(kind: string, name?: string): Obj {
  const m = manifests.find((d) => d.doc['kind'] === kind && (name === undefined || get(d.doc, 'metadata', 'name') === name));
  if (!m) throw new Error(`no ${kind}${name ? ` ${name}` : ''} under k8s/`);
  return m.doc;
}

describe('every manifest validates against the schema of its apiVersion and kind', () => {
  it('finds the expected kinds', () => {
    const kinds = new Set(manifests.map((m) => `${String(m.doc['apiVersion'])} ${String(m.doc['kind'])}`));
    for (const k of [
      'batch/v1 CronJob', 'v1 Secret', 'v1 ConfigMap', 'v1 PersistentVolumeClaim', 'apps/v1 Deployment', 'v1 Service',
      'monitoring.coreos.com/v1 PodMonitor', 'monitoring.coreos.com/v1 PrometheusRule',
      'argoproj.io/v1alpha1 AnalysisTemplate', 'flagger.app/v1beta1 Canary',
    ]) {
      expect(kinds, k).toContain(k);
    }
  });

  for (const m of manifests) {
    it(`${rel(m.file)}#${m.index} ${String(m.doc['kind'])} ${String(get(m.doc, 'metadata', 'name'))}`, async () => {
      expect(await validateManifest(m.doc)).toBeNull();
    });
  }
});

describe('no unknown fields (kubectl applies with strict field validation)', () => {
  it('the schema vocabulary is loaded', () => {
    const v = schemaVocabulary();
    for (const k of ['concurrencyPolicy', 'matchLabels', 'podMetricsEndpoints', 'successCondition', 'inconclusiveLimit']) expect(v.has(k), k).toBe(true);
    expect(v.has('concurencyPolicy')).toBe(false);
  });

  for (const m of manifests.filter((d) => d.doc['kind'] !== 'Canary')) {
    it(`${rel(m.file)}#${m.index} ${String(m.doc['kind'])}`, () => {
      expect(unknownFields(m.doc)).toEqual([]);
    });
  }

  it('flags a misspelled field', () => {
    const cj = structuredClone(find('CronJob'));
    const spec = cj['spec'] as Obj;
    spec['concurencyPolicy'] = spec['concurrencyPolicy'];
    delete spec['concurrencyPolicy'];
    expect(unknownFields(cj)).toEqual(['spec.concurencyPolicy']);
  });
});

describe('the validation can fail', () => {
  const mutate = (doc: Obj, f: (d: Obj) => void): Obj => {
    const copy = structuredClone(doc);
    f(copy);
    return copy;
  };

  it('rejects a CronJob whose schedule is a number', async () => {
    const bad = mutate(find('CronJob'), (d) => { (d['spec'] as Obj)['schedule'] = 5; });
    expect(await validateManifest(bad)).toMatch(/schedule must be string/);
  });

  it('rejects a Deployment whose replicas is a string', async () => {
    const bad = mutate(find('Deployment'), (d) => { (d['spec'] as Obj)['replicas'] = 'one'; });
    expect(await validateManifest(bad)).toMatch(/replicas/);
  });

  it('rejects an AnalysisTemplate whose web url is a number (CRD schema)', async () => {
    const bad = mutate(find('AnalysisTemplate', 'tg-canary-web'), (d) => {
      const web = get(d, 'spec', 'metrics', 0, 'provider', 'web') as Obj;
      web['url'] = 8080;
    });
    expect(await validateManifest(bad)).toMatch(/url must be string/);
  });

  it('rejects a PrometheusRule whose group has no rules list (CRD schema)', async () => {
    const bad = mutate(find('PrometheusRule'), (d) => {
      (get(d, 'spec', 'groups', 0) as Obj)['rules'] = 'none';
    });
    expect(await validateManifest(bad)).toMatch(/rules/);
  });

  it('rejects a Flagger Canary with an unknown webhook type', () => {
    const bad = mutate(find('Canary'), (d) => {
      (get(d, 'spec', 'analysis', 'webhooks', 0) as Obj)['type'] = 'confirm-everything';
    });
    expect(checkFlaggerCanary(bad)).toMatch(/webhooks\[0\]\.type must be one of/);
    const noPort = mutate(find('Canary'), (d) => { (get(d, 'spec', 'service') as Obj)['port'] = '8080'; });
    expect(checkFlaggerCanary(noPort)).toMatch(/spec\.service\.port/);
  });

  it('refuses kinds it has no schema for', async () => {
    await expect(validateManifest({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'x' } })).rejects.toThrow(/no schema/);
  });
});

describe('environment variables the manifests set are known to the config', () => {
  const byName = (kind: string, name: string): Obj | undefined =>
    manifests.find((m) => m.doc['kind'] === kind && get(m.doc, 'metadata', 'name') === name)?.doc;

  const keysOf = (doc: Obj): string[] => [
    ...Object.keys(isObj(doc['data']) ? doc['data'] : {}),
    ...Object.keys(isObj(doc['stringData']) ? doc['stringData'] : {}),
  ];

  it('ENV_VARS is the config list (sanity)', () => {
    expect(ENV_NAMES.has('TG_SESSION')).toBe(true);
    expect(ENV_NAMES.has('NOT_A_TG_CANARY_VAR')).toBe(false);
  });

  it('env[].name and envFrom keys are all in ENV_VARS, and envFrom sources exist', () => {
    const used: string[] = [];
    let containers = 0;
    for (const m of manifests) {
      for (const c of findContainers(m.doc)) {
        containers++;
        const env = Array.isArray(c['env']) ? c['env'] : [];
        for (const e of env) used.push(`${rel(m.file)}: env ${String(get(e, 'name'))}`);
        const envFrom = Array.isArray(c['envFrom']) ? c['envFrom'] : [];
        for (const src of envFrom) {
          const cm = get(src, 'configMapRef', 'name');
          const sec = get(src, 'secretRef', 'name');
          const kind = cm !== undefined ? 'ConfigMap' : 'Secret';
          const name = String(cm ?? sec);
          const doc = byName(kind, name);
          expect(doc, `${rel(m.file)}: envFrom ${kind} ${name} is not defined under k8s/`).toBeDefined();
          for (const k of keysOf(doc as Obj)) used.push(`${kind} ${name}: ${k}`);
        }
      }
    }
    expect(containers).toBeGreaterThanOrEqual(3);
    expect(used.length).toBeGreaterThan(10);
    const unknown = used.filter((u) => !ENV_NAMES.has(u.split(/[: ]+/).pop() as string));
    expect(unknown).toEqual([]);
  });

  it('keys suggested in comments of Secret and ConfigMap templates are known too', () => {
    let checked = 0;
    for (const file of yamlFiles()) {
      const text = readFileSync(file, 'utf8');
      if (!/kind: (Secret|ConfigMap)/.test(text) || /configmap-scenarios/.test(file)) continue;
      const commented = [...text.matchAll(/^\s*#\s*([A-Z][A-Z0-9_]+):\s*"/gm)].map((m) => m[1] as string);
      expect(commented.filter((k) => !ENV_NAMES.has(k)), rel(file)).toEqual([]);
      checked += commented.length;
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('no Secret template carries a real-looking value', () => {
    for (const m of manifests.filter((d) => d.doc['kind'] === 'Secret')) {
      const data = get(m.doc, 'stringData');
      expect(get(m.doc, 'data'), 'use stringData placeholders, not base64 data').toBeUndefined();
      for (const [k, v] of Object.entries(isObj(data) ? data : {})) {
        const secret = ENV_VARS.find((e) => e.name === k)?.secret ?? false;
        if (secret) expect(v, `${rel(m.file)}: ${k}`).toBe('REPLACE_ME');
      }
    }
  });
});

describe('kustomizations', () => {
  const kustomizations = yamlFiles().filter((f) => /kustomization\.ya?ml$/.test(f));

  it('k8s/kustomization.yaml exists and every listed resource exists', () => {
    expect(kustomizations.map(rel)).toContain('k8s/kustomization.yaml');
    for (const k of kustomizations) {
      const doc = loadDocs(k)[0] as Obj;
      expect(doc['kind'], rel(k)).toBe('Kustomization');
      const resources = doc['resources'];
      expect(Array.isArray(resources) && resources.length > 0, rel(k)).toBe(true);
      for (const r of resources as unknown[]) {
        const p = resolve(dirname(k), String(r));
        expect(existsSync(p), `${rel(k)} lists ${String(r)}`).toBe(true);
        if (statSync(p).isDirectory()) expect(existsSync(join(p, 'kustomization.yaml')), `${String(r)} has a kustomization`).toBe(true);
      }
    }
  });

  it('every manifest file is listed by some kustomization', () => {
    const listed = new Set<string>();
    for (const k of kustomizations) {
      for (const r of (loadDocs(k)[0] as Obj)['resources'] as unknown[]) listed.add(resolve(dirname(k), String(r)));
    }
    const orphans = yamlFiles().filter((f) => !/kustomization\.ya?ml$/.test(f) && !listed.has(f));
    expect(orphans.map(rel)).toEqual([]);
  });

  it('serve mode and CronJob mode never share the PVC in one kustomization', () => {
    const main = (loadDocs(join(K8S_DIR, 'kustomization.yaml'))[0] as Obj)['resources'] as string[];
    expect(main).toContain('deployment.yaml');
    expect(main.some((r) => r.includes('cronjob'))).toBe(false);
    expect(get(find('Deployment'), 'spec', 'replicas')).toBe(1);
    expect(get(find('Deployment'), 'spec', 'strategy', 'type')).toBe('Recreate');
    expect(get(find('PersistentVolumeClaim'), 'spec', 'accessModes')).toEqual(['ReadWriteOnce']);
  });
});

describe('recipes point at the endpoints and exit codes tg-canary implements', () => {
  const service = find('Service', 'tg-canary');
  const base = `http://${String(get(service, 'metadata', 'name'))}.tg-canary.svc:${String(get(service, 'spec', 'ports', 0, 'port'))}`;

  it('CronJob: hourly, Forbid, deadlines, no retries, ttl, history limits', () => {
    const cj = find('CronJob');
    expect(get(cj, 'spec', 'schedule')).toBe('0 * * * *');
    expect(get(cj, 'spec', 'concurrencyPolicy')).toBe('Forbid');
    expect(get(cj, 'spec', 'startingDeadlineSeconds')).toBeTypeOf('number');
    expect(get(cj, 'spec', 'successfulJobsHistoryLimit')).toBeTypeOf('number');
    expect(get(cj, 'spec', 'failedJobsHistoryLimit')).toBeTypeOf('number');
    expect(get(cj, 'spec', 'jobTemplate', 'spec', 'backoffLimit')).toBe(0);
    expect(get(cj, 'spec', 'jobTemplate', 'spec', 'activeDeadlineSeconds')).toBeLessThan(3600);
    expect(get(cj, 'spec', 'jobTemplate', 'spec', 'ttlSecondsAfterFinished')).toBeTypeOf('number');
  });

  it('Deployment: probes, non-root, read-only root with /tmp emptyDir', () => {
    const d = find('Deployment');
    const c = findContainers(d)[0] as Obj;
    expect(get(c, 'args')).toEqual(['serve']);
    expect(get(c, 'livenessProbe', 'httpGet', 'path')).toBe('/health');
    expect(get(c, 'readinessProbe', 'httpGet', 'path')).toBe('/ready');
    expect(get(d, 'spec', 'template', 'spec', 'securityContext', 'runAsNonRoot')).toBe(true);
    expect(get(c, 'securityContext', 'readOnlyRootFilesystem')).toBe(true);
    const mounts = get(c, 'volumeMounts') as Obj[];
    const tmp = mounts.find((m) => m['mountPath'] === '/tmp');
    const vols = get(d, 'spec', 'template', 'spec', 'volumes') as Obj[];
    expect(get(vols.find((v) => v['name'] === tmp?.['name']), 'emptyDir')).toBeDefined();
    expect(get(d, 'spec', 'template', 'metadata', 'annotations', 'prometheus.io/scrape')).toBe('true');
  });

  it('the scenarios ConfigMap holds valid scenario files (checked by the scenario loader)', () => {
    const data = get(find('ConfigMap', 'tg-canary-scenarios'), 'data') as Record<string, string>;
    expect(Object.keys(data).length).toBeGreaterThan(0);
    for (const [file, text] of Object.entries(data)) {
      expect(file).toMatch(/\.ya?ml$/);
      const { scenario, issues } = checkScenarioText(file, text);
      expect(issues, file).toEqual([]);
      expect(scenario?.steps.length, file).toBeGreaterThan(0);
    }
    const broken = checkScenarioText('broken.yaml', (Object.values(data)[0] as string).replace(/^steps:/m, 'stepz:'));
    expect(broken.issues.length).toBeGreaterThan(0);
  });

  it('PrometheusRule: the canary alerts look at the canary only (their behaviour: test/integrations/prometheus.test.ts)', () => {
    const rules = new Map((get(find('PrometheusRule'), 'spec', 'groups', 0, 'rules') as Obj[]).map((r) => [String(r['alert']), String(r['expr'])]));
    expect(rules.get('TgCanaryCanaryFailing')).toMatch(/target="canary", verdict="fail"/);
    expect(rules.get('TgCanaryInconclusiveTooLong')).toMatch(/target="canary", verdict="inconclusive"/);
    expect(rules.get('TgCanaryNoRecentSuccess')).toMatch(/unless on \(target\)/);
  });

  it('Argo web provider: /v1/verdict with the revision, pass/fail conditions on $.verdict', () => {
    const m = get(find('AnalysisTemplate', 'tg-canary-web'), 'spec', 'metrics', 0) as Obj;
    expect(get(m, 'provider', 'web', 'url')).toBe(`${base}/v1/verdict?target=canary&revision={{args.revision}}`);
    expect(get(m, 'provider', 'web', 'jsonPath')).toBe('{$.verdict}');
    expect(m['successCondition']).toBe('result == "pass"');
    expect(m['failureCondition']).toBe('result == "fail"');
    expect(m['inconclusiveLimit']).toBeGreaterThan(0);
  });

  it('Argo job provider: tg-canary run --target canary with the exit-code contract', () => {
    const t = find('AnalysisTemplate', 'tg-canary-job');
    const c = findContainers(t)[0] as Obj;
    const args = (get(c, 'args') as unknown[]).map(String);
    expect(args.slice(0, 3)).toEqual(['run', '--target', 'canary']);
    const i = args.indexOf('--inconclusive-exit-code');
    expect(i).toBeGreaterThan(0);
    expect(Number(args[i + 1])).toBe(EXIT.inconclusive);
    expect(get(t, 'spec', 'metrics', 0, 'provider', 'job', 'spec', 'backoffLimit')).toBe(0);
  });

  it('Flagger: gate for confirm-rollout, pre-rollout, confirm-promotion; rollback endpoint', () => {
    const hooks = get(find('Canary'), 'spec', 'analysis', 'webhooks') as Obj[];
    const byType = new Map(hooks.map((h) => [String(h['type']), String(h['url'])]));
    for (const t of ['confirm-rollout', 'pre-rollout', 'confirm-promotion']) expect(byType.get(t)).toBe(`${base}/v1/flagger/gate`);
    expect(byType.get('rollback')).toBe(`${base}/v1/flagger/rollback`);
  });
});
