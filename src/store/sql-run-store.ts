/**
 * Every store role of src/core/store-ports.ts (run history, facts, outbox, alert state, session lease, scenario
 * cache, peer cache, upkeep) over one SqlPort: the same parts and SQL for SQLite (sqlite-run-store.ts) and
 * PostgreSQL (pg/postgres-run-store.ts); a subclass adds its dialect's integrity check, schema version and close.
 */
import type {
  AlertLogEntry, AlertStateRow, CachedPeer, ClaimOutcome, Clock, LeaseInfo, OutboxItem, PendingRun, PlantedFact, PruneResult,
  RunStore, RunSummary, ScenarioHistoryRow,
} from '../core/ports.js';
import type { RunResult, ScenarioResult, TargetName } from '../core/types.js';
import { systemClock } from '../core/clock.js';
import * as alerts from './alert-store.js';
import * as facts from './fact-store.js';
import * as leases from './lease-store.js';
import * as outbox from './outbox-store.js';
import * as peerCache from './peer-cache-store.js';
import * as reader from './run-reader.js';
import * as scenarioCache from './scenario-cache-store.js';
import * as writer from './run-writer.js';
import type { SqlPort } from './sql-port.js';
import { statusSnapshot, type StatusSnapshot } from './status-snapshot.js';
import type { Silence } from '../core/maintenance.js';
import { dailyHistory, type TargetHistory } from './history-daily.js';
import { listIncidents, type Incident } from './incident-reader.js';
import * as silences from './silence-store.js';

export abstract class SqlRunStore implements RunStore {
  /** Where the data lives, safe to print: the SQLite file, or the PostgreSQL URL without its password. */
  readonly path: string;

  constructor(protected readonly h: SqlPort, readonly readonly: boolean, protected readonly clock: Clock = systemClock) {
    this.path = h.location;
  }

  // -------------------------------------------------------------- runs
  beginRun(run: { runId: string; startedAt: number; revision?: string; owner?: string }): void {
    this.h.guard('writing to', () => writer.beginRun(this.h, run));
  }
  /** Runs started and never finished, oldest first (with the `host:pid` that began them, when known). */
  pendingRuns(): PendingRun[] {
    return this.h.guard('reading', () => writer.pendingRuns(this.h));
  }
  saveScenario(runId: string, result: ScenarioResult): void {
    this.h.guard('writing to', () => writer.saveScenario(this.h, runId, result));
  }
  finishRun(result: RunResult): void {
    this.h.guard('writing to', () => writer.finishRun(this.h, result));
  }
  /** Deletes one run and everything under it; false when there was no such run. */
  deleteRun(runId: string): boolean {
    return this.h.guard('writing to', () => writer.deleteRun(this.h, runId));
  }
  getRun(runId: string): RunResult | undefined {
    return this.h.guard('reading', () => reader.getRun(this.h, runId));
  }
  latestRun(): RunResult | undefined {
    return this.h.guard('reading', () => reader.latestRun(this.h));
  }
  listRuns(opts: { last?: number; before?: number }): RunSummary[] {
    return this.h.guard('reading', () => reader.listRuns(this.h, opts));
  }
  scenarioHistory(opts: { scenario?: string; target?: TargetName; last?: number }): ScenarioHistoryRow[] {
    return this.h.guard('reading', () => reader.scenarioHistory(this.h, opts));
  }
  recentReplyTexts(scenario: string, target: TargetName, limit: number): string[] {
    return this.h.guard('reading', () => reader.recentReplyTexts(this.h, scenario, target, limit));
  }
  lastSuccessAt(target: TargetName): number | null {
    return this.h.guard('reading', () => reader.lastSuccessAt(this.h, target));
  }
  statusSnapshot(opts: { trendRuns: number }): StatusSnapshot {
    return this.h.guard('reading', () => statusSnapshot(this.h, opts));
  }

  // -------------------------------------------------------------- facts
  plantFact(fact: { key: string; target: TargetName; value: string; runId: string; at: number }): void {
    this.h.guard('writing to', () => facts.plantFact(this.h, fact));
  }
  getFact(key: string, target: TargetName): PlantedFact | undefined {
    return this.h.guard('reading', () => facts.getFact(this.h, key, target));
  }

