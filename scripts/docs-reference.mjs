/**
 * Generated reference sections of the README: environment variables (from the config's ENV_VARS) and the
 * scenario file format (from the scenario JSON Schema). `npm run docs` (scripts/gen-docs.mjs) writes them with
 * the built modules; test/docs/readme.test.ts keeps them in sync with the sources. Pure: the renderers come in.
 */

/** @typedef {{ [k: string]: unknown }} Json */
/** @typedef {{ name: string, render(): string }} GeneratedSection */

/** @param {Json} s @returns {string} */
function typeOf(s) {
  if (Array.isArray(s.enum)) return s.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (Array.isArray(s.anyOf)) {
    const parts = s.anyOf.map(typeOf);
    if (parts.includes('number') && parts.includes('string') && parts.length === 2) return 'duration';
    return [...new Set(parts)].join(' \\| ');
  }
  if (s.type === 'array') return `list of ${typeOf(s.items ?? {})}`;
  if (typeof s.type === 'string') return s.type;
  return 'any';
}

/** @param {unknown} text @returns {string} */
function cell(text) {
  return String(text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** @param {Json} schema @param {string} prefix @param {string[]} rows @param {Set<string>} required */
function walk(schema, prefix, rows, required) {
  const props = schema.properties ?? {};
  for (const [key, sub] of Object.entries(props)) {
    const path = prefix ? `${prefix}.${key}` : key;
    rows.push(`| \`${path}\` | ${typeOf(sub)} | ${required.has(key) ? 'yes' : ''} | ${cell(sub.description)} |`);
    if (sub.type === 'object' && sub.properties) walk(sub, path, rows, new Set(sub.required ?? []));
    for (const alt of sub.anyOf ?? []) {
      if (alt.type === 'object' && alt.properties) walk(alt, path, rows, new Set(alt.required ?? []));
    }
  }
}

/** Markdown tables of the scenario file format: top-level keys, then one table per step kind. @param {Json} schema */
export function renderScenarioReference(schema) {
  const out = [];
  const head = ['| Key | Type | Required | Description |', '| --- | --- | --- | --- |'];
  const top = [];
  walk({ properties: Object.fromEntries(Object.entries(schema.properties).filter(([k]) => k !== 'steps')) }, '', top, new Set(schema.required ?? []));
  out.push('**Scenario file**', '', ...head, ...top, '');
  const steps = schema.properties.steps?.items?.anyOf;
  for (const step of steps ?? []) {
    const key = Object.keys(step.properties ?? {})[0];
    if (!key) continue;
    const rows = [];
    walk(step, '', rows, new Set(step.required ?? []));
    out.push(`**Step \`${key}:\`** — ${cell(step.description)}`, '', ...head, ...rows, '');
  }
  return out.join('\n').trimEnd();
}

/**
 * The README's generated sections, from the config's and the scenarios' own renderers.
 * @param {{ renderEnvMarkdown(): string, scenarioJsonSchema(): unknown, renderAssertionReference(): string }} src
 * @returns {GeneratedSection[]}
 */
export function generatedSections(src) {
  return [
    { name: 'env', render: () => src.renderEnvMarkdown() },
    { name: 'scenario-reference', render: () => renderScenarioReference(/** @type {Json} */ (src.scenarioJsonSchema())) },
    { name: 'assertion-reference', render: () => src.renderAssertionReference() },
  ];
}

/** Replaces the text between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`. @param {string} doc @param {GeneratedSection[]} sections */
export function fillSections(doc, sections) {
  let out = doc;
  for (const s of sections) {
    const re = new RegExp(`(<!-- generated:${s.name} -->)[\\s\\S]*?(<!-- /generated:${s.name} -->)`);
    if (!re.test(out)) throw new Error(`README has no <!-- generated:${s.name} --> section`);
    out = out.replace(re, (_m, a, b) => `${a}\n${s.render()}\n${b}`);
  }
  return out;
}
