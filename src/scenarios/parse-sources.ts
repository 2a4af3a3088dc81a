/** Parsing and validating a whole scenario set (loaded on demand: it brings the YAML parser and the schema). */
import type { Issue } from '../core/errors.js';
import { ValidationError } from '../core/errors.js';
import type { Scenario } from '../core/types.js';
import type { ScenarioSource } from './read-sources.js';
import { checkSourceText, type ParseOptions, type SuiteDefaults } from './parse-file.js';

/** Parses and validates every source; all problems of all files are thrown together (SCENARIO_INVALID). */
export function parseScenarioSources(sources: readonly ScenarioSource[], opts: ParseOptions = {}): Scenario[] {
  const issues: Issue[] = [];
  const scenarios: Scenario[] = [];
  const byName = new Map<string, string>();
  const suites = new Map<string, SuiteDefaults>();
  for (const { file, text } of sources) {
    const r = checkSourceText(file, text, opts);
    issues.push(...r.issues);
    if (r.suite) {
      const first = suites.get(r.suite.suite);
      if (first) {
        issues.push({ file, path: 'suite', line: lineOf(text, 'suite'), message: `a second suite file for suite "${r.suite.suite}" (the first is ${first.file})`, hint: 'keep one suite file per suite' });
      } else suites.set(r.suite.suite, r.suite);
      continue;
    }
    if (!r.scenario) continue;
    const first = byName.get(r.scenario.name);
    if (first !== undefined) {
      issues.push({ file: r.scenario.file, path: 'name', line: lineOfName(text), message: `duplicate scenario name "${r.scenario.name}" (also in ${first})`, hint: 'give each scenario a unique name' });
      continue;
    }
    byName.set(r.scenario.name, r.scenario.file);
    scenarios.push(r.scenario);
  }
  for (const d of issues.length === 0 ? suites.values() : []) {
    if (!scenarios.some((s) => s.suite === d.suite)) {
      issues.push({ file: d.file, path: 'suite', message: `no scenario has suite "${d.suite}"`, hint: 'check the spelling of the suite name, or remove the suite file' });
    }
  }
  if (issues.length > 0) throw new ValidationError('SCENARIO_INVALID', issues, 'fix the listed problems; `tg-canary validate` re-checks all scenarios');
  for (const s of scenarios) {
    const d = suites.get(s.suite);
    if (s.repeat === undefined && d?.repeat !== undefined) s.repeat = d.repeat;
  }
  return scenarios;
}

function lineOfName(text: string): number | undefined {
  return lineOf(text, 'name');
}

function lineOf(text: string, key: string): number | undefined {
  const idx = text.split('\n').findIndex((l) => new RegExp(`^${key}\\s*:`).test(l));
  return idx < 0 ? undefined : idx + 1;
}
