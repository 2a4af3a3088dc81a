/**
 * `tg-canary serve` as a real process against the sandbox, called the way the deploy controllers call it:
 * Argo Rollouts' web provider (GET, JSON, `jsonPath: {$.verdict}`, any non-2xx is an error), Flagger's webhooks
 * (POST `{name, namespace, phase, checksum, metadata}`), on-demand runs with the bearer token, /metrics, /status,
 * and SIGTERM in the middle of a run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../e2e/harness.js';
import { argoPoll, CONVERT, getJson, startServe, type ServeProcess } from './helpers.js';
import { waitFor } from '../support/wait.js';

const TOKEN = 'serve-token-decisions-0123456789';

let w: World;
let serve: ServeProcess;

beforeAll(async () => {
  w = await createWorld();
  w.writeScenario('convert', CONVERT());
  serve = await startServe(['serve'], {
    ...w.env,
    SERVE_PORT: '0',
    SERVE_HOST: '127.0.0.1',
    SERVE_TOKEN: TOKEN,
    SERVE_SCHEDULE: '0 0 1 1 *', // no scheduled run during the test
    SERVE_JITTER_SECONDS: '0',
  });
});
afterAll(async () => {
  await serve?.stop('SIGKILL');
  await w?.close();
});

/** Polls like Argo's web provider until `$.verdict` is not `pending`; every answer must be HTTP 200. */
async function argoUntilDone(revision: string): Promise<{ polls: unknown[]; body: Record<string, unknown> }> {
  const url = `${serve.url}/v1/verdict?target=canary&revision=${encodeURIComponent(revision)}`;
  const polls: unknown[] = [];
  const statuses: number[] = [];
  let body: Record<string, unknown> = {};
  await waitFor(async () => {
    const r = await argoPoll(url, TOKEN);
    statuses.push(r.status);
    if (r.status !== 200) return true; // stop and fail below
    polls.push(r.verdict);
    body = r.body;
    return r.verdict !== 'pending';
  }, `a verdict for ${revision}`, 40_000, 250);
  expect(statuses.every((s) => s === 200), `statuses ${statuses.join(',')}`).toBe(true);
  return { polls, body };
}

