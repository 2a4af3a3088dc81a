/**
 * Several processes on one PostgreSQL database (pods of one deployment): four real child processes race to
 * migrate an empty database, claim the same outbox items, take the session lease and write the alert state. Each
 * item must be sent by exactly one, one process must hold the lease, alert ids must never repeat, and the alert
 * state row must be one racer's whole write. Needs the build (`npm run build`): the racers run dist/.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { PG_SKIP_REASON, startPostgres } from '../support/postgres.js';

const run = promisify(execFile);
const RACER = join(import.meta.dirname, 'pg-racer.mjs');
const RACERS = 4;
const cluster = PG_SKIP_REASON ? undefined : await startPostgres();
afterAll(() => cluster?.stop());

interface RaceResult { name: string; version?: number; claimed?: number[]; won?: boolean; ids?: number[] }

async function race(mode: string, url: string): Promise<RaceResult[]> {
  // Far enough ahead that every racer has started Node and connected before it (2 cores, shared).
  const startAt = Date.now() + 4000;
  const outs = await Promise.all(Array.from({ length: RACERS }, (_, i) =>
    run(process.execPath, [RACER, mode, url, String(startAt), `racer-${i}`], { timeout: 60_000 })));
  return outs.map((o) => JSON.parse(o.stdout.trim()) as RaceResult);
}

describe.skipIf(cluster === undefined)('PostgreSQL store shared by several processes', () => {
  if (!cluster) return;

  it('needs the built store (dist/store/index.js)', () => {
    expect(existsSync(join(import.meta.dirname, '../../dist/store/index.js')), 'run `npm run build` first').toBe(true);
  });

  it('racers opening an empty database together migrate it once', async () => {
    const url = cluster.url(cluster.createDatabase());
    const results = await race('migrate', url);
    expect(results.map((r) => r.version)).toStrictEqual([8, 8, 8, 8]);
    expect(cluster.psql(url.split('/').pop() ?? '', 'SELECT version FROM tg_canary_schema').trim()).toBe('8');
  }, 90_000);

  it('each outbox item is claimed and sent by exactly one process', async () => {
    const url = cluster.url(cluster.createDatabase());
    const store = openStore(url);
    for (let i = 0; i < 60; i++) store.enqueue({ channel: 'webhook', dedupeKey: `alert:${i}`, payload: `p${i}`, at: 0 });
    store.close();
    const results = await race('outbox', url);
    const claimed = results.flatMap((r) => r.claimed ?? []);
    expect(claimed).toHaveLength(60);
    expect(new Set(claimed).size).toBe(60);
    const after = openStore(url);
    expect(after.listOutbox({ pendingOnly: true })).toStrictEqual([]);
    expect(after.listOutbox({}).every((i) => i.attempts === 1)).toBe(true);
    after.close();
  }, 90_000);

  it('one process gets the session lease', async () => {
    const url = cluster.url(cluster.createDatabase());
    const results = await race('lease', url);
    const winners = results.filter((r) => r.won).map((r) => r.name);
    expect(winners).toHaveLength(1);
    const store = openStore(url);
    expect(store.leaseHolder('tg-session')?.holder).toBe(winners[0]);
    store.close();
  }, 90_000);

  it('alert ids never repeat across processes and the alert state is one whole write', async () => {
    const url = cluster.url(cluster.createDatabase());
    const results = await race('alerts', url);
    const ids = results.flatMap((r) => r.ids ?? []);
    expect(ids).toHaveLength(RACERS * 25);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of results) expect(r.ids).toStrictEqual([...(r.ids ?? [])].sort((a, b) => a - b));
    const store = openStore(url);
    const state = store.getAlertState('canary');
    expect(state).toBeDefined();
    // every field from the same write: lastNotifiedAt and alertId were written together, failures with since
    expect(state?.lastNotifiedAt).toBe(state?.alertId);
    expect(state?.failures).toBe(state?.since);
    expect(store.listAlerts(1000)).toHaveLength(RACERS * 25);
    store.close();
  }, 90_000);
});
