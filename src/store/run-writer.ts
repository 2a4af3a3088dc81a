/** Writes runs, scenario results, transcripts and assertions; deletes and prunes them. */
import type { PendingRun, PruneResult } from '../core/ports.js';
import type { RunResult, ScenarioResult, StepTranscript } from '../core/types.js';
import { targetOutcomes } from '../core/target-outcomes.js';
import { failureCauses } from '../core/failure-cause.js';
import { num, type SqlPort } from './sql-port.js';
import { encOptText, encText } from './text-codec.js';

const INSERT_RUN = `INSERT INTO runs (id, started_at, revision, owner) VALUES (?, ?, ?, ?)
  ON CONFLICT(id) DO UPDATE SET revision = coalesce(excluded.revision, runs.revision),
  owner = coalesce(excluded.owner, runs.owner)`;

/** `owner` is the process running it (`host:pid`), so a run a dead process left pending can be closed. */
export function beginRun(h: SqlPort, run: { runId: string; startedAt: number; revision?: string; owner?: string }): void {
  h.run(INSERT_RUN, run.runId, run.startedAt, run.revision ?? null, run.owner ?? null);
}

export type { PendingRun };

/** Runs started but never finished (in progress elsewhere, or left behind by a crash), oldest first. */
export function pendingRuns(h: SqlPort): PendingRun[] {
  return h.all('SELECT id, started_at, owner FROM runs WHERE finished_at IS NULL ORDER BY started_at, seq')
    .map((r) => ({ runId: String(r.id), startedAt: num(r.started_at), owner: r.owner === null ? null : String(r.owner) }));
}

function runKey(h: SqlPort, runId: string, startedAt: number): { seq: number; startedAt: number } {
  const row = h.get('SELECT seq, started_at FROM runs WHERE id = ?', runId);
  if (row) return { seq: num(row.seq), startedAt: num(row.started_at) };
  beginRun(h, { runId, startedAt });
  return runKey(h, runId, startedAt);
}

function isGraded(step: StepTranscript, result: ScenarioResult): boolean {
  return step.reply !== undefined && result.assertions.some((a) => a.step === step.index);
}

function insertScenario(h: SqlPort, seq: number, runStartedAt: number, ord: number, r: ScenarioResult): void {
  const id = h.run(
    `INSERT INTO scenario_results (run_seq, ord, run_started_at, scenario, suite, target, bot, status, score,
       started_at, finished_at, latency_first_ms, latency_final_ms, error_code, reasons, attempt, causes, retried)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    seq, ord, runStartedAt, r.scenario, r.suite, r.target, r.bot, r.status, r.score, r.startedAt, r.finishedAt,
    r.latencyMs.first, r.latencyMs.final, r.errorCode ?? null, JSON.stringify(r.reasons), r.attempt ?? 1,
    r.status === 'fail' ? JSON.stringify(failureCauses(r)) : null,
    r.retried ? JSON.stringify(r.retried) : null,
  ).lastInsertRowid;
  r.steps.forEach((s, i) => {
    h.run(
      `INSERT INTO steps (result_id, ord, idx, kind, started_at, finished_at, graded, sent_id, sent_text, sent_at,
         reply_json, detail, error_code, error_message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      id, i, s.index, s.kind, s.startedAt, s.finishedAt, isGraded(s, r) ? 1 : 0,
      s.sent?.id ?? null, encOptText(s.sent?.text), s.sent?.at ?? null,
      // JSON.stringify escapes lone surrogates (\udXXX), so the reply round-trips exactly.
      s.reply === undefined ? null : JSON.stringify(s.reply),
      encOptText(s.detail), s.error?.code ?? null, encOptText(s.error?.message),
    );
  });
  r.assertions.forEach((a, i) => {
    h.run(
      `INSERT INTO assertion_results (result_id, ord, type, pass, score, weight, critical, reason, step)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      id, i, a.type, a.pass ? 1 : 0, a.score, a.weight, a.critical ? 1 : 0, encText(a.reason), a.step,
    );
  });
}

export function saveScenario(h: SqlPort, runId: string, r: ScenarioResult): void {
  h.tx(() => {
    const run = runKey(h, runId, r.startedAt);
    const old = h.get(
      'SELECT id, ord FROM scenario_results WHERE run_seq = ? AND suite = ? AND scenario = ? AND target = ? AND attempt = ?',
      run.seq, r.suite, r.scenario, r.target, r.attempt ?? 1,
    );
    let ord: number;
    if (old) {
      ord = num(old.ord);
      h.run('DELETE FROM scenario_results WHERE id = ?', old.id);
    } else {
      ord = num(h.get('SELECT coalesce(max(ord) + 1, 0) AS n FROM scenario_results WHERE run_seq = ?', run.seq)?.n);
    }
    insertScenario(h, run.seq, run.startedAt, ord, r);
  });
}

/** Stores the finished run exactly as given: run row, verdict JSON, and all its scenarios in order. */
export function finishRun(h: SqlPort, result: RunResult): void {
  h.tx(() => {
    beginRun(h, { runId: result.runId, startedAt: result.startedAt, revision: result.revision });
    h.run(
      `UPDATE runs SET started_at = ?, finished_at = ?, verdict = ?, decision = ?, score = ?, aborted = ?,
         revision = ?, verdict_json = ? WHERE id = ?`,
      result.startedAt, result.finishedAt, result.verdict.verdict, result.verdict.decision, result.verdict.score,
      result.aborted ? 1 : 0, result.revision ?? null, JSON.stringify(result.verdict), result.runId,
    );
    const seq = num(h.get('SELECT seq FROM runs WHERE id = ?', result.runId)?.seq);
    h.run('DELETE FROM scenario_results WHERE run_seq = ?', seq);
    result.scenarios.forEach((s, i) => insertScenario(h, seq, result.startedAt, i, s));
    h.run('DELETE FROM run_targets WHERE run_seq = ?', seq);
    for (const t of targetOutcomes(result)) {
      h.run('INSERT INTO run_targets (run_seq, target, verdict, score, finished_at) VALUES (?, ?, ?, ?, ?)',
        seq, t.target, t.verdict, t.score, result.finishedAt);
    }
  });
}

export function deleteRun(h: SqlPort, runId: string): boolean {
  return h.run('DELETE FROM runs WHERE id = ?', runId).changes > 0;
}

/**
 * Retention: removes runs started before `olderThan` (their results, transcripts and assertions cascade),
 * delivered outbox items and alert log entries older than it, in one transaction; then returns free pages to
 * the file system (incremental vacuum) and refreshes planner statistics (PRAGMA optimize).
 */
export function prune(h: SqlPort, olderThan: number): PruneResult {
  const counts = h.tx(() => ({
    runs: h.run('DELETE FROM runs WHERE started_at < ?', olderThan).changes,
    outbox: h.run('DELETE FROM outbox WHERE delivered_at IS NOT NULL AND delivered_at < ?', olderThan).changes,
    alerts: h.run('DELETE FROM alerts_log WHERE at < ?', olderThan).changes,
  }));
  h.reclaim(counts.runs + counts.outbox + counts.alerts > 0);
  return counts;
}
