/**
 * The cache stage of the pipeline: an unchanged scenario set is not parsed again. The key hashes every file's
 * path and text and the build of tg-canary that validated them; the value is the validated set as JSON.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Scenario } from '../core/types.js';
import type { ScenarioSource } from './read-sources.js';

/** Somewhere to keep the last validated set between processes (the SQLite store has these two methods). */
export interface ScenarioSetCache {
  cachedScenarioSet(key: string): string | undefined;
  saveScenarioSet(key: string, json: string): void;
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

/** The cached set for `sources`, else `parse(sources)` (then saved). A failing cache only costs a slower start. */
export async function cachedOrParsed(
  sources: readonly ScenarioSource[],
  cache: ScenarioSetCache,
  parse: (sources: readonly ScenarioSource[]) => Promise<Scenario[]>,
): Promise<Scenario[]> {
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
