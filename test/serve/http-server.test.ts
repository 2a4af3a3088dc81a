import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerdictReport } from '../../src/core/types.js';
import { writeReports } from '../../src/reporters/index.js';
import { createServeApp, type ServeApp } from '../../src/status/http-server.js';
import { makeRun } from '../reporters/fixtures.js';
import { makeDeps, newWorld, type FakeWorld } from './serve-fixtures.js';

const TOKEN = 's3cret-token-value-0123456789';
let app: ServeApp;
let base: string;
let world: FakeWorld;
let reports: string;

function verdictOf(v: VerdictReport['verdict'], runId: string): VerdictReport {
  return { ...makeRun(runId).verdict, verdict: v, decision: v === 'fail' ? 'rollback' : v === 'pass' ? 'promote' : 'hold' };
}

beforeAll(async () => {
  reports = await mkdtemp(path.join(tmpdir(), 'tgc-serve-'));
  const run = makeRun();
  await writeReports({ run, history: [], dir: path.join(reports, run.runId) });
  world = newWorld();
  app = createServeApp(makeDeps(world, { token: TOKEN, maxRunsPerWindow: 2, reportsDir: reports }));
  const port = await app.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await app?.close();
  await rm(reports, { recursive: true, force: true });
});

/** Argo Rollouts' web provider: GET, then reads `verdict` from the JSON. */
async function argoPoll(query: string, token?: string): Promise<{ status: number; verdict: string; body: Record<string, unknown> }> {
  const res = await fetch(`${base}/v1/verdict?${query}`, { headers: { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) } });
  const body = (await res.json()) as Record<string, unknown>;
  return { status: res.status, verdict: String(body.verdict), body };
}

/** Flagger's webhook call: POST JSON with name, namespace, phase, checksum, metadata. */
function flagger(route: string, payload: unknown, raw?: string): Promise<Response> {
  return fetch(`${base}/v1/flagger/${route}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: raw ?? JSON.stringify(payload),
  });
}

describe('health, readiness, status, metrics', () => {
  it('answers liveness always and readiness when ready', async () => {
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const head = await fetch(`${base}/health`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    world.ready = false;
    const r1 = await fetch(`${base}/ready`);
    expect(r1.status).toBe(503);
    expect(await r1.json()).toEqual({ ready: false });
    world.ready = true;
    expect((await fetch(`${base}/ready`)).status).toBe(200);
  });

  it('serves status JSON, metrics and security headers', async () => {
    const res = await fetch(`${base}/status`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(((await res.json()) as { status: string }).status).toBe('ok');
    const m = await fetch(`${base}/metrics`);
    expect(m.headers.get('content-type')).toContain('version=0.0.4');
    expect(await m.text()).toContain('tg_canary_run_success');
  });

  it('serves the status page and the latest reports, and nothing outside them', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<meta http-equiv="refresh" content="30">');
    const rep = await fetch(`${base}/reports/latest.html`);
    expect(rep.status).toBe(200);
    expect(await rep.text()).toContain('tg-canary');
    expect((await fetch(`${base}/reports/latest.json`)).headers.get('content-type')).toMatch(/application\/json/);
    expect((await fetch(`${base}/reports/${makeRun().runId}/junit.xml`)).status).toBe(200);
    expect((await fetch(`${base}/reports/nope/report.html`)).status).toBe(404);
    expect((await fetch(`${base}/reports/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
    expect((await fetch(`${base}/reports/../../etc/passwd`)).status).toBe(404);
  });

  it('404 for unknown paths, 405 with Allow for wrong methods', async () => {
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    const r = await fetch(`${base}/health`, { method: 'POST' });
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('GET, HEAD');
    const g = await fetch(`${base}/v1/runs`);
    expect(g.status).toBe(405);
    expect(g.headers.get('allow')).toBe('POST');
    expect((await fetch(`${base}/v1/flagger/gate`, { method: 'DELETE' })).status).toBe(405);
  });
});

