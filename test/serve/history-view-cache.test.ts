/** The status page's history view is reused between runs and recomputed when a run finishes or a day begins. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { cachedHistoryView } from '../../src/app/history-view.js';
import { loadConfig } from '../../src/config/index.js';
import { openStore, type SqliteRunStore } from '../../src/store/index.js';
import { runResult, tempDir } from '../store/fixtures.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 1, 12);

let tmp: ReturnType<typeof tempDir>;
let store: SqliteRunStore;
beforeEach(() => {
  tmp = tempDir();
  store = openStore(join(tmp.dir, 'c.db'));
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

function add(id: string, at: number, canary: 'pass' | 'fail'): void {
  const r = runResult(id, at, { canary });
  store.beginRun({ runId: id, startedAt: at });
  store.finishRun(r);
}

describe('cachedHistoryView', () => {
  it('reuses the history until a run finishes or the UTC day changes; maintenance rows stay fresh', async () => {
    const config = await loadConfig({ env: {}, cwd: tmp.dir, require: [] });
    const view = cachedHistoryView(config, store);
    add('a', NOW - 3_600_000, 'pass');
    const v1 = view(NOW);
    expect(v1.targets.find((t) => t.target === 'canary')?.uptime.judged).toBe(1);
    expect(view(NOW + 1000).targets).toBe(v1.targets); // same object: not recomputed
    store.addSilence({ id: 's', createdAt: NOW, startsAt: NOW, endsAt: NOW + DAY, expiredAt: null, matchers: { target: 'canary' }, reason: 'r', createdBy: 't' });
    expect(view(NOW + 2000).maintenance.map((m) => m.id)).toEqual(['s']);
    add('b', NOW + 3000, 'fail');
    const v2 = view(NOW + 10_000);
    expect(v2.targets).not.toBe(v1.targets);
    expect(v2.targets.find((t) => t.target === 'canary')?.uptime).toMatchObject({ passes: 1, judged: 2 });
    expect(v2.incidents.map((i) => i.firstRunId)).toEqual(['b']);
    expect(view(NOW + DAY).targets).not.toBe(v2.targets); // a new day
  });
});
