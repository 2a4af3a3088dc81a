/** A realistic run with hostile bot replies, shared by the reporter and serve tests. */
import type { RunSummary } from '../../src/core/ports.js';
import type { RunResult, ScenarioResult, TargetName } from '../../src/core/types.js';

export const XSS_SCRIPT = '<script>window.__pwned=1</script>';
export const XSS_IMG = '<img src=x onerror="window.__pwned=1">';
export const HOSTILE = `Joke: ${XSS_SCRIPT} and ${XSS_IMG} \u202Eevil\u202C zero\u200Bwidth bell\u0007 lone\uD800 | pipe \`tick\` ]]> &amp;`;

const T0 = Date.parse('2025-06-01T10:00:00Z');

function scenario(
  target: TargetName,
  suite: string,
  name: string,
  status: ScenarioResult['status'],
  replyText: string,
  offset: number,
): ScenarioResult {
  const start = T0 + offset;
  const first = target === 'canary' ? 900 + offset / 100 : 600 + offset / 200;
  const fin = first + 700;
  return {
    scenario: name,
    suite,
    target,
    bot: `${target}_bot`,
    status,
    score: status === 'pass' ? 1 : status === 'fail' ? 0.25 : 0,
    startedAt: start,
    finishedAt: start + 2500,
    latencyMs: status === 'error' ? { first: null, final: null } : { first, final: fin },
    reasons: status === 'fail' ? [`icontains "punchline" failed on reply: ${replyText}`] : status === 'error' ? ['flood wait 30 s'] : [],
    errorCode: status === 'error' ? 'TG_FLOOD_WAIT' : undefined,
    steps: [
      { index: 0, kind: 'send', startedAt: start, finishedAt: start + 50, sent: { id: 10, text: '/joke', at: start + 10 } },
      {
        index: 1,
        kind: 'expect',
        startedAt: start + 50,
        finishedAt: start + 2400,
        reply:
          status === 'error'
            ? undefined
            : {
                messages: [
                  {
                    id: 11,
                    text: replyText,
                    firstSeenAt: start + 10 + first,
                    lastChangeAt: start + 10 + fin,
                    edits: 3,
                    buttons: [[{ text: `More ${XSS_IMG}`, data: 'more' }]],
                  },
                ],
                text: replyText,
                sentAt: start + 10,
                firstAt: start + 10 + first,
                finalAt: start + 10 + fin,
                latencyFirstMs: first,
                latencyFinalMs: fin,
                editCount: 3,
                messageCount: 1,
                settled: true,
              },
        error: status === 'error' ? { code: 'TG_FLOOD_WAIT', message: 'FLOOD_WAIT_30' } : undefined,
      },
    ],
    assertions:
      status === 'error'
        ? []
        : [
            { type: 'icontains', pass: status === 'pass', score: status === 'pass' ? 1 : 0, weight: 1, critical: true, reason: `looked for "punchline" in ${replyText}`, step: 1 },
            { type: 'latency', pass: true, score: 1, weight: 0.5, critical: false, reason: `first ${first} ms under 5000 ms`, step: 1 },
          ],
  };
}

export function makeRun(runId = 'run-20250601-100000-abc'): RunResult {
  const scenarios: ScenarioResult[] = [
    scenario('canary', 'jokes', 'tell-a-joke', 'fail', HOSTILE, 0),
    scenario('stable', 'jokes', 'tell-a-joke', 'pass', 'Why did the bot cross the road? punchline!', 0),
    scenario('canary', 'memories', 'remember-name', 'pass', 'Your name is Ada.', 3000),
    scenario('stable', 'memories', 'remember-name', 'error', '', 3000),
  ];
  return {
    runId,
    startedAt: T0,
    finishedAt: T0 + 8000,
    aborted: false,
    revision: 'rev-42',
    scenarios,
    verdict: {
      schema: 1,
      runId,
      verdict: 'fail',
      decision: 'rollback',
      score: 0.62,
      startedAt: new Date(T0).toISOString(),
      finishedAt: new Date(T0 + 8000).toISOString(),
      revision: 'rev-42',
      targets: {
        canary: { verdict: 'fail', score: 0.62, suites: { jokes: { status: 'fail', score: 0.25 }, memories: { status: 'pass', score: 1 } } },
        stable: { verdict: 'inconclusive', score: 0.5, suites: { jokes: { status: 'pass', score: 1 }, memories: { status: 'error', score: 0 } } },
      },
      scenarios: scenarios.map((s) => ({ name: s.scenario, suite: s.suite, target: s.target, status: s.status, score: s.score, latencyMs: s.latencyMs, reasons: s.reasons })),
      reasons: [`canary regression in jokes/tell-a-joke: ${XSS_SCRIPT}`],
      consecutiveFailures: 1,
      consecutiveInconclusive: 0,
      flaky: [],
    },
  };
}

export function makeHistory(n = 12): RunSummary[] {
  return Array.from({ length: n }, (_, i) => ({
    runId: `run-old-${i}`,
    startedAt: T0 - (i + 1) * 3_600_000,
    finishedAt: T0 - (i + 1) * 3_600_000 + 8000,
    verdict: i % 5 === 3 ? 'inconclusive' : i % 4 === 2 ? 'fail' : 'pass',
    score: i % 4 === 2 ? 0.4 : 0.9 + (i % 3) * 0.03,
    aborted: false,
  }));
}
