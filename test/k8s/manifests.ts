/**
 * Helpers of the manifest tests: load every YAML document under k8s/, and validate one against the JSON schema of
 * its apiVersion and kind: core kinds with the kubernetes-models package; custom resources (Argo Rollouts,
 * Flagger, Prometheus Operator) with the CRD schemas vendored from upstream (crd-schemas.ts) — the
 * @kubernetes-models/argo-rollouts package predates Argo Rollouts 1.8 (no consecutiveSuccessLimit) and none ships
 * Flagger's.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const K8S_DIR = join(ROOT, 'k8s');

export type Obj = Record<string, unknown>;

export interface ManifestDoc {
  file: string;
  index: number;
  doc: Obj;
}

export function yamlFiles(dir: string = K8S_DIR): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(name) && !/\.test\.ya?ml$/.test(name)) out.push(p); // *.test.yaml: promtool unit tests
  }
  return out;
}

export function rel(file: string): string {
  return relative(ROOT, file);
}

export function loadDocs(file: string): Obj[] {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'));
  const out: Obj[] = [];
  for (const d of docs) {
    if (d.errors.length > 0) throw new Error(`${rel(file)}: ${d.errors.map((e) => e.message).join('; ')}`);
    const value: unknown = d.toJS();
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${rel(file)}: a document is not a mapping`);
    out.push(value as Obj);
  }
  return out;
}

/** Every Kubernetes object under k8s/ (kustomization files excluded). */
export function loadManifests(): ManifestDoc[] {
  const out: ManifestDoc[] = [];
  for (const file of yamlFiles()) {
    loadDocs(file).forEach((doc, index) => {
      if (doc['kind'] !== 'Kustomization') out.push({ file, index, doc });
    });
  }
  return out;
}

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function get(o: unknown, ...path: (string | number)[]): unknown {
  let cur: unknown = o;
  for (const k of path) {
    if (typeof k === 'number') cur = Array.isArray(cur) ? cur[k] : undefined;
    else cur = isObj(cur) ? cur[k] : undefined;
  }
  return cur;
}

/** Module holding the model classes of an apiVersion, or undefined when no package ships its schema. */
function modelModule(apiVersion: string): string | undefined {
  const [group, version] = apiVersion.includes('/') ? (apiVersion.split('/') as [string, string]) : ['', apiVersion];
  if (group === '') return `kubernetes-models/${version}`;
  if (group === 'argoproj.io') return `@kubernetes-models/argo-rollouts/argoproj.io/${version}`;
  if (group === 'monitoring.coreos.com') return `@kubernetes-models/prometheus-operator/monitoring.coreos.com/${version}`;
  if (!group.includes('.') || group.endsWith('.k8s.io')) return `kubernetes-models/${group}/${version}`;
  return undefined;
}

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: Obj) => Validatable;

/**
 * Validates one object against the schema of its apiVersion and kind. Returns `null` when valid, else the
 * validation message. Throws when no schema is known for the kind (so a new manifest cannot go unchecked).
 */
export async function validateManifest(doc: Obj): Promise<string | null> {
  const apiVersion = String(doc['apiVersion'] ?? '');
  const kind = String(doc['kind'] ?? '');
  const { hasCrd, validateCustomResource } = await import('./crd-schemas.js');
  if (hasCrd(apiVersion, kind)) return validateCustomResource(doc);
  const mod = modelModule(apiVersion);
  if (!mod) throw new Error(`no schema package known for ${apiVersion} ${kind}`);
  const exports = (await import(mod)) as Record<string, unknown>;
  const Cls = exports[kind];
  if (typeof Cls !== 'function') throw new Error(`${mod} has no model for kind ${kind}`);
  try {
    new (Cls as ModelClass)(structuredClone(doc)).validate();
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** Every container spec anywhere in an object (pods, jobs, cronjobs, Argo job providers). */
export function findContainers(o: unknown): Obj[] {
  const out: Obj[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isObj(v)) {
      for (const [k, child] of Object.entries(v)) {
        if ((k === 'containers' || k === 'initContainers') && Array.isArray(child)) out.push(...child.filter(isObj));
        walk(child);
      }
    }
  };
  walk(o);
  return out;
}

// ---------------------------------------------------------------- unknown fields
// The JSON schemas of these packages allow unknown properties, while `kubectl apply` (strict field validation)
// rejects them. So a typo such as `concurencyPolicy` would pass validateManifest; this check catches it by
// comparing every key with the vocabulary of property names the schemas define (global, not per position).

const NM = join(ROOT, 'node_modules');
/** Maps whose keys are free-form (labels, data, resource names…), not schema properties. */
const FREE_MAPS = new Set(['labels', 'annotations', 'data', 'stringData', 'binaryData', 'matchLabels', 'nodeSelector', 'limits', 'requests']);

function schemaDirs(): string[] {
  const dirs = [join(NM, 'kubernetes-models/_schemas')];
  for (const scope of [join(NM, '@kubernetes-models'), join(NM, 'kubernetes-models/node_modules/@kubernetes-models')]) {
    try {
      for (const pkg of readdirSync(scope)) dirs.push(join(scope, pkg, '_schemas'));
    } catch {
      // scope not present
    }
  }
  dirs.push(join(NM, '@kubernetes-models/argo-rollouts/argoproj.io'));
  return dirs;
}

let vocabulary: Set<string> | undefined;

/** Property names defined by the installed schema packages (precompiled validators and JSON schemas). */
export function schemaVocabulary(): Set<string> {
  if (vocabulary) return vocabulary;
  const v = new Set<string>();
  const scan = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) scan(p);
      else if (/\.m?js$/.test(n)) {
        const text = readFileSync(p, 'utf8');
        for (const m of text.matchAll(/(?:parentDataProperty|missingProperty):"([^"]+)"/g)) v.add(m[1] as string);
        for (const m of text.matchAll(/"([A-Za-z0-9_$-]+)":\s*\{/g)) v.add(m[1] as string);
      }
    }
  };
  for (const d of schemaDirs()) scan(d);
  vocabulary = v;
  return v;
}

/** Paths of keys in `doc` that no installed schema defines. */
export function unknownFields(doc: Obj, vocab: Set<string> = schemaVocabulary()): string[] {
  const out: string[] = [];
  const walk = (v: unknown, path: string, parentKey: string): void => {
    if (Array.isArray(v)) v.forEach((item, i) => walk(item, `${path}[${i}]`, parentKey));
    else if (isObj(v)) {
      if (FREE_MAPS.has(parentKey)) return;
      if (parentKey === 'selector' && doc['kind'] === 'Service') return;
      for (const [k, child] of Object.entries(v)) {
        const p = path ? `${path}.${k}` : k;
        if (!vocab.has(k)) out.push(p);
        walk(child, p, k);
      }
    }
  };
  walk(doc, '', '');
  return out;
}

/** Every pod spec (an object with `containers`) anywhere in an object. */
export function findPodSpecs(o: unknown): Obj[] {
  const out: Obj[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isObj(v)) {
      if (Array.isArray(v['containers'])) out.push(v);
      for (const child of Object.values(v)) walk(child);
    }
  };
  walk(o);
  return out;
}
