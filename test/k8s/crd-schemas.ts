/**
 * Validates custom resources against the CRD schemas vendored from upstream (test/fixtures/schemas/crds/, source
 * and version in test/fixtures/schemas/README.md), the way the API server does: the version's openAPIV3Schema,
 * with unknown fields rejected (strict field validation) except under x-kubernetes-preserve-unknown-fields, and
 * x-kubernetes-int-or-string accepting both. Validation by ajv (draft-07 subset the CRD schemas use).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { ROOT, type Obj } from './manifests.js';

export const CRD_DIR = join(ROOT, 'test/fixtures/schemas/crds');

type Schema = Record<string, unknown>;

/** Makes a structural CRD schema strict: unknown properties are errors, int-or-string is int or string. */
function strict(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(strict);
  if (typeof s !== 'object' || s === null) return s;
  const src = s as Schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(src)) {
    if (k.startsWith('x-kubernetes-')) continue;
    out[k] = k === 'properties' || k === 'patternProperties' || k === 'definitions'
      ? Object.fromEntries(Object.entries(v as Schema).map(([pk, pv]) => [pk, strict(pv)]))
      : strict(v);
  }
  if (src['x-kubernetes-int-or-string'] === true) {
    delete out['type'];
    out['anyOf'] = [{ type: 'integer' }, { type: 'string' }];
  }
  if (src['nullable'] === true && typeof out['type'] === 'string') out['type'] = [out['type'], 'null'];
  delete out['nullable'];
  if (out['properties'] && out['additionalProperties'] === undefined && src['x-kubernetes-preserve-unknown-fields'] !== true) {
    out['additionalProperties'] = false;
  }
  return out;
}

interface CrdVersion { group: string; kind: string; version: string; validate: ValidateFunction }
let loaded: Map<string, CrdVersion> | undefined;

/** Go (RE2) patterns in CRD schemas may hold `(?i)` (e.g. `^(?i)(abort|warn)?$`); JavaScript takes it as the `i` flag. */
const goRegExp = Object.assign(
  (pattern: string, flags: string): RegExp => (pattern.includes('(?i)') ? new RegExp(pattern.replaceAll('(?i)', ''), `${flags}i`) : new RegExp(pattern, flags)),
  { code: 'new RegExp' },
);

function load(): Map<string, CrdVersion> {
  if (loaded) return loaded;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, code: { regExp: goRegExp } });
  const out = new Map<string, CrdVersion>();
  for (const file of readdirSync(CRD_DIR).filter((f) => f.endsWith('.yaml'))) {
    for (const d of parseAllDocuments(readFileSync(join(CRD_DIR, file), 'utf8'))) {
      const crd = d.toJS() as { kind?: string; spec?: { group: string; names: { kind: string }; versions: { name: string; schema?: { openAPIV3Schema: Schema } }[] } } | null;
      if (!crd || crd.kind !== 'CustomResourceDefinition' || !crd.spec) continue;
      for (const v of crd.spec.versions) {
        if (!v.schema) continue;
        const schema = strict(v.schema.openAPIV3Schema) as Schema;
        // apiVersion/kind/metadata are checked by the API server itself
        const props = (schema['properties'] ?? {}) as Schema;
        props['apiVersion'] = { type: 'string' };
        props['kind'] = { type: 'string' };
        props['metadata'] = { type: 'object' };
        schema['properties'] = props;
        const key = `${crd.spec.group}/${v.name} ${crd.spec.names.kind}`;
        out.set(key, { group: crd.spec.group, kind: crd.spec.names.kind, version: v.name, validate: ajv.compile(schema) });
      }
    }
  }
  loaded = out;
  return out;
}

/** True when a vendored CRD defines this apiVersion and kind. */
export function hasCrd(apiVersion: string, kind: string): boolean {
  return load().has(`${apiVersion} ${kind}`);
}

/** `null` when valid, else the problems as `path: message` lines. */
export function validateCustomResource(doc: Obj): string | null {
  const key = `${String(doc['apiVersion'])} ${String(doc['kind'])}`;
  const crd = load().get(key);
  if (!crd) throw new Error(`no vendored CRD for ${key}`);
  if (crd.validate(doc)) return null;
  return (crd.validate.errors ?? [])
    .map((e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}${e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : ''}`)
    .join('; ');
}
