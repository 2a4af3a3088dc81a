/**
 * Generated reference sections of the README: environment variables (from the config's ENV_VARS) and the
 * scenario file format (from the scenario JSON Schema). `npm run docs` writes them; a test keeps them in sync.
 */
import { renderEnvMarkdown } from '../config/index.js';
import { scenarioJsonSchema } from '../scenarios/index.js';

type Json = { [k: string]: unknown };

function typeOf(s: Json): string {
  if (Array.isArray(s.enum)) return (s.enum as unknown[]).map((v) => `\`${String(v)}\``).join(' \\| ');
  if (Array.isArray(s.anyOf)) {
    const parts = (s.anyOf as Json[]).map(typeOf);
    if (parts.includes('number') && parts.includes('string') && parts.length === 2) return 'duration';
    return [...new Set(parts)].join(' \\| ');
  }
  if (s.type === 'array') return `list of ${typeOf((s.items as Json) ?? {})}`;
  if (typeof s.type === 'string') return s.type;
  return 'any';
}

function cell(text: unknown): string {
  return String(text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function walk(schema: Json, prefix: string, rows: string[], required: Set<string>): void {
  const props = (schema.properties ?? {}) as Record<string, Json>;
  for (const [key, sub] of Object.entries(props)) {
    const path = prefix ? `${prefix}.${key}` : key;
    rows.push(`| \`${path}\` | ${typeOf(sub)} | ${required.has(key) ? 'yes' : ''} | ${cell(sub.description)} |`);
    if (sub.type === 'object' && sub.properties) walk(sub, path, rows, new Set((sub.required as string[]) ?? []));
    for (const alt of (sub.anyOf as Json[] | undefined) ?? []) {
      if (alt.type === 'object' && alt.properties) walk(alt, path, rows, new Set((alt.required as string[]) ?? []));
    }
  }
}

/** Markdown tables of the scenario file format: top-level keys, then one table per step kind. */
export function renderScenarioReference(): string {
  const schema = scenarioJsonSchema() as Json;
  const out: string[] = [];
  const head = ['| Key | Type | Required | Description |', '| --- | --- | --- | --- |'];
  const top: string[] = [];
  walk({ properties: Object.fromEntries(Object.entries(schema.properties as Record<string, Json>).filter(([k]) => k !== 'steps')) }, '', top, new Set((schema.required as string[]) ?? []));
  out.push('**Scenario file**', '', ...head, ...top, '');
  const steps = ((schema.properties as Record<string, Json>).steps?.items as Json | undefined)?.anyOf as Json[] | undefined;
  for (const step of steps ?? []) {
    const key = Object.keys((step.properties ?? {}) as object)[0];
    if (!key) continue;
    const rows: string[] = [];
    walk(step, '', rows, new Set((step.required as string[]) ?? []));
    out.push(`**Step \`${key}:\`** — ${cell(step.description)}`, '', ...head, ...rows, '');
  }
  return out.join('\n').trimEnd();
}

export interface GeneratedSection {
  name: string;
  render(): string;
}

export const GENERATED_SECTIONS: GeneratedSection[] = [
  { name: 'env', render: renderEnvMarkdown },
  { name: 'scenario-reference', render: renderScenarioReference },
];

/** Replaces the text between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`. */
export function fillSections(doc: string, sections: GeneratedSection[] = GENERATED_SECTIONS): string {
  let out = doc;
  for (const s of sections) {
    const re = new RegExp(`(<!-- generated:${s.name} -->)[\\s\\S]*?(<!-- /generated:${s.name} -->)`);
    if (!re.test(out)) throw new Error(`README has no <!-- generated:${s.name} --> section`);
    out = out.replace(re, (_m, a: string, b: string) => `${a}\n${s.render()}\n${b}`);
  }
  return out;
}
