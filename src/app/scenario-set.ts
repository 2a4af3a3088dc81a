/**
 * The scenario set a run uses: the files under the scenarios folder, validated with the assertion types checked
 * against the scorer map. With a cache (the SQLite store), an unchanged set is not parsed again: the key hashes
 * every file's path and text and the build of tg-canary that validated them.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ScenarioCacheStore } from '../core/ports.js';
import type { Scenario } from '../core/types.js';
import { pickScenarios, readScenarioSources, type ScenarioSource } from '../scenarios/load-scenarios.js';
import { isScorerName, validateAssertionValue } from '../scorers/index.js';

export interface ScenarioFilter {
  name?: string;
  suite?: string;
}

/** Somewhere to keep the last validated set between processes: the store's scenario-cache role. */
export type ScenarioSetCache = ScenarioCacheStore;

/** Loads and validates the scenario files, then applies the filter. */
export async function loadScenarioSet(dir: string, filter: ScenarioFilter = {}, cache?: ScenarioSetCache): Promise<Scenario[]> {
  const sources = await readScenarioSources(dir);
  const all = cache ? await cachedOrParsed(sources, cache) : await parse(sources);
  return pickScenarios(all, filter, dir);
}

/** The parser (yaml, the scenario schema) is loaded on demand: a run served from the cache never loads it. */
async function parse(sources: readonly ScenarioSource[]): Promise<Scenario[]> {
  const { parseScenarioSources } = await import('../scenarios/parse-sources.js');
  return parseScenarioSources(sources, { isScorer: isScorerName, validateValue: validateAssertionValue });
}

/** Which build validated a set: this file's size and modification time (every build rewrites it). */
const BUILD_ID: string = (() => {
  try {
    const st = statSync(fileURLToPath(import.meta.url));
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return `unknown:${process.pid}:${Date.now()}`; // never matches a saved key: no caching
  }
})();

export function scenarioSetKey(sources: readonly ScenarioSource[]): string {
  const h = createHash('sha256').update(`tg-canary scenario set 1\0${BUILD_ID}\0`);
  for (const s of sources) h.update(`${s.file}\0${s.text.length}\0${s.text}\0`);
  return h.digest('hex');
}

async function cachedOrParsed(sources: readonly ScenarioSource[], cache: ScenarioSetCache): Promise<Scenario[]> {
  const key = scenarioSetKey(sources);
  const hit = attempt(() => cache.cachedScenarioSet(key));
  if (hit !== undefined) {
    const all = attempt(() => JSON.parse(hit) as unknown);
    if (Array.isArray(all)) return all as Scenario[];
  }
  const all = await parse(sources);
  const json = cacheJson(all);
  // Derived data: a read-only or failing database only costs the next run a slower start.
  if (json !== undefined) attempt(() => cache.saveScenarioSet(key, json));
  return all;
}

function attempt<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

/** JSON of the set, or undefined when JSON would not give the same values back (then it is not cached). */
export function cacheJson(value: unknown): string | undefined {
  let exact = true;
  // `this[key]` is the value before toJSON() (a Date would already be a string in `v`).
  function check(this: Record<string, unknown>, key: string, v: unknown): unknown {
    const raw = this[key];
    if (typeof raw === 'number' && !Number.isFinite(raw)) exact = false;
    else if (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && Object.getPrototypeOf(raw) !== Object.prototype) exact = false;
    else if (typeof raw === 'function' || typeof raw === 'symbol') exact = false;
    return v;
  }
  const json = attempt(() => JSON.stringify(value, check));
  return exact ? json : undefined;
}
