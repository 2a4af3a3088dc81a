/** Builds StatusPageData from stored runs (a convenience for the composition root; plain mapping, no I/O). */
import type { RunSummary } from '../core/ports.js';
import type { Decision, RunResult, TargetName } from '../core/types.js';
import type { AccountHealth } from '../fleet/account-pool-port.js';
import type { ChannelHealth, StatusAlert, StatusPageData, StatusLevel } from './status-page.js';

export interface PageDataInput {
  version: string;
  now: number;
  startedAt: number;
  /** The latest finished run, if any. */
  run?: RunResult;
  /** Recent runs, newest first. */
  history: RunSummary[];
  lastSuccessAt: Partial<Record<TargetName, number | null>>;
  running: boolean;
  schedule?: string;
  nextRunAt?: number | null;
  alerts?: StatusAlert[];
  channels?: ChannelHealth[];
  accounts?: AccountHealth[];
  links?: StatusPageData['links'];
}

const TARGETS: TargetName[] = ['canary', 'stable'];

export function toStatusPageData(i: PageDataInput): StatusPageData {
  const run = i.run;
  const v = run?.verdict;
  const overall: StatusLevel = v ? (v.verdict as StatusLevel) : i.running ? 'pending' : 'unknown';
  const suites = new Map<string, StatusPageData['suites'][number]>();
  for (const t of TARGETS) {
    for (const [suite, s] of Object.entries(v?.targets[t]?.suites ?? {})) {
      const row = suites.get(suite) ?? { suite, cells: {} };
      row.cells[t] = { status: s.status, score: s.score };
      suites.set(suite, row);
    }
  }
  return {
    version: i.version,
    now: i.now,
    startedAt: i.startedAt,
    overall,
    decision: v?.decision as Decision | undefined,
    reasons: v?.reasons ?? [],
    running: i.running,
    schedule: i.schedule,
    nextRunAt: i.nextRunAt,
    lastRun: run
      ? { runId: run.runId, startedAt: run.startedAt, finishedAt: run.finishedAt, verdict: run.verdict.verdict, score: run.verdict.score, revision: run.revision, aborted: run.aborted }
      : undefined,
    targets: TARGETS.filter((t) => v?.targets[t] !== undefined || run?.scenarios.some((s) => s.target === t)).map((t) => ({
      target: t,
      verdict: v?.targets[t]?.verdict ?? 'unknown',
      score: v?.targets[t]?.score ?? null,
      lastSuccessAt: i.lastSuccessAt[t] ?? null,
    })),
    suites: [...suites.values()].sort((a, b) => a.suite.localeCompare(b.suite)),
    scenarios: (run?.scenarios ?? []).map((s) => {
      const lastReply = [...s.steps].reverse().find((st) => st.reply)?.reply?.text;
      return {
        suite: s.suite,
        name: s.scenario,
        target: s.target,
        status: s.status,
        score: s.score,
        latencyFirstMs: s.latencyMs.first,
        latencyFinalMs: s.latencyMs.final,
        reasons: s.reasons,
        lastReply,
      };
    }),
    history: i.history.map((h) => ({ runId: h.runId, startedAt: h.startedAt, verdict: h.verdict, score: h.score })),
    alerts: i.alerts ?? [],
    channels: i.channels ?? [],
    ...(i.accounts?.length ? { accounts: i.accounts } : {}),
    links: i.links,
  };
}
