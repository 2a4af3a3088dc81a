#!/usr/bin/env node
// History at scale: one year of hourly runs (8,760 runs x 2 targets x 12 scenarios) in a temp SQLite file,
// then the read paths tg-canary uses, each timed as the median of several repetitions.
// Prints `BENCH <id> <value> <unit> target <op> <value> met|missed` lines. Always exits 0.
// Needs `npm run build` first (imports dist/store/index.js; TG_CANARY_DIST overrides the dist folder).
import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(process.env.TG_CANARY_DIST ?? join(here, '..', 'dist'));
const { openStore, summarizeScenarioHistory, retentionCutoff } = await import(pathToFileURL(join(dist, 'store', 'index.js')).href);

const HOURS = Number(process.env.BENCH_HOURS ?? 8760);
const SCENARIOS = 12;
const TARGETS = ['canary', 'stable'];
const CHUNK = 250;
const REPS = 9;
const QUERY_TARGET_MS = 20;
const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);

function line(id, value, unit, op, target, verdict) {
  console.log(`BENCH ${id} ${value} ${unit} target ${op} ${target} ${verdict}`);
}
function timed(id, fn, target = QUERY_TARGET_MS) {
  fn(); // warm the statement cache and page cache
  const xs = [];
  for (let i = 0; i < REPS; i++) {
    const t = performance.now();
    fn();
    xs.push(performance.now() - t);
  }
  xs.sort((a, b) => a - b);
  const med = xs[Math.floor(xs.length / 2)];
  line(id, med.toFixed(2), 'ms', '<=', target, med <= target ? 'met' : 'missed');
  return med;
}

function scenario(name, target, t, status) {
  const latFirst = 150 + Math.floor(rand() * 600);
  const latFinal = latFirst + Math.floor(rand() * 1500);
  const text = status === 'error' ? '' : `Here is joke #${Math.floor(rand() * 1e6)} for ${name} from ${target}`;
  const sentAt = t + 5;
  const reply = status === 'error' ? undefined : {
    messages: [{ id: 2, text, firstSeenAt: sentAt + latFirst, lastChangeAt: sentAt + latFinal, edits: 0 }],
    text, sentAt, firstAt: sentAt + latFirst, finalAt: sentAt + latFinal, latencyFirstMs: latFirst,
    latencyFinalMs: latFinal, editCount: 0, messageCount: 1, settled: true,
  };
  const pass = status === 'pass';
  return {
    scenario: name, suite: `suite-${name.slice(-1)}`, target, bot: `${target}_bot`, status,
    score: pass ? 1 : status === 'fail' ? 0.3 : 0, startedAt: t, finishedAt: t + latFinal + 50,
    latencyMs: { first: status === 'error' ? null : latFirst, final: status === 'error' ? null : latFinal },
    reasons: pass ? [] : [status === 'fail' ? 'icontains: "joke" not found' : 'flood wait'],
    ...(status === 'error' ? { errorCode: 'TG_FLOOD_WAIT' } : {}),
    steps: [
      { index: 0, kind: 'send', startedAt: t, finishedAt: sentAt, sent: { id: 1, text: '/joke', at: sentAt } },
      reply
        ? { index: 1, kind: 'expect', startedAt: sentAt, finishedAt: sentAt + latFinal + 40, reply }
        : { index: 1, kind: 'expect', startedAt: sentAt, finishedAt: sentAt + 30_000, error: { code: 'TG_FLOOD_WAIT', message: 'flood wait 30s' } },
    ],
    assertions: status === 'error' ? [] : [
      { type: 'icontains', pass, score: pass ? 1 : 0, weight: 1, critical: true, reason: pass ? 'found' : 'missing', step: 1 },
      { type: 'novel', pass: true, score: 1, weight: 1, critical: false, reason: 'new', step: 1 },
    ],
  };
}

