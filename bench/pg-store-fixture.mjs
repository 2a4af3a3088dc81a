/** A finished run of 4 scenario results with 2 steps each, for bench/pg-store.mjs's write figure. */
export function runResult(runId, t0) {
  const scenarios = ['canary', 'stable'].flatMap((target) => ['convert', 'greet'].map((scenario, i) => ({
    scenario, suite: 'favor', target, bot: `${target}_bot`, status: 'pass', score: 1, startedAt: t0 + i * 1000,
    finishedAt: t0 + i * 1000 + 800, latencyMs: { first: 200, final: 300 }, reasons: [],
    steps: [
      { index: 0, kind: 'send', startedAt: t0, finishedAt: t0 + 1, sent: { id: 10 + i, text: 'Convert 10 km to miles', at: t0 } },
      { index: 1, kind: 'expect', startedAt: t0 + 1, finishedAt: t0 + 300, reply: { messages: [], text: '6.21 miles', sentAt: t0, firstAt: t0 + 200,
        finalAt: t0 + 300, latencyFirstMs: 200, latencyFinalMs: 300, editCount: 0 } },
    ],
    assertions: [{ type: 'contains', pass: true, score: 1, weight: 1, critical: true, reason: 'found 6.21', step: 1 }],
  })));
  return {
    runId, startedAt: t0, finishedAt: t0 + 3000, aborted: false, scenarios,
    verdict: { schema: 1, runId, verdict: 'pass', decision: 'promote', score: 1, startedAt: new Date(t0).toISOString(),
      finishedAt: new Date(t0 + 3000).toISOString(), targets: {}, scenarios: [], reasons: [], consecutiveFailures: 0,
      consecutiveInconclusive: 0, flaky: [] },
  };
}
