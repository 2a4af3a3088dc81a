/**
 * The validated scenario set kept in the SQLite store between runs (issue 7 row 2): a real database file and
 * real scenario files in a temporary folder.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenarioSet } from '../../src/app/scenario-set.js';
import { cacheJson, readScenarioSources, scenarioSetKey } from '../../src/scenarios/index.js';
import { openStore, type SqliteRunStore } from '../../src/store/index.js';

const SHIPPED = join(import.meta.dirname, '../../scenarios');
const dirs: string[] = [];
const stores: SqliteRunStore[] = [];

function workspace(): { scenarios: string; db: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tgc-scache-'));
  dirs.push(dir);
  cpSync(SHIPPED, join(dir, 'scenarios'), { recursive: true });
  return { scenarios: join(dir, 'scenarios'), db: join(dir, 'db', 'tg-canary.db') };
}

function open(path: string, readonly = false): SqliteRunStore {
  const s = openStore(path, { readonly });
  stores.push(s);
  return s;
}

afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) {
    chmodSync(d, 0o700);
    rmSync(d, { recursive: true, force: true });
  }
});

describe('scenario set cache', () => {
  it('gives the same scenarios as a fresh parse, and serves the next load from the store', async () => {
    const ws = workspace();
    const store = open(ws.db);
    const parsed = await loadScenarioSet(ws.scenarios);
    const first = await loadScenarioSet(ws.scenarios, {}, store);
    expect(first).toEqual(parsed);

    // Prove the second load reads the stored set: change what is stored under the current key.
    const key = scenarioSetKey(await readScenarioSources(ws.scenarios));
    const stored = JSON.parse(store.cachedScenarioSet(key) ?? 'null') as typeof parsed;
    expect(stored).toEqual(parsed);
    stored[0].description = 'from the cache';
    store.saveScenarioSet(key, JSON.stringify(stored));
    const second = await loadScenarioSet(ws.scenarios, {}, store);
    expect(second[0].description).toBe('from the cache');
  });

  it('parses again when a file changes, and keeps only the newest set', async () => {
    const ws = workspace();
    const store = open(ws.db);
    await loadScenarioSet(ws.scenarios, {}, store);
    const oldKey = scenarioSetKey(await readScenarioSources(ws.scenarios));
    const file = join(ws.scenarios, 'joke', 'joke-fresh.yaml');
    const { readFileSync } = await import('node:fs');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^description:.*$/m, 'description: edited after caching'));
    const after = await loadScenarioSet(ws.scenarios, { name: 'joke-fresh' }, store);
    expect(after[0].description).toBe('edited after caching');
    const newKey = scenarioSetKey(await readScenarioSources(ws.scenarios));
    expect(newKey).not.toBe(oldKey);
    expect(store.cachedScenarioSet(oldKey)).toBeUndefined();
    expect(store.cachedScenarioSet(newKey)).toBeDefined();
  });

  it('still reports an invalid file with its line, whatever was cached before', async () => {
    const ws = workspace();
    const store = open(ws.db);
    await loadScenarioSet(ws.scenarios, {}, store);
    writeFileSync(join(ws.scenarios, 'broken.yaml'), 'name: broken\nsuite: joke\nsteps:\n  - send: 42\n');
    const err = await loadScenarioSet(ws.scenarios, {}, store).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SCENARIO_INVALID' });
    expect(String((err as Error).message) + JSON.stringify((err as { issues?: unknown }).issues)).toMatch(/broken\.yaml/);
  });

  it('applies the filter to a cached set, with the usual error when nothing matches', async () => {
    const ws = workspace();
    const store = open(ws.db);
    await loadScenarioSet(ws.scenarios, {}, store);
    const rag = await loadScenarioSet(ws.scenarios, { suite: 'rag' }, store);
    expect(rag.length).toBeGreaterThanOrEqual(2);
    expect(rag.every((s) => s.suite === 'rag')).toBe(true);
    await expect(loadScenarioSet(ws.scenarios, { name: 'no-such-*' }, store)).rejects.toMatchObject({ code: 'SCENARIO_NONE_MATCHED' });
  });

  it('works with a read-only database (nothing is saved, nothing fails)', async () => {
    const ws = workspace();
    open(ws.db).close();
    const ro = open(ws.db, true);
    const got = await loadScenarioSet(ws.scenarios, {}, ro);
    expect(got.length).toBeGreaterThanOrEqual(8);
    expect(ro.cachedScenarioSet(scenarioSetKey(await readScenarioSources(ws.scenarios)))).toBeUndefined();
  });

  it('ignores a damaged cache row and parses the files', async () => {
    const ws = workspace();
    const store = open(ws.db);
    const key = scenarioSetKey(await readScenarioSources(ws.scenarios));
    store.saveScenarioSet(key, '{not json');
    const got = await loadScenarioSet(ws.scenarios, {}, store);
    expect(got.length).toBeGreaterThanOrEqual(8);
    expect(JSON.parse(store.cachedScenarioSet(key) ?? 'null')).toEqual(got);
  });

  it('caches only values that JSON gives back unchanged', () => {
    expect(cacheJson([{ a: 1, b: 'x', c: [true, null] }])).toBe('[{"a":1,"b":"x","c":[true,null]}]');
    expect(cacheJson([{ timeoutMs: Infinity }])).toBeUndefined();
    expect(cacheJson([{ re: /x/ }])).toBeUndefined();
    expect(cacheJson([{ at: new Date(0) }])).toBeUndefined();
    expect(cacheJson([{ n: 10n }])).toBeUndefined();
  });
});