  // -------------------------------------------------------------- outbox
  enqueue(item: { channel: string; dedupeKey: string; payload: string; at: number; holdUntil?: number }): boolean {
    return this.h.guard('writing to', () => outbox.enqueue(this.h, item));
  }
  dueOutbox(now: number, limit?: number): OutboxItem[] {
    return this.h.guard('reading', () => outbox.dueOutbox(this.h, now, limit));
  }
  /** Claims an outbox item before sending it (see outbox-store.ts); `canSteal` may override a dead claimer's hold. */
  claimOutbox(id: number, claimer: string, until: number, canSteal?: (holder: string) => boolean, attempts?: number): ClaimOutcome {
    return this.h.guard('writing to', () => outbox.claimOutbox(this.h, id, claimer, until, this.clock.now(), canSteal, attempts));
  }
  markDelivered(id: number, at: number): void {
    this.h.guard('writing to', () => outbox.markDelivered(this.h, id, at));
  }
  markFailed(id: number, error: string, nextAttemptAt: number, notBefore?: number): void {
    this.h.guard('writing to', () => outbox.markFailed(this.h, id, error, nextAttemptAt, notBefore));
  }
  listOutbox(opts: { last?: number; pendingOnly?: boolean }): OutboxItem[] {
    return this.h.guard('reading', () => outbox.listOutbox(this.h, opts));
  }

  // -------------------------------------------------------------- alert state
  getAlertState(key: string): AlertStateRow | undefined {
    return this.h.guard('reading', () => alerts.getAlertState(this.h, key));
  }
  setAlertState(row: AlertStateRow): void {
    this.h.guard('writing to', () => alerts.setAlertState(this.h, row));
  }
  logAlert(entry: Omit<AlertLogEntry, 'id'>): number {
    return this.h.guard('writing to', () => alerts.logAlert(this.h, entry));
  }
  listAlerts(last?: number): AlertLogEntry[] {
    return this.h.guard('reading', () => alerts.listAlerts(this.h, last));
  }

  // -------------------------------------------------------------- leases
  acquireLease(name: string, holder: string, ttlMs: number, isDead?: (holder: string) => boolean): boolean {
    return this.h.guard('locking', () => leases.acquireLease(this.h, name, holder, ttlMs, this.clock.now(), isDead));
  }
  renewLease(name: string, holder: string, ttlMs: number): boolean {
    return this.h.guard('locking', () => leases.renewLease(this.h, name, holder, ttlMs, this.clock.now()));
  }
  releaseLease(name: string, holder: string): boolean {
    return this.h.guard('locking', () => leases.releaseLease(this.h, name, holder));
  }
  leaseHolder(name: string): LeaseInfo | undefined {
    return this.h.guard('reading', () => leases.leaseHolder(this.h, name, this.clock.now()));
  }

  // -------------------------------------------------------------- scenario cache (derived data)
  /** The validated scenario set saved under `key` (JSON), if any. */
  cachedScenarioSet(key: string): string | undefined {
    return this.h.guard('reading', () => scenarioCache.cachedScenarioSet(this.h, key));
  }
  saveScenarioSet(key: string, json: string): void {
    this.h.guard('writing to', () => scenarioCache.saveScenarioSet(this.h, key, json, this.clock.now()));
  }

  // -------------------------------------------------------------- history, incidents, silences (issue 17)
  dailyHistory(opts: { now: number; days: number }): TargetHistory[] {
    return this.h.guard('reading', () => dailyHistory(this.h, opts));
  }
  incidents(opts: { now: number; days: number; target?: TargetName; limit?: number }): Incident[] {
    return this.h.guard('reading', () => listIncidents(this.h, opts));
  }
  addSilence(s: Silence): void {
    this.h.guard('writing to', () => silences.addSilence(this.h, s));
  }
  expireSilence(id: string, at: number): boolean {
    return this.h.guard('writing to', () => silences.expireSilence(this.h, id, at));
  }
  /** Silences not yet ended at `now` (and those ended within `recentMs`). */
  listSilences(now: number, recentMs?: number): Silence[] {
    return this.h.guard('reading', () => silences.listSilences(this.h, now, recentMs));
  }
  // -------------------------------------------------------------- peer cache (derived data)
  /** The bot `username` as resolved for `account`, if cached. */
  cachedPeer(account: string, username: string): CachedPeer | undefined {
    return this.h.guard('reading', () => peerCache.cachedPeer(this.h, account, username));
  }
  savePeer(account: string, username: string, peer: { userId: string; accessHash: string }): void {
    this.h.guard('writing to', () => peerCache.savePeer(this.h, account, username, peer, this.clock.now()));
  }
  forgetPeer(account: string, username: string): boolean {
    return this.h.guard('writing to', () => peerCache.forgetPeer(this.h, account, username));
  }

  // -------------------------------------------------------------- maintenance
  /** Runs `fn` in one transaction (bulk imports; nested store writes become savepoints). */
  batch<T>(fn: () => T): T {
    return this.h.guard('writing to', () => this.h.tx(fn));
  }
  prune(olderThan: number): PruneResult {
    return this.h.guard('pruning', () => {
      silences.pruneSilences(this.h, olderThan);
      return writer.prune(this.h, olderThan);
    });
  }
  /** "ok" or the problems found, one per line. */
  abstract integrityCheck(): string;
  /** The schema version the database is at. */
  abstract schemaVersion(): number;
  abstract close(): void;
}