describe('GET /v1/verdict as Argo Rollouts polls it', () => {
  it('returns the verdict JSON with HTTP 200', async () => {
    world.verdicts.set('latest', verdictOf('fail', 'run-latest'));
    const r = await argoPoll('target=canary');
    expect(r.status).toBe(200);
    expect(r.verdict).toBe('fail');
    expect(r.body.decision).toBe('rollback');
    expect(r.body.schema).toBe(1);
  });

  it('starts one run for an unseen revision and answers pending until it is done', async () => {
    // without the token no run starts: inconclusive (hold), still HTTP 200 for Argo
    const anon = await argoPoll('target=canary&revision=abc123');
    expect(anon).toMatchObject({ status: 200, verdict: 'inconclusive' });
    expect(String((anon.body.reasons as string[])[0])).toMatch(/bearer token/);
    expect(world.runs.filter((r) => r.revision === 'abc123')).toHaveLength(0);
    const first = await argoPoll('target=canary&revision=abc123', TOKEN);
    expect(first).toMatchObject({ status: 200, verdict: 'pending' });
    const second = await argoPoll('target=canary&revision=abc123', TOKEN);
    expect(second).toMatchObject({ status: 200, verdict: 'pending' });
    expect(world.runs.filter((r) => r.revision === 'abc123')).toHaveLength(1);
    world.verdicts.set('abc123', verdictOf('pass', 'run-abc'));
    expect(await argoPoll('target=canary&revision=abc123')).toMatchObject({ status: 200, verdict: 'pass' });
  });

  it('stays 200 on internal errors, bad targets and bad revisions (inconclusive)', async () => {
    world.failVerdict = true;
    const r = await argoPoll('target=canary');
    world.failVerdict = false;
    expect(r.status).toBe(200);
    expect(r.verdict).toBe('inconclusive');
    expect(r.body.reasons).toEqual(['tester error: STORE_LOCKED: database is locked']);
    const bad = await argoPoll('target=<script>');
    expect(bad).toMatchObject({ status: 200, verdict: 'inconclusive' });
    expect(JSON.stringify(bad.body)).not.toContain('<script>');
    expect(await argoPoll('target=canary&revision=a%20b')).toMatchObject({ status: 200, verdict: 'inconclusive' });
  });
});

describe('Flagger webhooks', () => {
  const payload = (checksum: string): Record<string, unknown> => ({
    name: 'podinfo',
    namespace: 'test',
    phase: 'Progressing',
    checksum,
    metadata: { test: 'all', token: 'flagger-meta-secret' },
  });

  it('gate: 200 when the verdict for the checksum is pass, 503 with the reason otherwise', async () => {
    world.verdicts.set('85d557f47b', verdictOf('pass', 'r1'));
    world.verdicts.set('deadbeef', verdictOf('fail', 'r2'));
    const ok = await flagger('gate', payload('85d557f47b'));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, reason: 'verdict pass' });
    const no = await flagger('gate', payload('deadbeef'));
    expect(no.status).toBe(503);
    expect(((await no.json()) as { reason: string }).reason).toBe('verdict fail');
    const unknown = await flagger('gate', payload('0000'));
    expect(unknown.status).toBe(503);
    // the metadata token never travels further
    expect(JSON.stringify(world.flaggerSeen)).not.toContain('flagger-meta-secret');
  });

  it('rollback: 200 only when the canary fails', async () => {
    expect((await flagger('rollback', payload('deadbeef'))).status).toBe(200);
    expect((await flagger('rollback', payload('85d557f47b'))).status).toBe(503);
  });

  it('rejects malformed JSON (400), bad payloads (400) and oversized bodies (413) without echoing them', async () => {
    const bad = await flagger('gate', null, '{"name": "podinfo", ');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'malformed JSON body' });
    const noName = await flagger('gate', { namespace: 'x', metadata: { token: 'leak-me' } });
    expect(noName.status).toBe(400);
    expect(await noName.text()).not.toContain('leak-me');
    const big = await flagger('gate', { ...payload('x'), pad: 'a'.repeat(70 * 1024) });
    expect(big.status).toBe(413);
    // chunked, with no Content-Length: counted while streaming
    const chunk = new TextEncoder().encode('a'.repeat(16 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent++ < 6) c.enqueue(chunk);
        else c.close();
      },
    });
    const chunked = await fetch(`${base}/v1/flagger/gate`, { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect(chunked.status).toBe(413);
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });
});

