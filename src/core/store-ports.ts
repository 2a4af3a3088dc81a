/**
 * The store's roles, one small port each: the app depends on the role it uses (a reader of run history, the
 * outbox, the session lease …), never on the SQLite adapter. `RunStore` is all of them, for the composition root.
 * Implementations: src/store/sqlite-run-store.ts (better-sqlite3), test/support/memory-store.ts (in memory); one
 * contract suite (test/store/contract/) runs against both.
 */
import type { RunResult, ScenarioResult, TargetName } from './types.js';
import type { Silence } from './maintenance.js';
import type { Incident, TargetHistory } from './history-types.js';

// ---------------------------------------------------------------- run history

export interface RunSummary {
  runId: string;
  startedAt: number;
  finishedAt: number | null;
  verdict: string;
  score: number;
  aborted: boolean;
  revision?: string;
}

export interface ScenarioHistoryRow {
  runId: string;
  startedAt: number;
  scenario: string;
  suite: string;
  target: TargetName;
  status: string;
  score: number;
  latencyFirstMs: number | null;
  latencyFinalMs: number | null;
  /** 1-based attempt of a repeated scenario (1 when it ran once). */
  attempt?: number;
  /** Cause signatures of a failed attempt (src/core/failure-cause.ts); absent for rows stored before they existed. */
  causes?: string[];
}

/** A run begun and never finished (in progress elsewhere, or left behind by a crash). */
export interface PendingRun {
  runId: string;
  startedAt: number;
  /** `host:pid` of the process that began it; null when unknown (stored before owners were). */
  owner: string | null;
}

/** Reads runs back (reports, the status page, `history`, the verdict's history). */
export interface RunHistoryReader {
  getRun(runId: string): RunResult | undefined;
  /** The most recent finished run (one in progress, or one that crashed before finishing, is skipped). */
  latestRun(): RunResult | undefined;
  /** Newest first (by start, then by insertion); `before` keeps runs started strictly before it. Default 50. */
  listRuns(opts: { last?: number; before?: number }): RunSummary[];
  /**
   * Scenario results, newest run first, then in the run's order. With both `scenario` and `target`, `last` limits
   * rows; otherwise it limits runs (the last `last` runs that ran a matching scenario). Default 50.
   */
  scenarioHistory(opts: { scenario?: string; target?: TargetName; last?: number }): ScenarioHistoryRow[];
  /** Final texts of the last `limit` replies graded for this scenario and target, newest first (for `novel`). */
  recentReplyTexts(scenario: string, target: TargetName, limit: number): string[];
  /** When the target last passed (that run's finish time), or null. */
  lastSuccessAt(target: TargetName): number | null;
}

/** Writes runs (as they go, and once judged) and reads them back. */
export interface RunHistoryStore extends RunHistoryReader {
  /** Records a run as started (so an abort still leaves a row); `owner` is the `host:pid` running it. */
  beginRun(run: { runId: string; startedAt: number; revision?: string; owner?: string }): void;
  /** Saves one scenario result as it finishes (replacing an earlier save of the same scenario, target, attempt). */
  saveScenario(runId: string, result: ScenarioResult): void;
  /** Stores the finished run exactly as given (its scenarios replace whatever was saved on the way). */
  finishRun(result: RunResult): void;
  /** Runs begun and never finished, oldest first. */
  pendingRuns(): PendingRun[];
}

// ---------------------------------------------------------------- facts

export interface PlantedFact {
  value: string;
  runId: string;
  at: number;
}

/** Facts one run plants for a later run to ask about (memory checks), per target. */
export interface FactStore {
  /** The newest (by `at`) wins: a late write of an older fact changes nothing. */
  plantFact(fact: { key: string; target: TargetName; value: string; runId: string; at: number }): void;
  getFact(key: string, target: TargetName): PlantedFact | undefined;
}

// ---------------------------------------------------------------- outbox

export interface OutboxItem {
  id: number;
  /** Delivery channel, e.g. `email`, `telegram`, `pushgateway`, `webhook`, `ping`. */
  channel: string;
  /** Stable key so the same delivery is never queued twice (e.g. `alert:42:email`). */
  dedupeKey: string;
  payload: string;
  attempts: number;
  createdAt: number;
  nextAttemptAt: number;
  lastError?: string;
  deliveredAt?: number;
  /** Earliest next attempt the receiver asked for (its Retry-After). */
  notBefore?: number;
}

/**
 * `claimed`: send it now. `held`: another live process is sending it. `done`: delivered meanwhile (or gone).
 * `changed`: someone else tried it since it was listed (a failure was recorded; its backoff now applies).
 */
export type ClaimOutcome = 'claimed' | 'held' | 'done' | 'changed';

/** Deliveries queued once each (unique dedupe key) and retried until delivered. */
export interface OutboxStore {
  /**
   * Queues a delivery due at `at`; false (and nothing changes) when its dedupe key was already queued. `holdUntil`:
   * not sent before then (quiet hours), without holding the channel's other items.
   */
  enqueue(item: { channel: string; dedupeKey: string; payload: string; at: number; holdUntil?: number }): boolean;
  /** Undelivered items whose next attempt is due, soonest first (then in queue order). Default limit 100. */
  dueOutbox(now: number, limit?: number): OutboxItem[];
  /**
   * Claims an undelivered item for `claimer` until `until` before it is sent (one write transaction), so only
   * one process sends it. A live claim of another holder is kept unless `canSteal` says that holder is dead;
   * with `attempts`, the claim fails as `changed` when the item was tried since the caller read it.
   */
  claimOutbox(id: number, claimer: string, until: number, canSteal?: (holder: string) => boolean, attempts?: number): ClaimOutcome;
  /** Counts the attempt, stamps the delivery and drops the claim. */
  markDelivered(id: number, at: number): void;
  /**
   * Counts the attempt, records the error and when to try again, and drops the claim. `notBefore`: the receiver
   * asked not to be called before then (Retry-After); even a forced retry waits.
   */
  markFailed(id: number, error: string, nextAttemptAt: number, notBefore?: number): void;
  /** Newest first (default 100). */
  listOutbox(opts: { last?: number; pendingOnly?: boolean }): OutboxItem[];
}

