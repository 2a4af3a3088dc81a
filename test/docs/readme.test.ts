import { readFileSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENV_VARS, renderEnvExample, renderEnvMarkdown } from '../../src/config/index.js';
import { scenarioJsonSchema } from '../../src/scenarios/index.js';
import { renderAssertionReference, ASSERTION_DOCS } from '../../src/scorers/index.js';
import { SCORER_NAMES } from '../../src/scorers/registry.js';
import { fillSections, generatedSections } from '../../scripts/docs-reference.mjs';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('has its generated sections (environment variables, scenario reference) up to date', () => {
    expect(fillSections(readme, generatedSections({ renderEnvMarkdown, scenarioJsonSchema, renderAssertionReference })), 'run `npm run docs` to regenerate the README').toBe(readme);
  });

  it('documents every assertion type the scorer map grades, in the generated table', () => {
    for (const name of SCORER_NAMES) {
      expect(ASSERTION_DOCS[name].length, name).toBeGreaterThan(10);
      expect(readme, name).toContain(`| \`${name}\` |`);
    }
  });

  it('lists every environment variable the config schema knows, and .env.example does too', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    expect(example).toBe(renderEnvExample());
    for (const v of ENV_VARS) {
      expect(readme, v.name).toContain(`\`${v.name}\``);
      expect(example, v.name).toMatch(new RegExp(`^#? ?${v.name}=`, 'm'));
    }
  });

  it('names the two set-up commands and files that exist', () => {
    expect(readme).toContain('npm run demo');
    expect(readme).toContain('npm test');
    for (const m of readme.matchAll(/\]\(((?:docs|src|k8s|examples|bench)\/[^)#]+)\)/g)) {
      expect(existsSync(new URL(`../../${m[1]}`, import.meta.url)), m[1]).toBe(true);
    }
    for (const m of readme.matchAll(/--faults (examples\/[\w.-]+)/g)) {
      expect(existsSync(new URL(`../../${m[1]}`, import.meta.url)), m[1]).toBe(true);
    }
  });
});
