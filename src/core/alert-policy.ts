/**
 * Alert policy (Gatus / Alertmanager semantics). Pure: no I/O. The caller loads the previous state rows from the
 * store, calls `evaluateAlerts`, saves the returned rows and enqueues the returned alerts in the outbox.
 *
 * - `<target>`: goes `failing` after `failureThreshold` consecutive failing runs (one `failing` alert), sends a
 *   `reminder` every `reminderIntervalMs` while failing (0 = off), `resolved` after `successThreshold` consecutive
 *   passing runs. An inconclusive run changes nothing (state and counters kept).
 * - `<target>:inconclusive` (canary only): a streak of `inconclusiveThreshold` inconclusive runs alerts
 *   separately ("tg-canary cannot judge the canary: …"), resolved as soon as a run is conclusive again.
 *
 * Alert ids are deterministic (`alert:<key>:<since>:<kind>:<n>`): evaluating the same run against the same saved
 * state always yields the same ids, so the outbox (unique dedupe keys) never queues a duplicate. Pass the run's
 * finish time as `now` so a re-evaluation after a crash is identical.
 */
import type { AlertMessage, AlertStateRow } from './ports.js';
import type { TargetName, Verdict, VerdictReport } from './types.js';

export interface AlertPolicy {
  failureThreshold: number;
  successThreshold: number;
  /** 0 disables reminders. */
  reminderIntervalMs: number;
  /** 0 disables the inconclusive alert. */
  inconclusiveThreshold: number;
}

export interface AlertDecision extends AlertMessage {
  /** Deterministic id, also the base of the outbox dedupe keys. */
  id: string;
  /** State key the alert belongs to (`canary`, `canary:inconclusive`, `stable`). */
  key: string;
}

export interface AlertInput {
  verdict: VerdictReport;
  previous: Record<string, AlertStateRow | undefined>;
  now: number;
  policy: AlertPolicy;
  reportDir?: string;
}

export interface AlertOutput {
  /** Every state row touched by this run; save all of them. */
  states: AlertStateRow[];
  alerts: AlertDecision[];
}

/** State keys the policy reads for a verdict (load these from the store before calling `evaluateAlerts`). */
export function alertKeys(verdict: VerdictReport): string[] {
  const keys = ['canary', inconclusiveKey('canary')];
  if (verdict.targets.stable) keys.push('stable');
  return keys;
}

export function inconclusiveKey(target: TargetName): string {
  return `${target}:inconclusive`;
}

export function evaluateAlerts(input: AlertInput): AlertOutput {
  const { verdict, now } = input;
  const policy = normalizePolicy(input.policy);
  const out: AlertOutput = { states: [], alerts: [] };
  if (verdict.verdict === 'pending') return out;

  const ctx: Ctx = { verdict, now, policy, reportDir: input.reportDir, out };
  // canary: the overall verdict is the canary's (shared outages are already inconclusive there).
  stepTarget(ctx, 'canary', verdict.verdict, input.previous.canary);
  stepInconclusive(ctx, 'canary', verdict.verdict, input.previous[inconclusiveKey('canary')]);
  const stable = verdict.targets.stable;
  if (stable) stepTarget(ctx, 'stable', stable.verdict, input.previous.stable);
  return out;
}

// ---------------------------------------------------------------- internals

interface Ctx {
  verdict: VerdictReport;
  now: number;
  policy: AlertPolicy;
  reportDir?: string;
  out: AlertOutput;
}

function normalizePolicy(p: AlertPolicy): AlertPolicy {
  return {
    failureThreshold: Math.max(1, Math.floor(p.failureThreshold)),
    successThreshold: Math.max(1, Math.floor(p.successThreshold)),
    reminderIntervalMs: Math.max(0, p.reminderIntervalMs),
    inconclusiveThreshold: Math.max(0, Math.floor(p.inconclusiveThreshold)),
  };
}

function freshRow(key: string, now: number): AlertStateRow {
  return { key, state: 'ok', since: now, lastNotifiedAt: null, failures: 0, successes: 0, alertId: null };
}

function emit(ctx: Ctx, row: AlertStateRow, kind: AlertMessage['kind'], target: TargetName, n: number): void {
  const { subject, text } = describe(ctx, kind, target, row);
  const id = `alert:${row.key}:${row.since}:${kind}:${n}`;
  ctx.out.alerts.push({
    id,
    key: row.key,
    kind,
    target,
    subject,
    text,
    verdict: ctx.verdict,
    runId: ctx.verdict.runId,
    ...(ctx.reportDir === undefined ? {} : { reportDir: ctx.reportDir }),
  });
}

function stepTarget(ctx: Ctx, target: TargetName, outcome: Verdict, prev: AlertStateRow | undefined): void {
  const { now, policy } = ctx;
  const row: AlertStateRow = { ...(prev ?? freshRow(target, now)) };
  if (outcome === 'inconclusive') {
    // keeps state and counters
    ctx.out.states.push(row);
    return;
  }
  advance(ctx, row, target, {
    bad: outcome === 'fail',
    openAt: policy.failureThreshold,
    resolveAt: policy.successThreshold,
    kinds: { open: 'failing', remind: 'reminder', resolve: 'resolved' },
  });
}