// ---------------------------------------------------------------- alert state

export interface AlertStateRow {
  /** e.g. `canary` or `canary:inconclusive` */
  key: string;
  state: 'ok' | 'failing';
  since: number;
  lastNotifiedAt: number | null;
  failures: number;
  successes: number;
  alertId: number | null;
}

export interface AlertLogEntry {
  id: number;
  key: string;
  kind: string;
  runId?: string;
  at: number;
  subject?: string;
}

/** Alert state (so a restart does not re-page) and the log of alerts raised (`tg-canary alerts`). */
export interface AlertStateStore {
  getAlertState(key: string): AlertStateRow | undefined;
  /** Inserts or replaces the row of `row.key`. */
  setAlertState(row: AlertStateRow): void;
  /** Appends to the alert log; returns the new entry's id (increasing). */
  logAlert(entry: Omit<AlertLogEntry, 'id'>): number;
  /** Newest first (default 50). */
  listAlerts(last?: number): AlertLogEntry[];
}

// ---------------------------------------------------------------- session lease

export interface LeaseInfo {
  holder: string;
  expiresAt: number;
}

/** A named lease so two processes never drive one Telegram session at once. Time comes from the store's clock. */
export interface SessionLeaseStore {
  /**
   * Takes the lease when it is free, expired, already ours, or held by a holder `isDead` says is gone (a crashed
   * process on this host). Throws RangeError for a ttl that is not a positive number.
   */
  acquireLease(name: string, holder: string, ttlMs: number, isDead?: (holder: string) => boolean): boolean;
  /** Extends a lease this holder still has; false when someone else took it over (stop using the session). */
  renewLease(name: string, holder: string, ttlMs: number): boolean;
  /** Gives the lease up; true when this holder had it. */
  releaseLease(name: string, holder: string): boolean;
  /** The live holder, or undefined when the lease is free or expired. */
  leaseHolder(name: string): LeaseInfo | undefined;
}

// ---------------------------------------------------------------- scenario cache

/** The last validated scenario set (JSON) between processes; a new key replaces whatever was there. */
export interface ScenarioCacheStore {
  cachedScenarioSet(key: string): string | undefined;
  saveScenarioSet(key: string, json: string): void;
}

// ---------------------------------------------------------------- peer cache

/** A bot as Telegram resolved it for one account: enough to build its InputPeerUser without asking again. */
export interface CachedPeer {
  /** The bot's user id (decimal). */
  userId: string;
  /** The access hash Telegram gave this account for the bot (decimal, signed 64-bit). */
  accessHash: string;
  /** When it was resolved (store clock, ms). */
  resolvedAt: number;
}

/**
 * Resolved bots kept across runs (issue 19 point 3), so `contacts.resolveUsername` (whose bursts earn long flood
 * waits) is only called on a miss. Keyed by account (the session's user id) and username, case-insensitive and
 * without `@`. Derived data: a dropped row only costs one lookup.
 */
export interface PeerCacheStore {
  cachedPeer(account: string, username: string): CachedPeer | undefined;
  /** Inserts or replaces the entry, stamped with the store's clock. */
  savePeer(account: string, username: string, peer: { userId: string; accessHash: string }): void;
  /** Drops the entry (a stale or vanished bot); true when there was one. */
  forgetPeer(account: string, username: string): boolean;
}

/** The cache key of a username: no leading `@`, lower case (Telegram usernames are case-insensitive). */
export function peerCacheKey(username: string): string {
  return username.replace(/^@/, '').toLowerCase();
}

// ---------------------------------------------------------------- upkeep

export interface PruneResult {
  runs: number;
  outbox: number;
  alerts: number;
}

/** Transactions across roles, retention, closing. */
export interface StoreUpkeep {
  /** Runs `fn` in one transaction: every store write inside it is kept, or (when it throws) none is. */
  batch<T>(fn: () => T): T;
  /**
   * Retention: removes runs started before `olderThan` (with their results), delivered outbox items delivered
   * before it and alert log entries logged before it. Pending deliveries, alert state and facts are kept.
   */
  prune(olderThan: number): PruneResult;
  close(): void;
}

/** Ad-hoc silences (maintenance, issue 17): `tg-canary silence` and `POST /v1/silences` write them. */
export interface SilenceStore {
  addSilence(s: Silence): void;
  expireSilence(id: string, at: number): boolean;
  /** Silences not yet ended at `now` (and those ended within `recentMs`). */
  listSilences(now: number, recentMs?: number): Silence[];
}

/** The long view for the status page, badges and `tg-canary incidents`. */
export interface HistoryRollupReader {
  dailyHistory(opts: { now: number; days: number }): TargetHistory[];
  incidents(opts: { now: number; days: number; target?: TargetName; limit?: number }): Incident[];
}

/** The operations roles (silences, the long view): SQL-only for now, so outside `RunStore`'s contract suite. */
export type OperationsStore = SilenceStore & HistoryRollupReader;

/** Every role: what the composition root opens and hands out by role. */
export type RunStore = RunHistoryStore & FactStore & OutboxStore & AlertStateStore & SessionLeaseStore
  & ScenarioCacheStore & PeerCacheStore & StoreUpkeep;
