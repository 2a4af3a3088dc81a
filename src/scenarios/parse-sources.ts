/** Parsing and validating a whole scenario set (loaded on demand: it brings the YAML parser and the schema). */
import type { Issue } from '../core/errors.js';
import { ValidationError } from '../core/errors.js';
import type { Scenario } from '../core/types.js';
import type { ScenarioSource } from './load-scenarios.js';
import { checkScenarioText, type ParseOptions } from './parse-file.js';

/** Parses and validates every source; all problems of all files are thrown together (SCENARIO_INVALID). */
export function parseScenarioSources(sources: readonly ScenarioSource[], opts: ParseOptions = {}): Scenario[] {
  const issues: Issue[] = [];
  const scenarios: Scenario[] = [];
  const byName = new Map<string, string>();
  for (const { file, text } of sources) {
    const r = checkScenarioText(file, text, opts);
    issues.push(...r.issues);
    if (!r.scenario) continue;
    const first = byName.get(r.scenario.name);
    if (first !== undefined) {
      issues.push({ file: r.scenario.file, path: 'name', line: lineOfName(text), message: `duplicate scenario name "${r.scenario.name}" (also in ${first})`, hint: 'give each scenario a unique name' });
      continue;
    }
    byName.set(r.scenario.name, r.scenario.file);
    scenarios.push(r.scenario);
  }
  if (issues.length > 0) throw new ValidationError('SCENARIO_INVALID', issues, 'fix the listed problems; `tg-canary validate` re-checks all scenarios');
  return scenarios;
}

function lineOfName(text: string): number | undefined {
  const idx = text.split('\n').findIndex((l) => /^name\s*:/.test(l));
  return idx < 0 ? undefined : idx + 1;
}
