/**
 * The deploy controllers' contracts against a real `tg-canary serve` process and the sandbox:
 * - Argo Rollouts: the shipped web AnalysisTemplate's metric (k8s/argo/analysis-template-web.yaml), polled and
 *   judged by a model of Argo's own code (argo-model.ts): a good revision ends Successful, a broken one Failed, an
 *   inconclusive one Inconclusive (the rollout pauses), never Failed;
 * - the "queued behind the run in progress" answer is true: the revision runs afterwards without being asked again;
 * - Flagger: the hooks the recipe uses (k8s/flagger/canary.yaml), called in Flagger's order with its payloads.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createWorld, type World } from '../e2e/harness.js';
import { CONVERT, getJson, startServe, type ServeProcess } from '../decisions/helpers.js';
import { waitFor } from '../support/wait.js';
import { K8S_DIR } from '../k8s/manifests.js';
import { assess, evalCondition, measure, type Phase, type WebMetric } from './argo-model.js';

let w: World;
let serve: ServeProcess;
const TOKEN = 'argo-flagger-test-token';
const AUTH = { authorization: `Bearer ${TOKEN}` };

const template = parse(readFileSync(join(K8S_DIR, 'argo/analysis-template-web.yaml'), 'utf8')) as {
  spec: { metrics: (WebMetric & { provider: { web: { url: string; jsonPath: string; headers?: { key: string; value: string }[] } } })[] };
};
const metricSpec = template.spec.metrics[0];
const METRIC: WebMetric = { ...(metricSpec as WebMetric), jsonPath: metricSpec?.provider.web.jsonPath ?? '' };

beforeAll(async () => {
  w = await createWorld();
  // CONVERT has no trailing-message window: these tests are about the controllers, and every poll budget counts
  w.writeScenario('convert', CONVERT());
  serve = await startServe(['serve'], {
    ...w.env, SERVE_PORT: '0', SERVE_HOST: '127.0.0.1', SERVE_SCHEDULE: '0 0 1 1 *', SERVE_JITTER_SECONDS: '0',
    // starting a run for a new revision needs the token: Argo sends it as a header, Flagger in the hook's metadata
    SERVE_TOKEN: TOKEN,
  });
}, 90_000); // serve's first start on a busy 2-core machine (it waits for its first run's lease and the session)
afterAll(async () => {
  await serve?.stop('SIGKILL');
  await w?.close();
});

/** The template's metric run against serve, one poll every `everyMs` (Argo: `interval`), until it completes. */
async function analysis(revision: string, everyMs = 600): Promise<{ phase: Phase; values: unknown[] }> {
  const url = (metricSpec?.provider.web.url ?? '').replace('http://tg-canary.tg-canary.svc:8080', serve.url).replace('{{args.revision}}', encodeURIComponent(revision));
  const phases: Phase[] = [];
  const values: unknown[] = [];
  for (;;) {
    let status: number | 'network-error' = 'network-error';
    let body = '';
    try {
      // the template's headers, with its args filled in as Argo does
      const headers = Object.fromEntries((metricSpec?.provider.web.headers ?? []).map((h) => [h.key, h.value.replace('{{args.serve-token}}', TOKEN)]));
      const r = await fetch(url, { headers });
      status = r.status;
      body = await r.text();
      expect(r.headers.get('content-type')).toMatch(/^application\/json/); // a non-JSON 200 would be Successful in Argo
    } catch { /* network error */ }
    const m = measure(METRIC, status, body);
    phases.push(m.phase);
    values.push(m.value);
    const result = assess(METRIC, phases);
    if (result !== 'Running') return { phase: result, values };
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

const hook = (path: string, body: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> =>
  getJson(`${serve.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** Flagger's payload (CanaryWebhookPayload) with the recipe's metadata. */
const payload = (checksum: string, phase: string, target = 'canary'): Record<string, unknown> => ({ name: 'my-bot', namespace: 'my-bot', phase, checksum, metadata: { target, token: TOKEN } });

describe('Argo Rollouts web provider: the shipped template, judged the way Argo judges it', () => {
  it('the template\'s conditions on real verdict values: pass succeeds, fail fails, pending and inconclusive neither', () => {
    expect(METRIC.successCondition).toBe('result == "pass"');
    expect(METRIC.failureCondition).toBe('result == "fail"');
    expect(measure(METRIC, 200, JSON.stringify({ verdict: 'pass' })).phase).toBe('Successful');
    expect(measure(METRIC, 200, JSON.stringify({ verdict: 'fail' })).phase).toBe('Failed');
    expect(measure(METRIC, 200, JSON.stringify({ verdict: 'pending' })).phase).toBe('Inconclusive');
    expect(measure(METRIC, 200, JSON.stringify({ verdict: 'inconclusive' })).phase).toBe('Inconclusive');
    expect(measure(METRIC, 503, '{}').phase).toBe('Error');
    expect(measure(METRIC, 200, JSON.stringify({ other: 1 })).phase).toBe('Error');
    expect(() => evalCondition('result > 1', 1)).toThrow(/unsupported/);
    // the limits the template sets (Argo >= 1.8 for consecutiveSuccessLimit)
    expect(METRIC.consecutiveSuccessLimit).toBe(1);
    expect(METRIC.failureLimit).toBe(0);
    expect(METRIC.consecutiveErrorLimit).toBeGreaterThanOrEqual(10);
    expect(METRIC.count).toBeLessThanOrEqual(METRIC.inconclusiveLimit ?? 0);
    // one pass ends the analysis: it does not wait out `count` polls
    expect(assess(METRIC, ['Inconclusive', 'Inconclusive', 'Successful'])).toBe('Successful');
    expect(assess(METRIC, Array<Phase>(METRIC.count ?? 0).fill('Inconclusive'))).toBe('Inconclusive');
  });

  it('a good revision: pending polls, then Successful at the first pass', async () => {
    const r = await analysis('rev-argo-good');
    expect(r.phase).toBe('Successful');
    expect(r.values.at(-1)).toBe('pass');
    expect(r.values.slice(0, -1).every((v) => v === 'pending')).toBe(true);
  }, 60_000);

  it('a broken canary revision: Failed (the rollout aborts)', async () => {
    w.sandbox.faults.add({ kind: 'error_text', bot: 'canary_bot', text: 'Error: model overloaded' });
    try {
      const r = await analysis('rev-argo-bad', 1500); // five failing attempts take a while: poll as slowly as Argo's 1m
      const v = (await getJson(`${serve.url}/v1/verdict?target=canary&revision=rev-argo-bad`, { headers: AUTH })).body;
      expect(r.phase, JSON.stringify(v.reasons)).toBe('Failed');
      expect(r.values.at(-1)).toBe('fail');
    } finally {
      w.sandbox.faults.clear();
    }
  }, 60_000);

  it('Telegram flood wait during the run: Inconclusive (the rollout pauses), never Failed', async () => {
    w.sandbox.faults.add({ kind: 'rpc_error', method: 'messages.sendMessage', error: 'FLOOD_WAIT_300' });
    try {
      const r = await analysis('rev-argo-flood', 50);
      expect(r.phase).toBe('Inconclusive');
      expect(r.values).toContain('inconclusive');
      expect(r.values).not.toContain('fail');
    } finally {
      w.sandbox.faults.clear();
    }
  }, 60_000);
});

describe('a revision asked for while another run is going is queued, and runs', () => {
  it('answers "queued" and runs it after the current run, without being asked again', async () => {
    // slow, so the first run is still going when the second revision is asked for; both bots alike, so the canary
    // is not slower than its baseline (a canary-only delay is a latency regression, and rev-q2 would fail)
    w.sandbox.faults.add({ kind: 'latency', bot: 'canary_bot', ms: 1500 });
    w.sandbox.faults.add({ kind: 'latency', bot: 'stable_bot', ms: 1500 });
    try {
      const first = (await getJson(`${serve.url}/v1/verdict?target=canary&revision=rev-q1`, { headers: AUTH })).body;
      expect(first.verdict).toBe('pending');
      const second = (await getJson(`${serve.url}/v1/verdict?target=canary&revision=rev-q2`, { headers: AUTH })).body;
      expect(second.verdict).toBe('pending');
      expect(String((second.reasons as string[])[0])).toMatch(/another run is in progress; the run for revision rev-q2 is queued and starts after run \S+ \(revision rev-q1\)/);
      // asked once only: the queued run happens by itself
      const runs = await waitFor(async () => {
        const h = JSON.parse((await w.cli(['history', '--json'])).stdout) as { runs: { revision?: string; finishedAt: number | null; startedAt: number }[] };
        const q1 = h.runs.find((r) => r.revision === 'rev-q1' && r.finishedAt !== null);
        const q2 = h.runs.find((r) => r.revision === 'rev-q2' && r.finishedAt !== null);
        return q1 && q2 ? { q1, q2 } : undefined;
      }, 'both queued revisions to run', 40_000, 300);
      expect(runs.q2.startedAt).toBeGreaterThanOrEqual(runs.q1.finishedAt ?? Infinity);
      const done = (await getJson(`${serve.url}/v1/verdict?target=canary&revision=rev-q2`, { headers: AUTH })).body;
      expect(done.verdict).toBe('pass');
    } finally {
      w.sandbox.faults.clear();
    }
  }, 60_000);
});

describe('Flagger: the recipe\'s hooks, called in Flagger\'s order', () => {
  const recipe = parse(readFileSync(join(K8S_DIR, 'flagger/canary.yaml'), 'utf8')) as {
    spec: { provider?: string; analysis: { webhooks: { type: string; url: string; metadata?: Record<string, string> }[] } };
  };
  const urlOf = (type: string): string => new URL(recipe.spec.analysis.webhooks.find((h) => h.type === type)?.url ?? 'http://x/none').pathname;

  it('the recipe uses pre-rollout (start), confirm-promotion (gate), rollback; no confirm-rollout; kubernetes provider', () => {
    expect(recipe.spec.provider).toBe('kubernetes');
    expect(recipe.spec.analysis.webhooks.map((h) => h.type).sort()).toEqual(['confirm-promotion', 'pre-rollout', 'rollback']);
    expect(urlOf('pre-rollout')).toBe('/v1/flagger/start');
    expect(urlOf('confirm-promotion')).toBe('/v1/flagger/gate');
    expect(urlOf('rollback')).toBe('/v1/flagger/rollback');
    expect(recipe.spec.analysis.webhooks.every((h) => h.metadata?.target === 'canary')).toBe(true);
  });

  it('a failed rollout, then a fixed one: confirm-rollout is not judged, a failed checksum is not a fail for ever', async () => {
    // rollout 1 fails
    w.sandbox.faults.add({ kind: 'error_text', bot: 'canary_bot', text: 'Error: model overloaded' });
    try {
      const start = await hook(urlOf('pre-rollout'), payload('cs-1', 'Progressing'));
      expect(start.status).toBe(202);
      const rollback = await waitFor(async () => {
        const r = await hook(urlOf('rollback'), payload('cs-1', 'Progressing'));
        return r.status === 200 ? r : undefined;
      }, 'the rollback hook to signal', 30_000, 200);
      expect(rollback.body).toMatchObject({ rollback: true });
      expect((await hook(urlOf('confirm-promotion'), payload('cs-1', 'WaitingPromotion'))).status).toBe(503);
    } finally {
      w.sandbox.faults.clear();
    }
    // rollout 2: Flagger calls a confirm-rollout hook (if a user kept one) with the LAST APPLIED checksum, the
    // failed one, in phase Failed: approved, not judged
    const confirm = await hook('/v1/flagger/gate', payload('cs-1', 'Failed'));
    expect(confirm.status).toBe(200);
    expect(String(confirm.body.reason)).toMatch(/not judged in phase Failed/);
    // the same checksum rolled out again (e.g. a bot-side fix, same spec): pre-rollout runs it afresh
    const again = await hook(urlOf('pre-rollout'), payload('cs-1', 'Progressing'));
    expect(again.status).toBe(202);
    expect(String(again.body.reason)).toMatch(/has started|in progress|queued/);
    expect((await hook(urlOf('rollback'), payload('cs-1', 'Progressing'))).status).toBe(503); // the old fail no longer counts
    const gate = await waitFor(async () => {
      const r = await hook(urlOf('confirm-promotion'), payload('cs-1', 'WaitingPromotion'));
      return r.status === 200 ? r : undefined;
    }, 'the gate to open', 30_000, 200);
    expect(gate.body).toMatchObject({ ok: true });
  }, 90_000);

  it('inconclusive: pre-rollout still 202 (never counts towards threshold), the gate waits, no rollback', async () => {
    w.sandbox.faults.add({ kind: 'rpc_error', method: 'messages.sendMessage', error: 'FLOOD_WAIT_300' });
    try {
      for (let i = 0; i < 3; i++) expect((await hook(urlOf('pre-rollout'), payload('cs-flood', 'Progressing'))).status).toBeLessThanOrEqual(202);
      const gate = await waitFor(async () => {
        const r = await hook(urlOf('confirm-promotion'), payload('cs-flood', 'WaitingPromotion'));
        return /verdict inconclusive/.test(String(r.body.reason)) ? r : undefined;
      }, 'an inconclusive verdict', 30_000, 200);
      expect(gate.status).toBe(503);
      expect((await hook(urlOf('rollback'), payload('cs-flood', 'WaitingPromotion'))).status).toBe(503);
    } finally {
      w.sandbox.faults.clear();
    }
  }, 60_000);

  it('metadata.target picks whose verdict is read; an unknown target is a 400 naming the field', async () => {
    await hook(urlOf('pre-rollout'), payload('cs-t', 'Progressing'));
    await waitFor(async () => (await hook(urlOf('confirm-promotion'), payload('cs-t', 'Progressing'))).status === 200, 'cs-t to pass', 50_000, 300);
    const stable = await hook(urlOf('confirm-promotion'), payload('cs-t', 'Progressing', 'stable'));
    expect(stable).toMatchObject({ status: 200, body: { ok: true, reason: 'stable passed for cs-t' } });
    const bad = await hook(urlOf('confirm-promotion'), payload('cs-t', 'Progressing', 'prod'));
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/metadata\.target must be canary or stable/);
  }, 60_000);
});
