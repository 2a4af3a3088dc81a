/** Finds scenario files under a folder, parses them all, and throws once with every problem of every file. */
import { readdirSync, statSync } from 'node:fs';
import { MAX_SCENARIO_FILE_BYTES, readInputFile } from '../util/read-input-file.js';
import { join, relative } from 'node:path';
import { configError, ValidationError } from '../core/errors.js';
import type { Scenario } from '../core/types.js';
import type { ParseOptions } from './parse-file.js';

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

/** Every `*.yaml` / `*.yml` under `dir`, recursively, sorted by name; names starting with `.` are skipped. */
export async function findScenarioFiles(dir: string): Promise<string[]> {
  return findScenarioFilesSync(dir);
}

// Synchronous on purpose: a scenario folder holds a few dozen small files, and a cold start pays several ms for
// each round through the thread pool (bench/cold-start.mjs).
function findScenarioFilesSync(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    const entries = readdirSync(d, { withFileTypes: true });
    // Code-unit order: the same on every machine (localeCompare's first call also costs ~7 ms of ICU set-up).
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (e.name.startsWith('.')) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/i.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** One scenario file as read from disk: its path as shown in messages, and its text. */
export interface ScenarioSource {
  file: string;
  text: string;
}

/** Reads every scenario file under `dir` (SCENARIOS_DIR_NOT_FOUND / SCENARIOS_EMPTY when there is nothing). */
export async function readScenarioSources(dir: string): Promise<ScenarioSource[]> {
  const info = statSync(dir, { throwIfNoEntry: false });
  if (!info?.isDirectory()) {
    throw configError('SCENARIOS_DIR_NOT_FOUND', `scenario folder not found: ${dir}`, 'set SCENARIOS_DIR (or paths.scenarios) to a folder of *.yaml scenario files');
  }
  const files = findScenarioFilesSync(dir);
  if (files.length === 0) {
    throw configError('SCENARIOS_EMPTY', `no *.yaml scenario files in ${dir}`, 'copy the shipped scenarios/ folder or write one (see `tg-canary schema`)');
  }
  return files.map((file) => {
    const shown = relative(process.cwd(), file) || file;
    const name = shown.startsWith('..') ? file : shown;
    return { file: name, text: readInputFile(file, { maxBytes: MAX_SCENARIO_FILE_BYTES, what: 'scenario file', shown: name }) };
  });
}

/** The scenarios matching `filter`; none is a usage error (SCENARIO_NONE_MATCHED). */
export function pickScenarios(all: readonly Scenario[], filter: ScenarioFilter = {}, dir: string): Scenario[] {
  const picked = all.filter((s) => matchesFilter(s, filter));
  if (picked.length === 0) {
    throw new ValidationError('SCENARIO_NONE_MATCHED', [
      { file: dir, path: filter.name !== undefined ? 'name' : 'suite', message: `no scenario matches ${JSON.stringify(filter)}`, hint: `\`tg-canary list\` shows the ${all.length} scenarios and their suites` },
    ]);
  }
  return picked;
}

/**
 * Loads every scenario under `dir`. All files are validated (even when a filter is given) and all problems
 * thrown together as one ValidationError (code SCENARIO_INVALID). Then the filter is applied; nothing left is
 * a usage error (SCENARIO_NONE_MATCHED).
 */
export async function loadScenarios(dir: string, opts: LoadScenariosOptions = {}): Promise<Scenario[]> {
  const sources = await readScenarioSources(dir);
  // The parser (yaml, the scenario schema) is loaded only when files are parsed: a run served from the cached set
  // never loads it (bench/cold-start.mjs).
  const { parseScenarioSources } = await import('./parse-sources.js');
  return pickScenarios(parseScenarioSources(sources, opts), opts.filter, dir);
}
