/**
 * Issue 15 #9, the smaller breaks (the slow-header one is in serve-api.test.ts): a new run no longer retries past
 * a receiver's 429 Retry-After; `tg-canary report RUN_ID` writes into reports/<id>/ and refreshes reports/latest.*;
 * a full disk leaves no zero-length database file behind. Real CLI, sandbox, loopback HTTP, a real full tmpfs.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../e2e/harness.js';
import { makeVolume, type Volume } from './mounts.js';
import { convertScenario } from '../support/scenarios.js';

let w: World;
const volumes: Volume[] = [];

const quick = convertScenario();

/** A webhook receiver answering each request with the next status in `answers` (then 200). */
async function receiver(answers: { status: number; retryAfter?: string }[]): Promise<{ url: string; count(): number; close(): Promise<void> }> {
  let n = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const a = answers[n] ?? { status: 200 };
      n += 1;
      res.statusCode = a.status;
      if (a.retryAfter) res.setHeader('Retry-After', a.retryAfter);
      res.end(a.status === 200 ? 'ok' : 'slow down');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    count: () => n,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

beforeAll(async () => {
  w = await createWorld();
  w.writeScenario('convert', quick);
});
afterAll(async () => {
  for (const v of volumes) v.dispose();
  await w?.close();
});
afterEach(() => w.freshDb());

describe('a receiver that asked to wait (429 Retry-After)', () => {
  it('is not called again by the next run before its Retry-After', async () => {
    const hook = await receiver([{ status: 429, retryAfter: '3600' }]);
    try {
      const env = { WEBHOOK_URL: hook.url };
      expect((await w.cli(['run', '--json'], env)).code).toBe(0);
      expect(hook.count()).toBe(1);
      const second = await w.cli(['run', '--json'], env);
      expect(second.code, second.stderr).toBe(0);
      expect(hook.count()).toBe(1); // before: the new run retried at once, past the hour it was asked to wait
      const alerts = await w.cli(['alerts', '--pending', '--json'], env);
      expect((JSON.parse(alerts.stdout) as unknown[]).length).toBe(2); // both pushes kept, in order
    } finally {
      await hook.close();
    }
  }, 60_000);

  it('healthy variant: a plain 500 is retried by the next run at once', async () => {
    const hook = await receiver([{ status: 500 }]);
    try {
      const env = { WEBHOOK_URL: hook.url };
      expect((await w.cli(['run', '--json'], env)).code).toBe(0);
      expect(hook.count()).toBe(1);
      expect((await w.cli(['run', '--json'], env)).code).toBe(0);
      expect(hook.count()).toBe(3); // the first run's push again, then the second run's
    } finally {
      await hook.close();
    }
  }, 60_000);
});

describe('tg-canary report RUN_ID', () => {
  it('writes into reports/<id>/ (not reports/<id>/<id>/) and refreshes reports/latest.* for the latest run', async () => {
    const a = await w.cli(['run', '--json']);
    const b = await w.cli(['run', '--json']);
    const older = a.json?.runId as string;
    const latest = b.json?.runId as string;
    const reports = w.env.REPORTS_DIR as string;
    rmSync(join(reports, 'latest.json'), { force: true });
    rmSync(join(reports, latest), { recursive: true, force: true });
    const r = await w.cli(['report', latest, '--format', 'files']);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(reports, latest, 'verdict.json'))).toBe(true);
    expect(existsSync(join(reports, latest, latest))).toBe(false);
    expect((JSON.parse(readFileSync(join(reports, 'latest.json'), 'utf8')) as { runId: string }).runId).toBe(latest);
    // rebuilding an older run leaves latest.* on the latest one
    const o = await w.cli(['report', older, '--format', 'files']);
    expect(o.code, o.stderr).toBe(0);
    expect(existsSync(join(reports, older, 'report.html'))).toBe(true);
    expect((JSON.parse(readFileSync(join(reports, 'latest.json'), 'utf8')) as { runId: string }).runId).toBe(latest);
  }, 60_000);
});

describe('a full disk when the database is first created', () => {
  it('DB_FULL (or unwritable), exit 3, and no zero-length database file left behind', async () => {
    const vol = makeVolume(1024);
    volumes.push(vol);
    const db = join(vol.dir, 'fresh.db');
    let unfill = (): void => undefined;
    let prefix: string[] | undefined;
    if (vol.how === 'tmpfs') unfill = vol.fill();
    else prefix = ['prlimit', '--fsize=1', '--'];
    const { startCli } = await import('./helpers.js');
    const live = startCli(['run', '--json'], { ...w.env, TG_CANARY_DB: db }, { timeoutMs: 30_000, prefix });
    const end = await live.exited;
    unfill();
    expect(end.code, live.stderr()).toBe(3);
    expect(live.stderr()).toMatch(/\[DB_(FULL|UNWRITABLE)\]/);
    expect(existsSync(db), 'a zero-length database file was left behind').toBe(false);
    // with space again, the same path works
    const ok = await w.cli(['run', '--json'], { TG_CANARY_DB: db });
    expect(ok.code, ok.stderr).toBe(0);
  }, 60_000);
});
