/** The in-memory store's data (rows as a database would hold them) and the pure helpers its methods share. */
import type { AlertLogEntry, AlertStateRow, CachedPeer, LeaseInfo, OutboxItem, PlantedFact } from '../../src/core/ports.js';
import type { ScenarioResult, TargetName, Verdict, VerdictReport } from '../../src/core/types.js';

export interface StoredResult {
  /** Insertion id (a re-save gets a new one, as a new database row would). */
  id: number;
  ord: number;
  runStartedAt: number;
  causes: string[] | null;
  result: ScenarioResult;
}

export interface StoredRun {
  seq: number;
  id: string;
  startedAt: number;
  finishedAt: number | null;
  verdict: string;
  score: number;
  aborted: boolean;
  revision: string | null;
  owner: string | null;
  verdictReport: VerdictReport | null;
  results: StoredResult[];
  targets: { target: TargetName; verdict: Verdict; score: number; finishedAt: number }[];
}

export interface StoredOutbox extends OutboxItem {
  claimedBy: string | null;
  claimedUntil: number | null;
}

/** Everything the store holds; share it between handles to model processes on one database. */
export interface MemoryStoreData {
  seq: number;
  resultId: number;
  runs: Map<string, StoredRun>;
  facts: Map<string, PlantedFact>;
  outbox: StoredOutbox[];
  outboxId: number;
  alertState: Map<string, AlertStateRow>;
  alertLog: AlertLogEntry[];
  alertId: number;
  leases: Map<string, LeaseInfo>;
  scenarioCache: { key: string; json: string } | null;
  /** Keyed by `account\u0000username` (username lower case, without `@`). */
  peers: Map<string, CachedPeer>;
}

export function createMemoryStoreData(): MemoryStoreData {
  return {
    seq: 0, resultId: 0, runs: new Map(), facts: new Map(), outbox: [], outboxId: 0, alertState: new Map(),
    alertLog: [], alertId: 0, leases: new Map(), scenarioCache: null, peers: new Map(),
  };
}

export const MAX_LIMIT = 100_000;
export const MAX_ERROR_CHARS = 2000;

export function limitOf(n: number | undefined, dflt: number): number {
  if (n === undefined || !Number.isFinite(n)) return dflt;
  return Math.max(0, Math.min(MAX_LIMIT, Math.floor(n)));
}

export function ttl(ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError('lease ttlMs must be a positive number');
  return Math.floor(ttlMs);
}

/** What the SQLite store keeps of a scenario result (its columns): anything else is dropped, as there. */
export function keep(r: ScenarioResult): ScenarioResult {
  const out: ScenarioResult = {
    scenario: r.scenario, suite: r.suite, target: r.target, bot: r.bot, status: r.status, score: r.score,
    startedAt: r.startedAt, finishedAt: r.finishedAt,
    latencyMs: { first: r.latencyMs.first, final: r.latencyMs.final }, reasons: [...r.reasons],
    steps: r.steps.map((s) => structuredClone(s)), assertions: r.assertions.map((a) => ({ ...a })),
  };
  if (r.errorCode !== undefined) out.errorCode = r.errorCode;
  if (r.attempt !== undefined) out.attempt = r.attempt;
  return out;
}

export const byNewest = (a: StoredRun, b: StoredRun): number => b.startedAt - a.startedAt || b.seq - a.seq;
export const byOldest = (a: StoredRun, b: StoredRun): number => a.startedAt - b.startedAt || a.seq - b.seq;
export const attemptOf = (r: ScenarioResult): number => r.attempt ?? 1;
export const sameSlot = (a: ScenarioResult, b: ScenarioResult): boolean =>
  a.suite === b.suite && a.scenario === b.scenario && a.target === b.target;

export function pendingVerdict(run: StoredRun, finishedAt: number): VerdictReport {
  const v: VerdictReport = {
    schema: 1, runId: run.id, verdict: 'pending', decision: 'hold', score: 0,
    startedAt: new Date(run.startedAt).toISOString(), finishedAt: new Date(finishedAt).toISOString(),
    targets: {}, scenarios: [], reasons: ['run has not finished'], consecutiveFailures: 0,
    consecutiveInconclusive: 0, flaky: [],
  };
  if (run.revision !== null) v.revision = run.revision;
  if (run.aborted) v.aborted = true;
  return v;
}