describe('POST /v1/runs', () => {
  const post = (auth?: string, body?: unknown): Promise<Response> =>
    fetch(`${base}/v1/runs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(auth ? { Authorization: auth } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('needs the bearer token', async () => {
    const none = await post();
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    const wrong = await post('Bearer nope');
    expect(wrong.status).toBe(401);
    const wrongText = await wrong.text();
    expect(wrongText).not.toContain(TOKEN);
    expect((await post(`Bearer ${TOKEN}x`)).status).toBe(401);
    expect((await post(`Basic ${TOKEN}`)).status).toBe(401);
  });

  it('202 with a run id, 409 while running, 429 past the limit (shared with revision runs)', async () => {
    world.running = false;
    const before = world.runs.length;
    const ok = await post(`Bearer ${TOKEN}`, { revision: 'v2', reason: 'deploy' });
    expect(ok.status).toBe(202);
    expect(((await ok.json()) as { runId: string }).runId).toMatch(/^run-/);
    expect(world.runs[before]).toEqual({ revision: 'v2', reason: 'deploy' });
    // the limit (2 per window) is shared: the revision run started by /v1/verdict above took the other slot
    world.running = false;
    const limited = await post(`Bearer ${TOKEN}`);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await post(`Bearer ${TOKEN}`, { revision: 'bad revision!' })).status).toBe(400);
  });

  it('409 while a run is in progress', async () => {
    const w = newWorld();
    const a = createServeApp(makeDeps(w, { token: TOKEN, maxRunsPerWindow: 5 }));
    const port = await a.listen(0, '127.0.0.1');
    try {
      const p = (): Promise<Response> => fetch(`http://127.0.0.1:${port}/v1/runs`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` } });
      expect((await p()).status).toBe(202);
      expect((await p()).status).toBe(409);
      w.running = false;
      expect((await p()).status).toBe(202);
    } finally {
      await a.close();
    }
  });
});

describe('private reads and disabled runs', () => {
  it('with privateReads every read but /health and /ready needs the token', async () => {
    const w = newWorld();
    w.ready = true;
    const priv = createServeApp(makeDeps(w, { token: TOKEN, privateReads: true }));
    const port = await priv.listen(0, '127.0.0.1');
    const u = `http://127.0.0.1:${port}`;
    try {
      expect((await fetch(`${u}/health`)).status).toBe(200);
      expect((await fetch(`${u}/ready`)).status).toBe(200);
      for (const p of ['/status', '/metrics', '/v1/verdict?target=canary', '/']) {
        expect((await fetch(`${u}${p}`)).status).toBe(401);
        expect((await fetch(`${u}${p}`, { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
      }
      const gate = (body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
        fetch(`${u}/v1/flagger/gate`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
      expect((await gate({ name: 'a', namespace: 'b', phase: 'Progressing' })).status).toBe(401);
      expect((await gate({ name: 'a', namespace: 'b', phase: 'Progressing', metadata: { token: TOKEN } })).status).toBe(503);
      expect((await gate({ name: 'a', namespace: 'b', phase: 'Progressing' }, { Authorization: `Bearer ${TOKEN}` })).status).toBe(503);
    } finally {
      await priv.close();
    }
  });

  it('without a token, on-demand runs are refused and private reads cannot be configured', async () => {
    const open = createServeApp(makeDeps(newWorld()));
    const port = await open.listen(0, '127.0.0.1');
    try {
      const r = await fetch(`http://127.0.0.1:${port}/v1/runs`, { method: 'POST' });
      expect(r.status).toBe(403);
    } finally {
      await open.close();
    }
    expect(() => createServeApp(makeDeps(newWorld(), { privateReads: true }))).toThrow(/token/);
  });
});