function stepInconclusive(ctx: Ctx, target: TargetName, outcome: Verdict, prev: AlertStateRow | undefined): void {
  const { now, policy } = ctx;
  const row: AlertStateRow = { ...(prev ?? freshRow(inconclusiveKey(target), now)) };
  advance(ctx, row, target, {
    bad: outcome === 'inconclusive',
    openAt: policy.inconclusiveThreshold > 0 ? policy.inconclusiveThreshold : null,
    resolveAt: 1,
    kinds: { open: 'inconclusive', remind: 'inconclusive', resolve: 'inconclusive-resolved' },
  });
}

/** One alert track: which outcome counts against it, its thresholds, and the messages it sends. */
interface Track {
  bad: boolean;
  /** Consecutive bad outcomes that open the alert; null: this track never opens. */
  openAt: number | null;
  /** Consecutive good outcomes that resolve it. */
  resolveAt: number;
  kinds: { open: AlertMessage['kind']; remind: AlertMessage['kind']; resolve: AlertMessage['kind'] };
}

/** Counts the outcome on `row`, opens, reminds or resolves as the track says, and records the row. */
function advance(ctx: Ctx, row: AlertStateRow, target: TargetName, t: Track): void {
  const { now, policy } = ctx;
  if (t.bad) {
    row.failures += 1;
    row.successes = 0;
    if (row.state === 'ok' && t.openAt !== null && row.failures >= t.openAt) {
      row.state = 'failing';
      row.since = now;
      row.lastNotifiedAt = now;
      row.alertId = 1;
      emit(ctx, row, t.kinds.open, target, 1);
    } else if (row.state === 'failing' && reminderDue(row, now, policy.reminderIntervalMs)) {
      const n = (row.alertId ?? 1) + 1;
      row.alertId = n;
      row.lastNotifiedAt = now;
      emit(ctx, row, t.kinds.remind, target, n);
    }
  } else {
    row.successes += 1;
    row.failures = 0;
    if (row.state === 'failing' && row.successes >= t.resolveAt) {
      emit(ctx, row, t.kinds.resolve, target, (row.alertId ?? 1) + 1);
      row.state = 'ok';
      row.since = now;
      row.lastNotifiedAt = now;
      row.alertId = null;
    }
  }
  ctx.out.states.push(row);
}

function reminderDue(row: AlertStateRow, now: number, intervalMs: number): boolean {
  if (intervalMs <= 0) return false;
  const last = row.lastNotifiedAt ?? row.since;
  return now - last >= intervalMs;
}

// ---------------------------------------------------------------- wording

interface Counts {
  total: number;
  failed: number;
  passed: number;
  errors: number;
  /** `attempts` when a scenario ran more than once (`repeat: N`): the counts are of attempts then. */
  unit: 'scenarios' | 'attempts';
}

function counts(verdict: VerdictReport, target: TargetName): Counts {
  const mine = verdict.scenarios.filter((s) => s.target === target);
  return {
    unit: mine.some((s) => s.attempt !== undefined) ? 'attempts' : 'scenarios',
    total: mine.length,
    failed: mine.filter((s) => s.status === 'fail').length,
    passed: mine.filter((s) => s.status === 'pass').length,
    errors: mine.filter((s) => s.status === 'error').length,
  };
}

function failingLines(verdict: VerdictReport, target: TargetName): string[] {
  return verdict.scenarios
    .filter((s) => s.target === target && (s.status === 'fail' || s.status === 'error'))
    .map((s) => {
      const why = s.reasons.length > 0 ? `: ${s.reasons.slice(0, 3).join('; ')}` : '';
      return `- ${s.suite}/${s.name}${s.attempt !== undefined ? ` (attempt ${s.attempt})` : ''} ${s.status.toUpperCase()} (score ${s.score.toFixed(2)})${why}`;
    });
}

function describe(ctx: Ctx, kind: AlertMessage['kind'], target: TargetName, row: AlertStateRow): { subject: string; text: string } {
  const v = ctx.verdict;
  const c = counts(v, target);
  const since = new Date(row.since).toISOString();
  const failedSummary = `${c.failed}/${c.total} ${c.unit} failed`;
  const head = `run ${v.runId}${v.revision ? ` (revision ${v.revision})` : ''}, verdict ${v.verdict}, decision ${v.decision}`;
  const reasons = v.reasons.length > 0 ? v.reasons.join('; ') : 'no reason recorded';
  switch (kind) {
    case 'failing':
      return {
        subject: `[tg-canary] ${target} FAILING: ${failedSummary}`,
        text: [`${target} is FAILING: ${failedSummary}.`, head, '', ...failingLines(v, target)].join('\n'),
      };
    case 'reminder':
      return {
        subject: `[tg-canary] ${target} STILL FAILING since ${since}: ${failedSummary}`,
        text: [`${target} is still FAILING (since ${since}): ${failedSummary}.`, head, '', ...failingLines(v, target)].join('\n'),
      };
    case 'resolved':
      return {
        subject: `[tg-canary] ${target} RESOLVED: ${c.passed}/${c.total} ${c.unit} passed`,
        text: [`${target} has recovered (failing since ${since}): ${c.passed}/${c.total} ${c.unit} passed.`, head].join('\n'),
      };
    case 'inconclusive':
      return {
        subject: `[tg-canary] cannot judge the ${target}: ${truncate(reasons, 120)}`,
        text: [`tg-canary cannot judge the ${target}: ${reasons}`, `(inconclusive since ${since})`, head].join('\n'),
      };
    case 'inconclusive-resolved':
      return {
        subject: `[tg-canary] ${target} can be judged again: verdict ${v.verdict}`,
        text: [`tg-canary can judge the ${target} again (inconclusive since ${since}).`, head].join('\n'),
      };
  }
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
