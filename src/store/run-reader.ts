/** Reads runs back: full RunResult rebuilds, run lists, scenario history, reply texts, last success. */
import type { RunSummary, ScenarioHistoryRow } from '../core/ports.js';
import type {
  AssertionResult, RetryRecord, Reply, RunResult, ScenarioResult, ScenarioStatus, StepTranscript, TargetName, VerdictReport,
} from '../core/types.js';
import { num, optNum, type Row, type SqlPort } from './sql-port.js';
import { decOptText, decText } from './text-codec.js';

const MAX_LIMIT = 100_000;

function limitOf(n: number | undefined, dflt: number): number {
  if (n === undefined || !Number.isFinite(n)) return dflt;
  return Math.max(0, Math.min(MAX_LIMIT, Math.floor(n)));
}

function toStep(r: Row): StepTranscript {
  const step: StepTranscript = {
    index: num(r.idx),
    kind: r.kind as StepTranscript['kind'],
    startedAt: num(r.started_at),
    finishedAt: num(r.finished_at),
  };
  if (r.sent_at !== null) {
    step.sent = r.sent_id === null
      ? { text: decText(r.sent_text), at: num(r.sent_at) }
      : { id: num(r.sent_id), text: decText(r.sent_text), at: num(r.sent_at) };
  }
  if (r.reply_json !== null) step.reply = JSON.parse(String(r.reply_json)) as Reply;
  const detail = decOptText(r.detail);
  if (detail !== undefined) step.detail = detail;
  if (r.error_code !== null) step.error = { code: String(r.error_code), message: decText(r.error_message) };
  return step;
}

function toAssertion(r: Row): AssertionResult {
  return {
    type: String(r.type), pass: num(r.pass) === 1, score: num(r.score), weight: num(r.weight),
    critical: num(r.critical) === 1, reason: decText(r.reason), step: num(r.step),
  };
}

function toScenario(r: Row, steps: StepTranscript[], assertions: AssertionResult[]): ScenarioResult {
  const s: ScenarioResult = {
    scenario: String(r.scenario), suite: String(r.suite), target: r.target as TargetName, bot: String(r.bot),
    status: r.status as ScenarioStatus, score: num(r.score), startedAt: num(r.started_at),
    finishedAt: num(r.finished_at),
    latencyMs: { first: optNum(r.latency_first_ms), final: optNum(r.latency_final_ms) },
    reasons: JSON.parse(String(r.reasons)) as string[],
    steps, assertions,
  };
  if (r.error_code !== null) s.errorCode = String(r.error_code);
  if (repeated(r)) s.attempt = num(r.attempt);
  if (typeof r.retried === 'string') s.retried = JSON.parse(r.retried) as RetryRecord;
  return s;
}

/** True when the row's scenario ran more than once on its target in its run (`repeated` = its highest attempt). */
function repeated(r: Row): boolean {
  return r.repeated !== undefined && r.repeated !== null && num(r.repeated) > 1;
}

function pendingVerdict(run: Row, finishedAt: number): VerdictReport {
  const v: VerdictReport = {
    schema: 1, runId: String(run.id), verdict: 'pending', decision: 'hold', score: 0,
    startedAt: new Date(num(run.started_at)).toISOString(), finishedAt: new Date(finishedAt).toISOString(),
    targets: {}, scenarios: [], reasons: ['run has not finished'], consecutiveFailures: 0,
    consecutiveInconclusive: 0, flaky: [],
  };
  if (run.revision !== null) v.revision = String(run.revision);
  if (num(run.aborted) === 1) v.aborted = true;
  return v;
}

function groupBy<T>(rows: Row[], key: string, map: (r: Row) => T): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const r of rows) {
    const k = num(r[key]);
    let list = out.get(k);
    if (!list) out.set(k, (list = []));
    list.push(map(r));
  }
  return out;
}

function buildRun(h: SqlPort, run: Row): RunResult {
  const seq = num(run.seq);
  const scen = h.all(`SELECT s.*, (SELECT max(x.attempt) FROM scenario_results x WHERE x.run_seq = s.run_seq
    AND x.suite = s.suite AND x.scenario = s.scenario AND x.target = s.target) AS repeated
    FROM scenario_results s WHERE s.run_seq = ? ORDER BY s.ord`, seq);
  const steps = groupBy(h.all(
    `SELECT st.* FROM scenario_results s JOIN steps st ON st.result_id = s.id
     WHERE s.run_seq = ? ORDER BY st.result_id, st.ord`, seq), 'result_id', toStep);
  const asserts = groupBy(h.all(
    `SELECT a.* FROM scenario_results s JOIN assertion_results a ON a.result_id = s.id
     WHERE s.run_seq = ? ORDER BY a.result_id, a.ord`, seq), 'result_id', toAssertion);
  const scenarios = scen.map((r) => toScenario(r, steps.get(num(r.id)) ?? [], asserts.get(num(r.id)) ?? []));
  const finishedAt = run.finished_at !== null ? num(run.finished_at)
    : scenarios.reduce((m, s) => Math.max(m, s.finishedAt), num(run.started_at));
  const result: RunResult = {
    runId: String(run.id), startedAt: num(run.started_at), finishedAt, aborted: num(run.aborted) === 1,
    scenarios,
    verdict: run.verdict_json !== null ? (JSON.parse(String(run.verdict_json)) as VerdictReport)
      : pendingVerdict(run, finishedAt),
  };
  if (run.revision !== null) result.revision = String(run.revision);
  return result;
}