const flagger = (path: string, checksum: string, phase = 'Progressing'): Promise<{ status: number; body: Record<string, unknown> }> =>
  getJson(`${serve.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'podinfo', namespace: 'test', phase, checksum, metadata: { type: 'confirm-rollout', cmd: 'none', token: TOKEN } }),
  });

describe('tg-canary serve (real process)', () => {
  it('answers health, readiness, and "no run yet" before the first run', async () => {
    expect((await getJson(`${serve.url}/health`)).status).toBe(200);
    expect((await getJson(`${serve.url}/ready`)).body).toEqual({ ready: true });
    const v = await argoPoll(`${serve.url}/v1/verdict?target=canary`);
    expect(v).toMatchObject({ status: 200, verdict: 'inconclusive' });
    const gate = await flagger('/v1/flagger/rollback', '');
    expect(gate.status).toBe(503);
  });

  it('Argo: an unseen revision is pending (and starts a run), stays pending, then passes; Flagger gate opens', async () => {
    const url = `${serve.url}/v1/verdict?target=canary&revision=rev-good`;
    const first = await argoPoll(url, TOKEN);
    expect(first.status).toBe(200);
    expect(first.verdict).toBe('pending');
    expect(String((first.body.reasons as string[])[0])).toMatch(/run for revision rev-good has started/);
    const second = await argoPoll(url, TOKEN);
    expect(second).toMatchObject({ status: 200, verdict: 'pending' });
    expect(String((second.body.reasons as string[])[0])).toMatch(/in progress/);
    const { polls, body } = await argoUntilDone('rev-good');
    expect(polls.slice(0, -1).every((p) => p === 'pending')).toBe(true);
    expect(body).toMatchObject({ verdict: 'pass', revision: 'rev-good', decision: 'promote', target: 'canary' });
    // one run for that revision only, however many polls
    const hist = JSON.parse((await w.cli(['history', '--json'])).stdout) as { runs: { revision?: string }[] };
    expect(hist.runs.filter((r) => r.revision === 'rev-good')).toHaveLength(1);

    const gate = await flagger('/v1/flagger/gate', 'rev-good');
    expect(gate).toMatchObject({ status: 200, body: { ok: true } });
    const rollback = await flagger('/v1/flagger/rollback', 'rev-good');
    expect(rollback.status).toBe(503);
    expect(rollback.body.rollback).toBe(false);
    // stable's view of the same run
    expect((await argoPoll(`${serve.url}/v1/verdict?target=stable&revision=rev-good`)).verdict).toBe('pass');

    const metrics = await (await fetch(`${serve.url}/metrics`)).text();
    expect(metrics).toMatch(/^tg_canary_run_success\{[^}]*target="canary"[^}]*\} 1$/m);
    expect(metrics).toMatch(/^tg_canary_verdict\{[^}]*verdict="pass"[^}]*\} 1$/m);
    expect(metrics).toMatch(/^tg_canary_scenario_success\{[^}]*scenario="convert"[^}]*\} 1$/m);
    expect(metrics).toMatch(/^tg_canary_reply_latency_seconds\{/m);

    const status = (await getJson(`${serve.url}/status`)).body;
    expect(Object.keys(status).sort()).toEqual(['features', 'last_test', 'status', 'uptime_seconds', 'version']);
    expect(status).toMatchObject({ status: 'ok', version: expect.any(String), uptime_seconds: expect.any(Number) });
    const lastTest = status.last_test as { timestamp: string; results: Record<string, { status: string }> };
    expect(Number.isNaN(Date.parse(lastTest.timestamp))).toBe(false);
    expect(Object.keys(lastTest.results).sort()).toEqual(['favors', 'jokes', 'memories', 'rag']);
    expect(lastTest.results.favors?.status).toBe('pass');
    expect(lastTest.results.jokes?.status).toBe('not_run');
    expect(status.features).toMatchObject({ favors: true, jokes: false });
  }, 60_000);

  it('Argo and Flagger: a broken canary revision fails, the gate answers 503 with the reason, rollback 200', async () => {
    w.sandbox.faults.add({ kind: 'error_text', bot: 'canary_bot', text: 'Error: model overloaded' });
    try {
      // Flagger's confirm-rollout for an unseen checksum: 503 while pending (starts the run)
      const early = await flagger('/v1/flagger/gate', 'rev-bad', 'Progressing');
      expect(early.status).toBe(503);
      expect(String(early.body.reason)).toMatch(/pending/);
      const { body } = await argoUntilDone('rev-bad');
      expect(body).toMatchObject({ verdict: 'fail', decision: 'rollback', revision: 'rev-bad' });
      // the numbers behind the verdict reach Argo in the same body
      expect(body.failureRates).toMatchObject({ runs: 1, overall: { band: 'fail', significant: true, canary: { n: 5, failures: 5 }, stable: { n: 5, failures: 0 } } });
      expect((body.failureRates as { overall: { p: number } }).overall.p).toBeCloseTo(1 / 252, 5);
      expect((body.reasons as string[]).join(' ')).toMatch(/canary regression: failure rate overall: .*canary 100% \(5\/5\) vs stable 0% \(0\/5\).*failed in this run: convert ×5/);
      const gate = await flagger('/v1/flagger/gate', 'rev-bad');
      expect(gate.status).toBe(503);
      expect(gate.body).toMatchObject({ ok: false });
      expect(String(gate.body.reason)).toMatch(/canary verdict fail: canary regression: failure rate overall: .*convert ×5/);
      const rollback = await flagger('/v1/flagger/rollback', 'rev-bad');
      expect(rollback).toMatchObject({ status: 200, body: { rollback: true } });
      // the earlier good revision keeps its own verdict
      expect((await flagger('/v1/flagger/gate', 'rev-good')).status).toBe(200);
      // a malformed Flagger payload is a 400, not a crash
      const bad = await getJson(`${serve.url}/v1/flagger/gate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"phase":1}' });
      expect(bad.status).toBe(400);
      // bad query values are still HTTP 200 for Argo
      const odd = await argoPoll(`${serve.url}/v1/verdict?target=prod`);
      expect(odd).toMatchObject({ status: 200, verdict: 'inconclusive' });
    } finally {
      w.sandbox.faults.clear();
    }
  }, 60_000);

  it('POST /v1/runs needs the bearer token; SIGTERM mid-run exits within 10 s and the run is recorded', async () => {
    const post = (auth?: string): Promise<{ status: number; body: Record<string, unknown> }> =>
      getJson(`${serve.url}/v1/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
        body: JSON.stringify({ reason: 'e2e', revision: 'rev-term' }),
      });
    expect((await post()).status).toBe(401);
    expect((await post('Bearer wrong-token')).status).toBe(401);
    expect(JSON.stringify((await post('Bearer x')).body)).not.toContain(TOKEN);
    w.sandbox.faults.add({ kind: 'latency', bot: 'canary_bot', ms: 1500 });
    const logFrom = w.sandbox.callLog.length;
    const started = await post(`Bearer ${TOKEN}`);
    expect(started.status).toBe(202);
    const runId = String(started.body.runId);
    expect(runId).toMatch(/\S/);
    expect((await post(`Bearer ${TOKEN}`)).status).toBe(409);
    // wait until the canary has its message (mid-run), then stop the daemon
    await waitFor(() => w.sandbox.callLog.slice(logFrom).some((c) => /sendmessage/i.test(c.method)), 'the run to be talking to the bots', 20_000, 50);
    const sigtermAt = Date.now();
    const stopped = await serve.stop('SIGTERM');
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(10_000);
    expect(serve.stderr()).toMatch(/SIGTERM, stopping/);
    const hist = JSON.parse((await w.cli(['history', '--json'])).stdout) as { runs: { runId: string; revision?: string; verdict: string; aborted?: boolean; finishedAt: number | null }[] };
    const rec = hist.runs.find((r) => r.runId === runId);
    expect(rec, JSON.stringify(hist.runs)).toBeDefined();
    // it was still running when the signal came, and it was finished (or stored as aborted), not lost
    expect(rec?.finishedAt).toBeGreaterThan(sigtermAt);
    expect(rec?.revision).toBe('rev-term');
    expect(['pass', 'fail', 'inconclusive']).toContain(rec?.verdict);
    w.sandbox.faults.clear();
  }, 60_000);
});

describe('tg-canary serve with private reads', () => {
  it('reads need the bearer token (Argo sends it as a header, Flagger as metadata.token); liveness stays open', async () => {
    w.freshDb();
    const priv = await startServe(['serve'], {
      ...w.env, SERVE_PORT: '0', SERVE_HOST: '127.0.0.1', SERVE_TOKEN: TOKEN, SERVE_PRIVATE_READS: 'true',
      SERVE_SCHEDULE: '0 0 1 1 *', SERVE_JITTER_SECONDS: '0',
    });
    try {
      expect((await getJson(`${priv.url}/health`)).status).toBe(200);
      for (const path of ['/v1/verdict?target=canary', '/status', '/metrics', '/']) {
        expect((await fetch(`${priv.url}${path}`)).status, path).toBe(401);
      }
      const withToken = await getJson(`${priv.url}/v1/verdict?target=canary`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(withToken).toMatchObject({ status: 200, body: { verdict: 'inconclusive' } });
      const gate = (token?: string): Promise<{ status: number; body: Record<string, unknown> }> =>
        getJson(`${priv.url}/v1/flagger/rollback`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'podinfo', namespace: 'test', phase: 'Progressing', checksum: 'rev-x', metadata: token ? { token } : {} }),
        });
      expect((await gate()).status).toBe(401);
      expect((await gate('nope')).status).toBe(401);
      const ok = await gate(TOKEN);
      expect(ok.status).toBe(503); // authorised; no verdict for rev-x, so no rollback
      expect(JSON.stringify(ok.body)).not.toContain(TOKEN);
      expect(priv.stderr()).not.toContain(TOKEN);
    } finally {
      await priv.stop();
    }
  }, 30_000);
});

describe('tg-canary serve: SIGTERM during a run longer than the grace period', () => {
  it('exits within 10 s and stores the run as aborted', async () => {
    w.freshDb();
    w.writeScenario('slow', `
name: slow
suite: favor
targets: [canary]
timeout: 40s
steps:
  - send: "Convert 10 km to miles"
  - expect: { timeout: 30s, settle: 200ms, assert: [ { type: contains, value: "6.21" } ] }
`);
    w.sandbox.faults.add({ kind: 'latency', bot: 'canary_bot', ms: 25_000 });
    const s = await startServe(['serve', '--run-on-start'], {
      ...w.env, SERVE_PORT: '0', SERVE_HOST: '127.0.0.1', SERVE_SCHEDULE: '0 0 1 1 *', SERVE_JITTER_SECONDS: '0',
    });
    try {
      const logFrom = w.sandbox.callLog.length;
      await waitFor(() => w.sandbox.callLog.slice(logFrom).some((c) => /sendmessage/i.test(c.method)), 'the run to send its prompt', 20_000, 50);
      const stopped = await s.stop('SIGTERM');
      expect(stopped.code).toBe(0);
      expect(stopped.ms).toBeLessThan(10_000);
      const hist = JSON.parse((await w.cli(['history', '--json'])).stdout) as { runs: { verdict: string; aborted: boolean; finishedAt: number | null }[] };
      expect(hist.runs).toHaveLength(1);
      expect(hist.runs[0]).toMatchObject({ verdict: 'inconclusive', aborted: true });
      expect(hist.runs[0]?.finishedAt).not.toBeNull();
    } finally {
      await s.stop('SIGKILL');
      w.sandbox.faults.clear();
    }
  }, 40_000);
});
