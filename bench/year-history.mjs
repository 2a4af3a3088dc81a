/**
 * Generates one year of hourly runs (8,760 runs × 2 targets × 12 scenarios, with transcripts) into a RunStore,
 * deterministically. Used by report-render.mjs (history-scale.mjs keeps its own generator).
 */
export const HOUR = 3_600_000;
export const T0 = Date.UTC(2024, 0, 1);
const TARGETS = ['canary', 'stable'];
const SUITES = ['joke', 'memory', 'favor', 'rag'];

function rng(seed) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

/** One scenario result with `turns` send/expect pairs; replies contain characters that must be escaped. */
export function scenarioResult(rand, name, suite, target, t, status, turns = 1) {
  const steps = [];
  const assertions = [];
  let at = t;
  let first = null;
  let final = null;
  for (let k = 0; k < turns; k++) {
    const latFirst = 150 + Math.floor(rand() * 600);
    const latFinal = latFirst + Math.floor(rand() * 1500);
    first ??= latFirst;
    final = latFinal;
    const text = `Answer #${Math.floor(rand() * 1e6)} for ${name} <b>&amp;</b> "quoted" from ${target}\nsecond line`;
    const sentAt = at + 5;
    steps.push({ index: 2 * k, kind: 'send', startedAt: at, finishedAt: sentAt, sent: { id: 10 + 2 * k, text: `Prompt ${k} <script>x</script>`, at: sentAt } });
    const reply = {
      messages: [{ id: 11 + 2 * k, text, firstSeenAt: sentAt + latFirst, lastChangeAt: sentAt + latFinal, edits: k % 2 }],
      text, sentAt, firstAt: sentAt + latFirst, finalAt: sentAt + latFinal, latencyFirstMs: latFirst,
      latencyFinalMs: latFinal, editCount: k % 2, messageCount: 1, settled: true,
    };
    steps.push({ index: 2 * k + 1, kind: 'expect', startedAt: sentAt, finishedAt: sentAt + latFinal + 400, reply });
    const pass = status !== 'fail' || k < turns - 1;
    assertions.push({ type: 'icontains', pass, score: pass ? 1 : 0, weight: 1, critical: true, reason: pass ? 'found "x"' : 'missing "<x>"', step: 2 * k + 1 });
    at = sentAt + latFinal + 400;
  }
  return {
    scenario: name, suite, target, bot: `${target}_bot`, status,
    score: status === 'pass' ? 1 : status === 'fail' ? 0.4 : 0, startedAt: t, finishedAt: at,
    latencyMs: { first: status === 'error' ? null : first, final: status === 'error' ? null : final },
    reasons: status === 'pass' ? [] : [status === 'fail' ? 'icontains: "<x>" not found' : 'flood wait'],
    ...(status === 'error' ? { errorCode: 'TG_FLOOD_WAIT' } : {}),
    steps: status === 'error' ? steps.slice(0, 1) : steps,
    assertions: status === 'error' ? [] : assertions,
  };
}

/** Run number h (hour h of the year). `turns` = send/expect pairs per scenario. */
export function yearRun(h, turns = 1, seed = 42 + h) {
  const rand = rng(seed);
  const t0 = T0 + h * HOUR;
  const runId = `run-${String(h).padStart(5, '0')}`;
  const scenarios = [];
  const targets = {};
  for (const target of TARGETS) {
    let worst = 'pass';
    const suites = {};
    for (let s = 0; s < 12; s++) {
      const r = rand();
      const status = r < (target === 'canary' ? 0.03 : 0.01) ? 'fail' : r < 0.045 ? 'error' : 'pass';
      if (status === 'fail') worst = 'fail';
      else if (status === 'error' && worst === 'pass') worst = 'inconclusive';
      const suite = SUITES[s % SUITES.length];
      suites[suite] = { status: status === 'pass' ? (suites[suite]?.status ?? 'pass') : status, score: 1 };
      scenarios.push(scenarioResult(rand, `${suite}-scenario-${String(s).padStart(2, '0')}`, suite, target, t0 + s * 3000, status, turns));
    }
    targets[target] = { verdict: worst, score: worst === 'pass' ? 1 : 0.9, suites };
  }
  const verdict = targets.canary.verdict === 'pass' ? 'pass' : targets.canary.verdict === 'fail' && targets.stable.verdict === 'pass' ? 'fail' : 'inconclusive';
  const finishedAt = t0 + 12 * 3000 * turns + 2000;
  return {
    runId, startedAt: t0, finishedAt, aborted: false, revision: 'v1',
    scenarios,
    verdict: {
      schema: 1, runId, verdict, decision: verdict === 'fail' ? 'rollback' : verdict === 'pass' ? 'promote' : 'hold',
      score: targets.canary.score, startedAt: new Date(t0).toISOString(), finishedAt: new Date(finishedAt).toISOString(),
      targets, scenarios: [], reasons: verdict === 'pass' ? [] : ['canary <failed> a scenario'], consecutiveFailures: 0, consecutiveInconclusive: 0, flaky: [],
    },
  };
}

/** Fills `store` with `hours` hourly runs (default one year); the last run has `lastTurns` turns per scenario. */
export function fillYear(store, hours = 8760, lastTurns = 4) {
  for (let h = 0; h < hours; h += 250) {
    store.batch(() => {
      for (let i = h; i < Math.min(hours, h + 250); i++) store.finishRun(yearRun(i, i === hours - 1 ? lastTurns : 1));
    });
  }
}
