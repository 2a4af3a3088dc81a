#!/usr/bin/env node
// Regenerates the README's generated sections (environment variables, scenario reference) and .env.example.
// Run after `npm run build`: `npm run docs`.
import { readFileSync, writeFileSync } from 'node:fs';
import { renderEnvExample, renderEnvMarkdown } from '../dist/config/index.js';
import { scenarioJsonSchema } from '../dist/scenarios/index.js';
import { renderAssertionReference } from '../dist/scorers/index.js';
import { fillSections, generatedSections } from './docs-reference.mjs';

const readme = new URL('../README.md', import.meta.url);
writeFileSync(readme, fillSections(readFileSync(readme, 'utf8'), generatedSections({ renderEnvMarkdown, scenarioJsonSchema, renderAssertionReference })));
writeFileSync(new URL('../.env.example', import.meta.url), renderEnvExample());
console.log('README.md and .env.example regenerated');
