/** The per-revision run bookkeeping behind /v1/verdict and the Flagger hooks, over a real SQLite store. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRevisionRuns, RERUN_INCONCLUSIVE_AFTER_MS, type RevisionRuns } from '../../src/app/revision-runs.js';
import type { Verdict } from '../../src/core/types.js';
import { openStore, type SqliteRunStore } from '../../src/store/index.js';
import { makeRun } from '../notifiers/fixtures.js';

const T0 = 1_700_000_000_000;
let now = T0;
let dir: string;
let store: SqliteRunStore;
let current: { runId: string; revision?: string; startedAt: number } | undefined;
let started: (string | undefined)[];
let rr: RevisionRuns;
let n = 0;

beforeEach(() => {
  now = T0;
  current = undefined;
  started = [];
  dir = mkdtempSync(join(tmpdir(), 'tgc-rev-'));
  store = openStore(join(dir, 'db.sqlite'));
  rr = createRevisionRuns({
    store,
    clock: { now: () => now } as never,
    current: () => current,
    // a scheduler with one slot: "starting" takes the revision the daemon's task would take
    runNow: async () => {
      if (current) return 'busy';
      const revision = rr.takeNext();
      started.push(revision);
      current = { runId: `run-${++n}`, revision, startedAt: now };
      return 'started';
    },
  });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Finishes the current run with this verdict (stored in SQLite as the daemon's run job does). */
function finish(verdict: Verdict): void {
  if (!current) throw new Error('no run in progress');
  const run = makeRun(current.runId, verdict, current.startedAt); // finished 5 s after its start
  run.revision = current.revision;
  store.finishRun(run);
  current = undefined;
}

describe('revision runs', () => {
  it('queues a second revision behind the run in progress and starts it when that run ends', async () => {
    expect((await rr.verdictFor('canary', 'rev-a')).verdict).toBe('pending');
    const b = await rr.verdictFor('canary', 'rev-b');
    expect(b.reasons).toEqual(['another run is in progress; the run for revision rev-b is queued and starts after run run-1 (revision rev-a)']);
    expect(rr.queued()).toEqual(['rev-b']);
    expect((await rr.verdictFor('canary', 'rev-b')).reasons).toEqual(b.reasons); // asked again: still queued, once
    finish('pass');
    rr.onRunEnded();
    await new Promise((r) => setTimeout(r, 5));
    expect(started).toEqual(['rev-a', 'rev-b']);
    expect(rr.queued()).toEqual([]);
  });

  it('an inconclusive verdict answers for 5 minutes, then the next poll runs the revision again', async () => {
    await rr.verdictFor('canary', 'rev-i');
    now += 10_000;
    finish('inconclusive');
    const early = await rr.verdictFor('canary', 'rev-i');
    expect(early.verdict).toBe('inconclusive');
    expect(early.retryAt).toBe(new Date(T0 + 5000 + RERUN_INCONCLUSIVE_AFTER_MS).toISOString());
    expect(started).toHaveLength(1);
    now += RERUN_INCONCLUSIVE_AFTER_MS;
    const later = await rr.verdictFor('canary', 'rev-i');
    expect(later.verdict).toBe('pending');
    expect(later.reasons).toEqual(['the last run for revision rev-i was inconclusive; a new run has started']);
    expect(started).toEqual(['rev-i', 'rev-i']);
  });

  it('pass and fail are kept per revision; a kick runs it afresh and hides the older results', async () => {
    await rr.verdictFor('canary', 'rev-f');
    finish('fail');
    now += 60_000;
    expect((await rr.verdictFor('canary', 'rev-f')).verdict).toBe('fail');
    expect(started).toHaveLength(1);
    expect(rr.finishedVerdict('rev-f')?.verdict.verdict).toBe('fail');
    const k = await rr.kick('rev-f');
    expect(k.state).toBe('started');
    expect(rr.finishedVerdict('rev-f')).toBeUndefined();
    expect((await rr.verdictFor('canary', 'rev-f')).verdict).toBe('pending');
    now += 1000;
    finish('pass');
    expect((await rr.verdictFor('canary', 'rev-f')).verdict).toBe('pass');
    // kicking a revision that is already running does not start another run
    await rr.kick('rev-g');
    expect((await rr.kick('rev-g')).state).toBe('running');
  });
});
