import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../src/core/ports.js';
import type { Reply, RunResult, ScenarioResult, TargetName, Verdict } from '../../src/core/types.js';

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'tg-canary-store-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function manualClock(start: number): Clock & { set: (t: number) => void; advance: (ms: number) => void } {
  let t = start;
  return {
    now: () => t,
    sleep: async (ms) => { t += ms; },
    set: (v) => { t = v; },
    advance: (ms) => { t += ms; },
  };
}

/** Texts a hostile or odd bot might send. */
export const HOSTILE = {
  html: '<script>alert("x")</script><img src=x onerror=alert(1)> &amp; "quotes" \'single\'',
  invisible: 'zero\u200Bwidth \u200D joiner \u202Ertl override\u202C \u200Fmark \uFEFFbom',
  emoji: 'family 👨‍👩‍👧‍👦 flag 🇺🇦 skin 👍🏽 text',
  control: 'nul\u0000bell\u0007esc\u001b[31mred\r\nline\ttab\u007fdel',
  loneHigh: 'broken \uD83D pair',
  loneLow: 'stray \uDE00 low',
  long: 'ж'.repeat(4000) + '🙂'.repeat(48),
};

export function reply(texts: string[], sentAt: number): Reply {
  const messages = texts.map((text, i) => ({
    id: 100 + i, text, firstSeenAt: sentAt + 200 + i, lastChangeAt: sentAt + 300 + i, edits: i,
    ...(i === 0 ? { replyToId: 99, buttons: [[{ text: '<b>Yes</b>', data: 'yes\u0000' }], [{ text: 'No', data: 'no' }]] } : {}),
  }));
  return {
    messages, text: texts.join('\n'), sentAt, firstAt: sentAt + 200, finalAt: sentAt + 300 + texts.length,
    latencyFirstMs: 200, latencyFinalMs: 300 + texts.length, editCount: texts.length - 1,
    messageCount: texts.length, settled: true,
  };
}

export function scenarioResult(
  name: string, target: TargetName, t0: number, status: ScenarioResult['status'], replyTexts: string[],
): ScenarioResult {
  const r = reply(replyTexts, t0 + 10);
  return {
    scenario: name, suite: 'smoke', target, bot: target === 'canary' ? 'canary_bot' : 'stable_bot', status,
    score: status === 'pass' ? 1 : 0.25, startedAt: t0, finishedAt: t0 + 1500,
    latencyMs: { first: 200, final: status === 'error' ? null : 300 + replyTexts.length },
    reasons: status === 'pass' ? [] : [`reply did not match: ${replyTexts[0] ?? ''}`],
    ...(status === 'error' ? { errorCode: 'TG_FLOOD_WAIT' } : {}),
    steps: [
      { index: 0, kind: 'send', startedAt: t0, finishedAt: t0 + 10, sent: { id: 99, text: 'tell me a joke', at: t0 + 10 } },
      { index: 1, kind: 'expect', startedAt: t0 + 10, finishedAt: t0 + 1400, reply: r },
      { index: 2, kind: 'save', startedAt: t0 + 1400, finishedAt: t0 + 1401, detail: replyTexts[0] ?? '' },
      { index: 3, kind: 'click', startedAt: t0 + 1401, finishedAt: t0 + 1500, sent: { text: '<b>Yes</b>', at: t0 + 1450 },
        error: { code: 'BUTTON_NOT_FOUND', message: `no button in ${HOSTILE.loneHigh}` } },
    ],
    assertions: [
      { type: 'icontains', pass: status === 'pass', score: status === 'pass' ? 1 : 0, weight: 2, critical: true,
        reason: `looked in ${replyTexts[0] ?? ''}`, step: 1 },
      { type: 'latency', pass: true, score: 0.5, weight: 1, critical: false, reason: 'fast enough', step: 1 },
    ],
  };
}

export function runResult(
  runId: string, t0: number, opts: { canary?: Verdict; stable?: Verdict; texts?: string[]; scenarios?: string[] } = {},
): RunResult {
  const texts = opts.texts ?? ['a joke'];
  const names = opts.scenarios ?? ['joke'];
  const cv = opts.canary ?? 'pass';
  const sv = opts.stable ?? 'pass';
  const status = (v: Verdict): ScenarioResult['status'] => (v === 'pass' ? 'pass' : v === 'fail' ? 'fail' : 'error');
  const scenarios = names.flatMap((n, i) => [
    scenarioResult(n, 'canary', t0 + i * 2000, status(cv), texts),
    scenarioResult(n, 'stable', t0 + i * 2000 + 1000, status(sv), texts),
  ]);
  const finishedAt = t0 + names.length * 2000 + 2000;
  const verdict: Verdict = cv === 'pass' ? 'pass' : cv === 'fail' && sv === 'pass' ? 'fail' : 'inconclusive';
  return {
    runId, startedAt: t0, finishedAt, aborted: false, revision: 'v1.2.3', scenarios,
    verdict: {
      schema: 1, runId, verdict, decision: verdict === 'fail' ? 'rollback' : verdict === 'pass' ? 'promote' : 'hold',
      score: cv === 'pass' ? 1 : 0.25, startedAt: new Date(t0).toISOString(), finishedAt: new Date(finishedAt).toISOString(),
      revision: 'v1.2.3',
      targets: {
        canary: { verdict: cv, score: cv === 'pass' ? 1 : 0.25, suites: { smoke: { status: status(cv), score: 1 } } },
        stable: { verdict: sv, score: sv === 'pass' ? 1 : 0.25, suites: { smoke: { status: status(sv), score: 1 } } },
      },
      scenarios: scenarios.map((s) => ({ name: s.scenario, suite: s.suite, target: s.target, status: s.status,
        score: s.score, latencyMs: s.latencyMs, reasons: s.reasons })),
      reasons: [`canary said ${texts[0] ?? ''}`], consecutiveFailures: 0, consecutiveInconclusive: 0, flaky: [],
    },
  };
}
