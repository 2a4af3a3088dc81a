/**
 * Issue 15 #4 and the slow-header item of #9: the real `tg-canary serve` against the sandbox. Runs started over HTTP
 * (a new revision on GET /v1/verdict, the Flagger gate, POST /v1/runs) need the token or an allowed address and share
 * SERVE_MAX_RUNS_PER_HOUR; a client that never finishes its headers is closed at the configured 10 s.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../e2e/harness.js';
import { openStore } from '../../src/store/index.js';
import { createServeApp } from '../../src/status/http-server.js';
import { makeDeps, newWorld } from '../serve/serve-fixtures.js';
import { sleep, startCli, type LiveCli } from './helpers.js';
import { convertScenario } from '../support/scenarios.js';

const TOKEN = 'serve-token-0123456789abcdef';
let w: World;
const lives: LiveCli[] = [];

const quick = convertScenario();

async function serve(env: NodeJS.ProcessEnv): Promise<{ base: string; live: LiveCli; db: string }> {
  w.freshDb();
  const db = w.env.TG_CANARY_DB as string;
  const live = startCli(['serve'], {
    ...w.env, SERVE_HOST: '127.0.0.1', SERVE_PORT: '0', SERVE_SCHEDULE: '0 0 1 1 *', SERVE_JITTER_SECONDS: '0', ...env,
  }, { timeoutMs: 120_000 });
  lives.push(live);
  await live.waitFor(/listening on http:\/\/[\d.]+:\d+\//);
  const port = /listening on http:\/\/[\d.]+:(\d+)\//.exec(live.stderr())?.[1];
  return { base: `http://127.0.0.1:${port}`, live, db };
}

function runCount(db: string): number {
  const s = openStore(db, { readonly: true });
  try {
    return s.listRuns({ last: 100 }).length;
  } finally {
    s.close();
  }
}

const verdict = async (base: string, rev: string, token?: string): Promise<{ verdict: string; reasons: string[] }> => {
  const r = await fetch(`${base}/v1/verdict?target=canary&revision=${rev}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  expect(r.status).toBe(200); // Argo's web provider: always 200
  return (await r.json()) as { verdict: string; reasons: string[] };
};
const gate = (base: string, checksum: string, metadata: Record<string, string> = {}): Promise<Response> =>
  fetch(`${base}/v1/flagger/gate`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'bot', namespace: 'prod', phase: 'Progressing', checksum, metadata }),
  });
async function settled(base: string, rev: string, token: string): Promise<string> {
  for (let i = 0; i < 150; i++) {
    const v = await verdict(base, rev, token);
    if (v.verdict !== 'pending') return v.verdict;
    await sleep(200);
  }
  return 'pending';
}

beforeAll(async () => {
  w = await createWorld();
  w.writeScenario('convert', quick);
});
afterAll(async () => {
  for (const l of lives) l.child.kill('SIGKILL');
  await w?.close();
});

describe('serve: who may start runs', () => {
  it('without the token nobody starts a run; with it, all routes share SERVE_MAX_RUNS_PER_HOUR', async () => {
    const { base, db } = await serve({ SERVE_TOKEN: TOKEN, SERVE_MAX_RUNS_PER_HOUR: '2' });
    // the attack: 5 revision polls and 3 gate calls without a token (before: 8 runs started with a limit of 2)
    for (let i = 0; i < 5; i++) {
      const v = await verdict(base, `anon-${i}`);
      expect(v.verdict).toBe('inconclusive');
      expect(v.reasons[0]).toMatch(/bearer token/);
    }
    for (let i = 0; i < 3; i++) expect((await gate(base, `anon-gate-${i}`)).status).toBe(401);
    await sleep(500);
    expect(runCount(db)).toBe(0);

    // Flagger passes the token in the webhook metadata; Argo in the Authorization header
    const g = await gate(base, 'rev-a', { token: TOKEN });
    expect(g.status).toBe(503); // not passed yet: the run for rev-a has started
    expect(await settled(base, 'rev-a', TOKEN)).toBe('pass');
    expect((await verdict(base, 'rev-b', TOKEN)).verdict).toBe('pending');
    expect(await settled(base, 'rev-b', TOKEN)).toBe('pass');
    // the limit is reached for every route that can start a run
    const limited = await verdict(base, 'rev-c', TOKEN);
    expect(limited.verdict).toBe('inconclusive');
    expect(limited.reasons[0]).toMatch(/too many runs/);
    expect((await gate(base, 'rev-d', { token: TOKEN })).status).toBe(429);
    const runs = await fetch(`${base}/v1/runs`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(runs.status).toBe(429);
    expect(Number(runs.headers.get('retry-after'))).toBeGreaterThan(0);
    // a revision that already has a verdict is still answered (no run needed)
    expect((await verdict(base, 'rev-a')).verdict).toBe('pass');
    expect(runCount(db)).toBe(2);
  }, 90_000);

  it('healthy variant: an address on SERVE_RUN_ALLOW starts a revision run without the token', async () => {
    const { base, db } = await serve({ SERVE_RUN_ALLOW: '127.0.0.0/8' });
    expect((await verdict(base, 'allowed-1')).verdict).toBe('pending');
    for (let i = 0; i < 150 && runCount(db) === 0; i++) await sleep(100);
    expect(runCount(db)).toBe(1);
  }, 60_000);

  it('without a token or an allow-list, runs over HTTP are off (403 at the gate)', async () => {
    const { base, db } = await serve({});
    expect((await verdict(base, 'x-1')).reasons[0]).toMatch(/disabled/);
    expect((await gate(base, 'x-2')).status).toBe(403);
    await sleep(300);
    expect(runCount(db)).toBe(0);
  }, 60_000);
});

/** Opens a connection that sends one header byte per second and never finishes; resolves when it is closed. */
function slowHeaders(port: number): Promise<number> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const sock = connect(port, '127.0.0.1', () => sock.write('GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: '));
    const drip = setInterval(() => { if (!sock.destroyed) sock.write('a'); }, 1000);
    sock.on('data', () => undefined);
    sock.on('close', () => { clearInterval(drip); resolve(Date.now() - t0); });
    sock.on('error', () => undefined);
    setTimeout(() => sock.destroy(), 60_000);
  });
}

describe('slow headers', () => {
  it('the real serve closes a connection whose headers never finish at the configured 10 s (was ~36 s)', async () => {
    const { base } = await serve({});
    const ms = await slowHeaders(Number(new URL(base).port));
    expect(ms).toBeGreaterThanOrEqual(9_500);
    expect(ms).toBeLessThan(12_500);
  }, 60_000);

  it('a configured header timeout holds too (1.5 s), and a normal request is unaffected', async () => {
    const app = createServeApp(makeDeps(newWorld(), { headersTimeoutMs: 1500 }));
    const port = await app.listen(0, '127.0.0.1');
    try {
      const ms = await slowHeaders(port);
      expect(ms).toBeGreaterThanOrEqual(1_400);
      expect(ms).toBeLessThan(3_000);
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
