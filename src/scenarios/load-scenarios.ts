/** Finds scenario files under a folder, parses them all, and throws once with every problem of every file. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { configError, ValidationError, type Issue } from '../core/errors.js';
import type { Scenario } from '../core/types.js';
import { checkScenarioText, type ParseOptions } from './parse-file.js';

export interface ScenarioFilter {
  /** Exact name or a glob (`*` any run of characters, `?` one character). */
  name?: string;
  suite?: string;
}

export interface LoadScenariosOptions extends ParseOptions {
  filter?: ScenarioFilter;
}

/** `*` and `?` glob to an anchored RegExp. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

export function matchesFilter(s: Pick<Scenario, 'name' | 'suite'>, filter: ScenarioFilter = {}): boolean {
  if (filter.suite !== undefined && s.suite !== filter.suite) return false;
  if (filter.name !== undefined && s.name !== filter.name && !globToRegExp(filter.name).test(s.name)) return false;
  return true;
}

/** Every `*.yaml` / `*.yml` under `dir`, recursively, sorted; names starting with `.` are skipped. */
export async function findScenarioFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true });
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith('.')) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (/\.ya?ml$/i.test(e.name)) out.push(p);
    }
  };
  await walk(dir);
  return out;
}

/**
 * Loads every scenario under `dir`. All files are validated (even when a filter is given) and all problems
 * thrown together as one ValidationError (code SCENARIO_INVALID). Then the filter is applied; nothing left is
 * a usage error (SCENARIO_NONE_MATCHED).
 */
export async function loadScenarios(dir: string, opts: LoadScenariosOptions = {}): Promise<Scenario[]> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw configError('SCENARIOS_DIR_NOT_FOUND', `scenario folder not found: ${dir}`, 'set SCENARIOS_DIR (or paths.scenarios) to a folder of *.yaml scenario files');
  }
  const files = await findScenarioFiles(dir);
  if (files.length === 0) {
    throw configError('SCENARIOS_EMPTY', `no *.yaml scenario files in ${dir}`, 'copy the shipped scenarios/ folder or write one (see `tg-canary schema`)');
  }
  const issues: Issue[] = [];
  const scenarios: Scenario[] = [];
  const byName = new Map<string, string>();
  for (const file of files) {
    const shown = relative(process.cwd(), file) || file;
    const text = await readFile(file, 'utf8');
    const r = checkScenarioText(shown.startsWith('..') ? file : shown, text, opts);
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
  const picked = scenarios.filter((s) => matchesFilter(s, opts.filter));
  if (picked.length === 0) {
    const f = opts.filter ?? {};
    throw new ValidationError('SCENARIO_NONE_MATCHED', [
      { file: dir, path: f.name !== undefined ? 'name' : 'suite', message: `no scenario matches ${JSON.stringify(f)}`, hint: `\`tg-canary list\` shows the ${scenarios.length} scenarios and their suites` },
    ]);
  }
  return picked;
}

function lineOfName(text: string): number | undefined {
  const idx = text.split('\n').findIndex((l) => /^name\s*:/.test(l));
  return idx < 0 ? undefined : idx + 1;
}