export function getRun(h: SqlPort, runId: string): RunResult | undefined {
  return h.tx(() => {
    const run = h.get('SELECT * FROM runs WHERE id = ?', runId);
    return run ? buildRun(h, run) : undefined;
  });
}

/** The most recent finished run (a run still in progress, or one that crashed before finishing, is skipped). */
export function latestRun(h: SqlPort): RunResult | undefined {
  return h.tx(() => {
    const run = h.get('SELECT * FROM runs WHERE finished_at IS NOT NULL ORDER BY started_at DESC, seq DESC LIMIT 1');
    return run ? buildRun(h, run) : undefined;
  });
}

function toSummary(r: Row): RunSummary {
  const s: RunSummary = {
    runId: String(r.id), startedAt: num(r.started_at), finishedAt: optNum(r.finished_at),
    verdict: String(r.verdict), score: num(r.score), aborted: num(r.aborted) === 1,
  };
  if (r.revision !== null) s.revision = String(r.revision);
  return s;
}

/** Runs newest first; `before` keeps runs started strictly before it. Default 50. */
export function listRuns(h: SqlPort, opts: { last?: number; before?: number }): RunSummary[] {
  const rows = opts.before === undefined
    ? h.all(`SELECT id, started_at, finished_at, verdict, score, aborted, revision FROM runs
             ORDER BY started_at DESC, seq DESC LIMIT ?`, limitOf(opts.last, 50))
    : h.all(`SELECT id, started_at, finished_at, verdict, score, aborted, revision FROM runs
             WHERE started_at < ? ORDER BY started_at DESC, seq DESC LIMIT ?`, opts.before, limitOf(opts.last, 50));
  return rows.map(toSummary);
}

export function toHistoryRow(r: Row): ScenarioHistoryRow {
  return {
    runId: String(r.run_id), startedAt: num(r.run_started_at), scenario: String(r.scenario),
    suite: String(r.suite), target: r.target as TargetName, status: String(r.status), score: num(r.score),
    latencyFirstMs: optNum(r.latency_first_ms), latencyFinalMs: optNum(r.latency_final_ms),
    ...(r.attempt !== undefined && r.attempt !== null ? { attempt: num(r.attempt) } : {}),
    ...(typeof r.causes === 'string' ? { causes: JSON.parse(r.causes) as string[] } : {}),
  };
}

const HISTORY_COLS = `r.id AS run_id, s.run_started_at, s.scenario, s.suite, s.target, s.status, s.score,
  s.latency_first_ms, s.latency_final_ms, s.attempt, s.causes`;

/**
 * Scenario results of the last `last` runs (default 50) that ran the scenario (and target, when given),
 * newest run first, then in the run's order. `startedAt` is the run's start.
 */
export function scenarioHistory(
  h: SqlPort, opts: { scenario?: string; target?: TargetName; last?: number },
): ScenarioHistoryRow[] {
  const n = limitOf(opts.last, 50);
  const { scenario, target } = opts;
  let rows: Row[];
  if (scenario !== undefined && target !== undefined) {
    rows = h.all(`SELECT ${HISTORY_COLS} FROM scenario_results s JOIN runs r ON r.seq = s.run_seq
      WHERE s.scenario = ? AND s.target = ? ORDER BY s.run_started_at DESC, s.run_seq DESC, s.ord LIMIT ?`,
    scenario, target, n);
  } else {
    const where = [scenario !== undefined ? 'x.scenario = ?' : '', target !== undefined ? 'x.target = ?' : '']
      .filter(Boolean).join(' AND ');
    const params = [scenario, target].filter((p) => p !== undefined);
    const pick = where
      ? `SELECT seq FROM runs WHERE EXISTS (SELECT 1 FROM scenario_results x WHERE x.run_seq = runs.seq AND ${where})
         ORDER BY started_at DESC, seq DESC LIMIT ?`
      : 'SELECT seq FROM runs ORDER BY started_at DESC, seq DESC LIMIT ?';
    rows = h.all(`WITH picked AS (${pick})
      SELECT ${HISTORY_COLS} FROM picked p JOIN runs r ON r.seq = p.seq JOIN scenario_results s ON s.run_seq = p.seq
      ${where ? `WHERE ${where.replaceAll('x.', 's.')}` : ''}
      ORDER BY s.run_started_at DESC, s.run_seq DESC, s.ord`, ...params, n, ...params);
  }
  return rows.map(toHistoryRow);
}

/**
 * Final texts of the replies that were graded (an assertion points at the step) for this scenario and target,
 * newest first (latest run first, and within a run the later step first).
 */
export function recentReplyTexts(h: SqlPort, scenario: string, target: TargetName, limit: number): string[] {
  const rows = h.all(`SELECT st.reply_json FROM scenario_results s JOIN steps st ON st.result_id = s.id
    WHERE s.scenario = ? AND s.target = ? AND st.graded = 1
    ORDER BY s.run_started_at DESC, s.id DESC, st.ord DESC LIMIT ?`, scenario, target, limitOf(limit, 20));
  return rows.map((r) => (JSON.parse(String(r.reply_json)) as Reply).text);
}

/** When the target last passed (the run's finish time), or null. */
export function lastSuccessAt(h: SqlPort, target: TargetName): number | null {
  const row = h.get(`SELECT max(finished_at) AS at FROM run_targets WHERE target = ? AND verdict = 'pass'`, target);
  return optNum(row?.at);
}