function run(h) {
  const t0 = T0 + h * HOUR;
  const runId = `run-${String(h).padStart(5, '0')}`;
  const scenarios = [];
  const verdictTargets = {};
  for (const target of TARGETS) {
    let worst = 'pass';
    for (let s = 0; s < SCENARIOS; s++) {
      const r = rand();
      const status = r < (target === 'canary' ? 0.03 : 0.01) ? 'fail' : r < 0.045 ? 'error' : 'pass';
      if (status === 'fail') worst = 'fail';
      else if (status === 'error' && worst === 'pass') worst = 'inconclusive';
      scenarios.push(scenario(`scenario-${String(s).padStart(2, '0')}`, target, t0 + s * 3000, status));
    }
    verdictTargets[target] = { verdict: worst, score: worst === 'pass' ? 1 : 0.9, suites: {} };
  }
  const verdict = verdictTargets.canary.verdict === 'pass' ? 'pass'
    : verdictTargets.canary.verdict === 'fail' && verdictTargets.stable.verdict === 'pass' ? 'fail' : 'inconclusive';
  const finishedAt = t0 + SCENARIOS * 3000 + 2000;
  return {
    runId, startedAt: t0, finishedAt, aborted: false, revision: 'v1',
    scenarios,
    verdict: {
      schema: 1, runId, verdict, decision: verdict === 'fail' ? 'rollback' : verdict === 'pass' ? 'promote' : 'hold',
      score: verdictTargets.canary.score, startedAt: new Date(t0).toISOString(), finishedAt: new Date(finishedAt).toISOString(),
      targets: verdictTargets, scenarios: [], reasons: [], consecutiveFailures: 0, consecutiveInconclusive: 0, flaky: [],
    },
  };
}

const dir = mkdtempSync(join(tmpdir(), 'tg-canary-bench-'));
// BENCH_KEEP_DB=1 keeps the generated database (before pruning it is copied nowhere; it is simply not deleted).
const keep = process.env.BENCH_KEEP_DB === '1';
const path = join(dir, 'history.db');
try {
  const store = openStore(path);
  const g0 = performance.now();
  for (let h = 0; h < HOURS; h += CHUNK) {
    store.batch(() => {
      for (let i = h; i < Math.min(HOURS, h + CHUNK); i++) store.finishRun(run(i));
    });
  }
  const genS = (performance.now() - g0) / 1000;
  line('history-generate', genS.toFixed(1), 's', '<=', 90, genS <= 90 ? 'met' : 'missed');
  line('history-rows', HOURS * SCENARIOS * TARGETS.length, 'scenario-results', 'info', '-', 'info');

  timed('history-query', () => {
    const runs = store.listRuns({ last: 50 });
    const stats = summarizeScenarioHistory(store.scenarioHistory({ last: 50 }));
    if (runs.length !== 50 || stats.length !== SCENARIOS * TARGETS.length) throw new Error('history: wrong result');
  });
  timed('history-scenario-query', () => {
    for (const target of TARGETS) {
      if (store.scenarioHistory({ scenario: 'scenario-05', target, last: 50 }).length !== 50) throw new Error('bad');
    }
  });
  timed('status-snapshot', () => {
    const s = store.statusSnapshot({ trendRuns: 168 });
    if (!s.latest || s.trend.length !== 168 || s.perTarget.canary.scenarios.length !== SCENARIOS) throw new Error('status: wrong result');
  });
  timed('novelty-recent-replies', () => {
    if (store.recentReplyTexts('scenario-03', 'canary', 20).length !== 20) throw new Error('novelty: wrong result');
  });
  timed('trend-168-runs', () => {
    if (store.listRuns({ last: 168 }).length !== 168) throw new Error('trend: wrong result');
  });
  timed('last-success', () => {
    if (store.lastSuccessAt('canary') === null || store.lastSuccessAt('stable') === null) throw new Error('bad');
  });
  timed('get-run', () => {
    if (store.getRun(`run-${String(HOURS - 100).padStart(5, '0')}`)?.scenarios.length !== SCENARIOS * 2) throw new Error('bad');
  });

  const size = () => statSync(path).size + (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0);
  line('history-db-size', (size() / 1048576).toFixed(1), 'MB', 'info', '-', 'info');

  const p0 = performance.now();
  const pruned = store.prune(retentionCutoff(T0 + HOURS * HOUR, 90));
  const pruneMs = performance.now() - p0;
  line('history-prune-90d', pruneMs.toFixed(0), 'ms', '<=', 30000, pruneMs <= 30000 ? 'met' : 'missed');
  line('history-prune-runs', pruned.runs, 'runs', 'info', '-', 'info');
  timed('history-query-after-prune', () => { store.listRuns({ last: 50 }); store.scenarioHistory({ last: 50 }); });
  line('history-db-size-after-prune', (size() / 1048576).toFixed(1), 'MB', 'info', '-', 'info');
  store.close();
} catch (e) {
  console.error(`history-scale bench failed: ${e instanceof Error ? e.stack : String(e)}`);
  line('history-bench-error', 1, 'count', '<=', 0, 'missed');
} finally {
  if (keep) console.error(`kept ${path}`);
  else rmSync(dir, { recursive: true, force: true });
}
