/**
 * The one scenario loading pipeline: read the files → the cache port (an unchanged set is not parsed again) →
 * parse and validate every file (all problems thrown once) → filter. Each stage is its own module; this file
 * only chains them.
 */
import type { Scenario } from '../core/types.js';
import { pickScenarios, type ScenarioFilter } from './filter.js';
import type { ParseOptions } from './parse-file.js';
import { readScenarioSources, type ScenarioSource } from './read-sources.js';
import { cachedOrParsed, type ScenarioSetCache } from './scenario-set-cache.js';

export interface LoadScenariosOptions extends ParseOptions {
  filter?: ScenarioFilter;
  /** Keeps the validated set between processes; without it every call parses. */
  cache?: ScenarioSetCache;
}

/**
 * Loads every scenario under `dir`. All files are validated (even when a filter is given) and all problems
 * thrown together as one ValidationError (code SCENARIO_INVALID). Then the filter is applied; nothing left is
 * a usage error (SCENARIO_NONE_MATCHED).
 */
export async function loadScenarios(dir: string, opts: LoadScenariosOptions = {}): Promise<Scenario[]> {
  const { filter, cache, ...parseOpts } = opts;
  const sources = await readScenarioSources(dir);
  // The parser (yaml, the scenario schema) is loaded only when files are parsed: a run served from the cached set
  // never loads it (bench/cold-start.mjs).
  const parse = async (s: readonly ScenarioSource[]): Promise<Scenario[]> => (await import('./parse-sources.js')).parseScenarioSources(s, parseOpts);
  const all = cache ? await cachedOrParsed(sources, cache, parse) : await parse(sources);
  return pickScenarios(all, filter, dir);
}
