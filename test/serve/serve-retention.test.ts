/**
 * Retention in `serve`: every scheduled run prunes runs older than KEEP_DAYS, so the daemon's database stays
 * bounded. Real SQLite file seeded with old runs, the real client against the sandbox; once through the daemon
 * function with the composition root (buildRuntime), once through a real `tg-canary serve` process.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../e2e/harness.js';
import { CONVERT, getJson, startServe } from '../decisions/helpers.js';
import { waitFor } from '../support/wait.js';
import { loadConfig } from '../../src/config/index.js';
import { openStore } from '../../src/store/index.js';
import { buildRuntime } from '../../src/app/runtime.js';
import { createServeDaemon } from '../../src/app/serve-daemon.js';
import { loadScenarioSet } from '../../src/app/scenario-set.js';
import { silentLogger } from '../../src/util/logger.js';
import { runResult } from '../store/fixtures.js';

const DAY = 86_400_000;
let w: World;

beforeAll(async () => {
  w = await createWorld();
  w.writeScenario('convert', CONVERT('[canary]'));
});
afterAll(async () => {
  await w?.close();
});
beforeEach(() => w.freshDb());

/** Old runs 40 and 10 days back (past a 7-day retention) and one 2 days back (kept). */
function seed(db: string): void {
  mkdirSync(dirname(db), { recursive: true });
  const store = openStore(db);
  try {
    const now = Date.now();
    for (const [id, age] of [['seed-40d', 40 * DAY], ['seed-10d', 10 * DAY], ['seed-2d', 2 * DAY]] as const) {
      store.beginRun({ runId: id, startedAt: now - age });
      store.finishRun(runResult(id, now - age));
    }
  } finally {
    store.close();
  }
}

function storedRunIds(db: string): string[] {
  const store = openStore(db, { readonly: true });
  try {
    return store.listRuns({ last: 100 }).map((r) => r.runId);
  } finally {
    store.close();
  }
}

/** Finished runs (a reader beside the live daemon: WAL lets it). */
function finishedRuns(db: string): string[] {
  const store = openStore(db, { readonly: true });
  try {
    return store.listRuns({ last: 100 }).filter((r) => r.finishedAt !== null).map((r) => r.runId);
  } finally {
    store.close();
  }
}

describe('serve prunes old runs', () => {
  it('a daemon run (built by buildRuntime) prunes the runs past KEEP_DAYS and keeps the recent ones', async () => {
    const db = w.env.TG_CANARY_DB as string;
    seed(db);
    const config = await loadConfig({ env: { ...w.env, KEEP_DAYS: '7', SERVE_SCHEDULE: '0 0 1 1 *', SERVE_JITTER_SECONDS: '0', STATUS_FILE: 'false' }, cwd: w.dir });
    const rt = buildRuntime(config, { logger: silentLogger(), version: 'test' });
    const daemon = createServeDaemon({ ...rt, deliveries: rt.deliveries(), loadScenarios: () => loadScenarioSet(config.paths.scenarios) });
    try {
      await daemon.runOnce('test');
      const ids = storedRunIds(db);
      expect(ids).toContain('seed-2d');
      expect(ids).not.toContain('seed-40d');
      expect(ids).not.toContain('seed-10d');
      expect(ids).toHaveLength(2);
      expect(rt.store.latestRun()?.verdict.verdict).toBe('pass');
    } finally {
      await daemon.stop(1000);
      rt.close();
    }
  }, 60_000);

  it('a `tg-canary serve` process prunes on its scheduled run', async () => {
    const db = w.env.TG_CANARY_DB as string;
    seed(db);
    const serve = await startServe(['serve', '--run-on-start'], {
      ...w.env, KEEP_DAYS: '7', SERVE_PORT: '0', SERVE_HOST: '127.0.0.1', SERVE_SCHEDULE: '0 0 1 1 *', SERVE_JITTER_SECONDS: '0',
    }, { maxMs: 60_000 });
    try {
      await waitFor(() => finishedRuns(db).find((id) => !id.startsWith('seed-')), 'the first serve run', 40_000, 200);
      expect((await getJson(`${serve.url}/health`)).status).toBe(200);
      const ids = storedRunIds(db);
      expect(ids).toContain('seed-2d');
      expect(ids.filter((id) => id.startsWith('seed-'))).toEqual(['seed-2d']);
      expect(ids).toHaveLength(2);
    } finally {
      await serve.stop();
    }
  }, 70_000);
});
