import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_VARS } from '../../src/config/index.js';
import { EXIT } from '../../src/core/errors.js';
import { checkScenarioText } from '../../src/scenarios/index.js';
import { hasCrd } from './crd-schemas.js';
import {
  findContainers, findPodSpecs, get, isObj, K8S_DIR, loadDocs, loadManifests, type Obj, rel, schemaVocabulary, unknownFields,
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

  // custom resources: their vendored CRD schemas reject unknown fields themselves (see the section below)
  for (const m of manifests.filter((d) => !hasCrd(String(d.doc['apiVersion']), String(d.doc['kind'])))) {
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
    expect(await validateManifest(bad)).toMatch(/\/provider\/web\/url: must be string/);
  });

  it('rejects a PrometheusRule whose group has no rules list (CRD schema)', async () => {
    const bad = mutate(find('PrometheusRule'), (d) => {
      (get(d, 'spec', 'groups', 0) as Obj)['rules'] = 'none';
    });
    expect(await validateManifest(bad)).toMatch(/rules/);
  });

  it('rejects a Flagger Canary with an unknown webhook type or a string port (Flagger v1.44 CRD)', async () => {
    const bad = mutate(find('Canary'), (d) => {
      (get(d, 'spec', 'analysis', 'webhooks', 0) as Obj)['type'] = 'confirm-everything';
    });
    expect(await validateManifest(bad)).toMatch(/\/spec\/analysis\/webhooks\/0\/type: must be equal to one of the allowed values/);
    const noPort = mutate(find('Canary'), (d) => { (get(d, 'spec', 'service') as Obj)['port'] = '8080'; });
    expect(await validateManifest(noPort)).toMatch(/\/spec\/service\/port: must be number/);
  });

  it('the vendored CRD schemas reject misspelled fields (strict field validation, as kubectl applies)', async () => {
    const argo = mutate(find('AnalysisTemplate', 'tg-canary-web'), (d) => {
      const m = get(d, 'spec', 'metrics', 0) as Obj;
      m['consecutiveSucessLimit'] = 1;
    });
    expect(await validateManifest(argo)).toMatch(/must NOT have additional properties \(consecutiveSucessLimit\)/);
    const flagger = mutate(find('Canary'), (d) => { (get(d, 'spec', 'analysis') as Obj)['treshold'] = 3; });
    expect(await validateManifest(flagger)).toMatch(/\(treshold\)/);
    const pm = mutate(find('PodMonitor'), (d) => { (get(d, 'spec', 'podMetricsEndpoints', 0) as Obj)['intervall'] = '1m'; });
    expect(await validateManifest(pm)).toMatch(/\(intervall\)/);
    // an older Argo Rollouts (the @kubernetes-models package's schema) does not know consecutiveSuccessLimit:
    // the vendored v1.9.1 schema does
    expect(await validateManifest(find('AnalysisTemplate', 'tg-canary-web'))).toBeNull();
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

  it('env[].name and envFrom keys are all in ENV_VARS; envFrom only for ConfigMaps, never Secrets', () => {
    const used: string[] = [];
    let containers = 0;
    for (const m of manifests) {
      for (const c of findContainers(m.doc)) {
        containers++;
        const env = Array.isArray(c['env']) ? c['env'] : [];
        for (const e of env) used.push(`${rel(m.file)}: env ${String(get(e, 'name'))}`);
        const envFrom = Array.isArray(c['envFrom']) ? c['envFrom'] : [];
        for (const src of envFrom) {
          expect(get(src, 'secretRef'), `${rel(m.file)}: secrets are mounted as files, not envFrom`).toBeUndefined();
          const name = String(get(src, 'configMapRef', 'name'));
          const doc = byName('ConfigMap', name);
          expect(doc, `${rel(m.file)}: envFrom ConfigMap ${name} is not defined under k8s/`).toBeDefined();
          for (const k of keysOf(doc as Obj)) used.push(`ConfigMap ${name}: ${k}`);
        }
      }
    }
    expect(containers).toBeGreaterThanOrEqual(3);
    expect(used.length).toBeGreaterThan(10);
    const unknown = used.filter((u) => !ENV_NAMES.has(u.split(/[: ]+/).pop() as string));
    expect(unknown).toEqual([]);
  });

  it('secrets arrive as files: every *_FILE path is a key of a Secret mounted there, and every key is read', () => {
    let checked = 0;
    // a fleet config (a ConfigMap) reads account sessions through `telegram.accounts[].sessionFile`
    const configReads = yamlFiles().flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/sessionFile:\s*([^\s,}]+)/g)].map((m) => m[1] as string));
    for (const m of manifests) {
      const pod = findPodSpecs(m.doc);
      for (const spec of pod) {
        const vols = (Array.isArray(spec['volumes']) ? spec['volumes'] : []) as Obj[];
        for (const c of (spec['containers'] as Obj[])) {
          const mounts = (Array.isArray(c['volumeMounts']) ? c['volumeMounts'] : []) as Obj[];
          const fileVars = ((Array.isArray(c['env']) ? c['env'] : []) as Obj[]).filter((e) => String(e['name']).endsWith('_FILE'));
          const secretMounts = mounts.filter((mt) => get(vols.find((v) => v['name'] === mt['name']), 'secret') !== undefined);
          for (const e of fileVars) {
            expect(secretMounts.some((mt) => String(e['value']).startsWith(`${String(mt['mountPath'])}/`)),
              `${rel(m.file)}: ${String(e['name'])} points into a mounted Secret`).toBe(true);
          }
          for (const mt of secretMounts) {
            const secretName = String(get(vols.find((v) => v['name'] === mt['name']), 'secret', 'secretName'));
            // readable by the non-root user: group-read for the pod's fsGroup, which is the user's group
            expect(get(vols.find((v) => v['name'] === mt['name']), 'secret', 'defaultMode'), rel(m.file)).toBe(0o440);
            expect(get(spec, 'securityContext', 'fsGroup'), rel(m.file)).toBe(get(spec, 'securityContext', 'runAsGroup'));
            const secret = byName('Secret', secretName);
            expect(secret, `${rel(m.file)}: Secret ${secretName}`).toBeDefined();
            const keys = keysOf(secret as Obj);
            const read = [...fileVars.map((e) => String(e['value'])), ...configReads].filter((v) => v.startsWith(`${String(mt['mountPath'])}/`)).map((v) => v.split('/').pop() as string);
            // each *_FILE variable against the Secret mounted where its path points (a pod may mount several)
            for (const e of fileVars.filter((v) => String(v['value']).startsWith(`${String(mt['mountPath'])}/`))) {
              const file = String(e['value']).split('/').pop() as string;
              expect(keys, `${rel(m.file)}: ${String(e['name'])} reads ${file}`).toContain(file);
              expect(ENV_NAMES.has(String(e['name'])), String(e['name'])).toBe(true);
              expect(file.toUpperCase(), `${String(e['name'])} reads the key of its own variable`).toBe(String(e['name']).replace(/_FILE$/, ''));
              checked++;
            }
            // a key in the Secret nobody reads is a key someone thinks is used
            expect(keys.filter((k) => !read.includes(k) && !(k === 'serve_token' && m.doc['kind'] === 'CronJob')), rel(m.file)).toEqual([]);
          }
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(6);
  });

  it('keys suggested in comments of Secret and ConfigMap templates are known too', () => {
    let checked = 0;
    for (const file of yamlFiles()) {
      const text = readFileSync(file, 'utf8');
      if (!/kind: (Secret|ConfigMap)/.test(text) || /configmap-scenarios/.test(file)) continue;
      const commented = [...text.matchAll(/^\s*#\s*([A-Za-z][A-Za-z0-9_]+):\s*"/gm)].map((m) => (m[1] as string).toUpperCase());
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
        const secret = ENV_VARS.find((e) => e.name === k.toUpperCase())?.secret ?? false; // keys are file names
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

  it.skipIf(!existsSync('/usr/bin/kubectl') && !existsSync('/usr/local/bin/kubectl'))('`kubectl kustomize` renders every recipe; the rendered objects validate, with the qualified image', async () => {
    const { runTool } = await import('../integrations/tools.js');
    const { parseAllDocuments } = await import('yaml');
    const kubectl = existsSync('/usr/bin/kubectl') ? '/usr/bin/kubectl' : '/usr/local/bin/kubectl';
    for (const dir of ['', 'cronjob', 'argo', 'flagger', 'fleet-postgres']) {
      const r = await runTool(kubectl, ['kustomize', join(K8S_DIR, dir)]);
      expect(r.code, r.stderr).toBe(0);
      const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as Obj);
      expect(docs.length, dir).toBeGreaterThan(0);
      for (const d of docs) {
        expect(await validateManifest(d), `${dir || '.'}: ${String(d['kind'])}`).toBeNull();
        for (const c of findContainers(d)) expect(String(c['image'])).toBe('registry.example.com/your-team/tg-canary:0.1.0');
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
  });

  it('one scrape only: the PodMonitor (with the release label kube-prometheus-stack selects), no prometheus.io annotations', () => {
    expect(get(find('Deployment'), 'spec', 'template', 'metadata', 'annotations')).toBeUndefined();
    expect(get(find('Service', 'tg-canary'), 'metadata', 'annotations')).toBeUndefined();
    expect(get(find('PodMonitor'), 'metadata', 'labels', 'release')).toBe('kube-prometheus-stack');
    expect(get(find('PrometheusRule'), 'metadata', 'labels', 'release')).toBe('kube-prometheus-stack');
  });

  it('images: a fully qualified placeholder set by kustomize, never an unqualified name', () => {
    for (const k of ['kustomization.yaml', 'cronjob/kustomization.yaml', 'argo/kustomization.yaml']) {
      const images = (loadDocs(join(K8S_DIR, k))[0] as Obj)['images'] as Obj[];
      expect(images, k).toHaveLength(1);
      expect(String(images[0]?.['newName']), k).toMatch(/^[a-z0-9.-]+\.[a-z]+\/.+\/tg-canary$/);
    }
    for (const m of manifests) {
      for (const c of findContainers(m.doc)) expect(c['image'], rel(m.file)).toBe('tg-canary'); // replaced by kustomize
    }
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

  it('Argo job provider: tg-canary run --target both (shared-outage guard), the user\'s scenarios, the exit-code contract', () => {
    const t = find('AnalysisTemplate', 'tg-canary-job');
    const c = findContainers(t)[0] as Obj;
    const args = (get(c, 'args') as unknown[]).map(String);
    expect(args.slice(0, 3)).toEqual(['run', '--target', 'both']);
    const env = new Map(((get(c, 'env') as Obj[]) ?? []).map((e) => [String(e['name']), String(e['value'])]));
    expect(env.get('STABLE_BOT')).toMatch(/\S/);
    expect(env.get('CANARY_BOT')).toMatch(/\S/);
    // scenarios from a ConfigMap of the user's own, not the image's shipped demo scenarios (/app/scenarios)
    expect(env.get('SCENARIOS_DIR')).toBe('/scenarios');
    const mount = (get(c, 'volumeMounts') as Obj[]).find((mt) => mt['mountPath'] === '/scenarios');
    const vols = get(t, 'spec', 'metrics', 0, 'provider', 'job', 'spec', 'template', 'spec', 'volumes') as Obj[];
    expect(get(vols.find((v) => v['name'] === mount?.['name']), 'configMap', 'name')).toBe('tg-canary-scenarios');
    const i = args.indexOf('--inconclusive-exit-code');
    expect(i).toBeGreaterThan(0);
    expect(Number(args[i + 1])).toBe(EXIT.inconclusive);
    expect(get(t, 'spec', 'metrics', 0, 'provider', 'job', 'spec', 'backoffLimit')).toBe(0);
  });

  it('Flagger: pre-rollout starts, confirm-promotion gates, rollback; no confirm-rollout (behaviour: test/integrations/flagger-argo.test.ts)', () => {
    const hooks = get(find('Canary'), 'spec', 'analysis', 'webhooks') as Obj[];
    const byType = new Map(hooks.map((h) => [String(h['type']), String(h['url'])]));
    expect([...byType.keys()].sort()).toEqual(['confirm-promotion', 'pre-rollout', 'rollback']);
    expect(byType.get('pre-rollout')).toBe(`${base}/v1/flagger/start`);
    expect(byType.get('confirm-promotion')).toBe(`${base}/v1/flagger/gate`);
    expect(byType.get('rollback')).toBe(`${base}/v1/flagger/rollback`);
    expect(get(find('Canary'), 'spec', 'provider')).toBe('kubernetes');
  });
});
