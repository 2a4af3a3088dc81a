/**
 * An in-memory store implementing every store role of src/core/store-ports.ts with the SQLite store's semantics
 * (test/store/contract/ holds them both to one suite). Values are copied in and out, as a database would: a
 * caller changing an object after saving it changes nothing stored. Several handles may share one `MemoryStoreData`
 * (two processes on one database file; a restart is a new handle on the same data).
 */
import { systemClock } from '../../src/core/clock.js';
import { failureCauses } from '../../src/core/failure-cause.js';
import { targetOutcomes } from '../../src/core/target-outcomes.js';
import type {
  AlertLogEntry, AlertStateRow, CachedPeer, ClaimOutcome, Clock, LeaseInfo, OutboxItem, PendingRun, PlantedFact, PruneResult,
  RunStore, RunSummary, ScenarioHistoryRow,
} from '../../src/core/ports.js';
import { peerCacheKey } from '../../src/core/store-ports.js';
import type { RunResult, ScenarioResult, TargetName } from '../../src/core/types.js';
import {
  attemptOf, byNewest, byOldest, createMemoryStoreData, keep, limitOf, MAX_ERROR_CHARS, pendingVerdict, sameSlot,
  ttl, type MemoryStoreData, type StoredOutbox, type StoredResult, type StoredRun,
} from './memory-store-data.js';

export { createMemoryStoreData, type MemoryStoreData } from './memory-store-data.js';

export interface MemoryStoreOptions {
  clock?: Clock;
  /** Share to model several processes on one database, or a restart (a new handle on the same data). */
  data?: MemoryStoreData;
}

export class MemoryRunStore implements RunStore {
  readonly data: MemoryStoreData;
  private readonly clock: Clock;
  private closed = false;

  constructor(opts: MemoryStoreOptions = {}) {
    this.data = opts.data ?? createMemoryStoreData();
    this.clock = opts.clock ?? systemClock;
  }

  private get d(): MemoryStoreData {
    if (this.closed) throw new Error('the memory store is closed');
    return this.data;
  }

  // -------------------------------------------------------------- run history: writes
  beginRun(run: { runId: string; startedAt: number; revision?: string; owner?: string }): void {
    const d = this.d;
    const old = d.runs.get(run.runId);
    if (old) {
      if (run.revision !== undefined) old.revision = run.revision;
      if (run.owner !== undefined) old.owner = run.owner;
      return;
    }
    d.runs.set(run.runId, {
      seq: ++d.seq, id: run.runId, startedAt: run.startedAt, finishedAt: null, verdict: 'pending', score: 0,
      aborted: false, revision: run.revision ?? null, owner: run.owner ?? null, verdictReport: null, results: [],
      targets: [],
    });
  }

  private runRow(runId: string, startedAt: number): StoredRun {
    if (!this.d.runs.has(runId)) this.beginRun({ runId, startedAt });
    return this.d.runs.get(runId) as StoredRun;
  }

  private stored(ord: number, runStartedAt: number, r: ScenarioResult): StoredResult {
    return {
      id: ++this.d.resultId, ord, runStartedAt, result: keep(r),
      causes: r.status === 'fail' ? failureCauses(r) : null,
    };
  }

  saveScenario(runId: string, result: ScenarioResult): void {
    const run = this.runRow(runId, result.startedAt);
    const at = run.results.findIndex((s) => sameSlot(s.result, result) && attemptOf(s.result) === attemptOf(result));
    if (at >= 0) {
      run.results[at] = this.stored(run.results[at].ord, run.startedAt, result);
    } else {
      const ord = run.results.reduce((m, s) => Math.max(m, s.ord + 1), 0);
      run.results.push(this.stored(ord, run.startedAt, result));
    }
    run.results.sort((a, b) => a.ord - b.ord);
  }

  finishRun(result: RunResult): void {
    const run = this.runRow(result.runId, result.startedAt);
    Object.assign(run, {
      startedAt: result.startedAt, finishedAt: result.finishedAt, verdict: result.verdict.verdict,
      score: result.verdict.score, aborted: result.aborted, revision: result.revision ?? null,
      verdictReport: structuredClone(result.verdict),
    });
    run.results = result.scenarios.map((s, i) => this.stored(i, result.startedAt, s));
    run.targets = targetOutcomes(result).map((t) => ({ ...t, finishedAt: result.finishedAt }));
  }

  pendingRuns(): PendingRun[] {
    return [...this.d.runs.values()].filter((r) => r.finishedAt === null).sort(byOldest)
      .map((r) => ({ runId: r.id, startedAt: r.startedAt, owner: r.owner }));
  }

  // -------------------------------------------------------------- run history: reads
  private build(run: StoredRun): RunResult {
    const scenarios = run.results.map((s) => {
      const r = keep(s.result);
      const top = run.results.filter((x) => sameSlot(x.result, r)).reduce((m, x) => Math.max(m, attemptOf(x.result)), 1);
      if (top > 1) r.attempt = attemptOf(s.result);
      else delete r.attempt;
      return r;
    });
    const finishedAt = run.finishedAt ?? scenarios.reduce((m, s) => Math.max(m, s.finishedAt), run.startedAt);
    const out: RunResult = {
      runId: run.id, startedAt: run.startedAt, finishedAt, aborted: run.aborted, scenarios,
      verdict: run.verdictReport ? structuredClone(run.verdictReport) : pendingVerdict(run, finishedAt),
    };
    if (run.revision !== null) out.revision = run.revision;
    return out;
  }

  getRun(runId: string): RunResult | undefined {
    const run = this.d.runs.get(runId);
    return run ? this.build(run) : undefined;
  }

  latestRun(): RunResult | undefined {
    const run = [...this.d.runs.values()].filter((r) => r.finishedAt !== null).sort(byNewest)[0];
    return run ? this.build(run) : undefined;
  }

  listRuns(opts: { last?: number; before?: number }): RunSummary[] {
    const before = opts.before;
    return [...this.d.runs.values()].filter((r) => before === undefined || r.startedAt < before).sort(byNewest)
      .slice(0, limitOf(opts.last, 50)).map((r) => {
        const s: RunSummary = {
          runId: r.id, startedAt: r.startedAt, finishedAt: r.finishedAt, verdict: r.verdict, score: r.score,
          aborted: r.aborted,
        };
        if (r.revision !== null) s.revision = r.revision;
        return s;
      });
  }

  scenarioHistory(opts: { scenario?: string; target?: TargetName; last?: number }): ScenarioHistoryRow[] {
    const n = limitOf(opts.last, 50);
    const match = (s: StoredResult): boolean => (opts.scenario === undefined || s.result.scenario === opts.scenario)
      && (opts.target === undefined || s.result.target === opts.target);
    const rows = (run: StoredRun): ScenarioHistoryRow[] => [...run.results].filter(match)
      .sort((a, b) => b.runStartedAt - a.runStartedAt || a.ord - b.ord)
      .map((s) => ({
        runId: run.id, startedAt: s.runStartedAt, scenario: s.result.scenario, suite: s.result.suite,
        target: s.result.target, status: s.result.status, score: s.result.score,
        latencyFirstMs: s.result.latencyMs.first, latencyFinalMs: s.result.latencyMs.final,
        attempt: attemptOf(s.result), ...(s.causes !== null ? { causes: [...s.causes] } : {}),
      }));
    const runs = [...this.d.runs.values()].sort(byNewest);
    if (opts.scenario !== undefined && opts.target !== undefined) return runs.flatMap(rows).slice(0, n);
    const filtered = opts.scenario === undefined && opts.target === undefined ? runs : runs.filter((r) => r.results.some(match));
    return filtered.slice(0, n).flatMap(rows);
  }

  recentReplyTexts(scenario: string, target: TargetName, limit: number): string[] {
    const texts: { runStartedAt: number; id: number; ord: number; text: string }[] = [];
    for (const run of this.d.runs.values()) {
      for (const s of run.results) {
        if (s.result.scenario !== scenario || s.result.target !== target) continue;
        s.result.steps.forEach((st, ord) => {
          if (st.reply !== undefined && s.result.assertions.some((a) => a.step === st.index)) {
            texts.push({ runStartedAt: s.runStartedAt, id: s.id, ord, text: st.reply.text });
          }
        });
      }
    }
    return texts.sort((a, b) => b.runStartedAt - a.runStartedAt || b.id - a.id || b.ord - a.ord)
      .slice(0, limitOf(limit, 20)).map((t) => t.text);
  }

  lastSuccessAt(target: TargetName): number | null {
    let at: number | null = null;
    for (const run of this.d.runs.values()) {
      for (const t of run.targets) if (t.target === target && t.verdict === 'pass' && (at === null || t.finishedAt > at)) at = t.finishedAt;
    }
    return at;
  }

  // -------------------------------------------------------------- facts
  plantFact(fact: { key: string; target: TargetName; value: string; runId: string; at: number }): void {
    const k = JSON.stringify([fact.key, fact.target]);
    const old = this.d.facts.get(k);
    if (old && fact.at < old.at) return;
    this.d.facts.set(k, { value: fact.value, runId: fact.runId, at: fact.at });
  }

  getFact(key: string, target: TargetName): PlantedFact | undefined {
    const f = this.d.facts.get(JSON.stringify([key, target]));
    return f ? { ...f } : undefined;
  }

  // -------------------------------------------------------------- outbox
  private static item(o: StoredOutbox): OutboxItem {
    const { claimedBy: _by, claimedUntil: _until, ...item } = o;
    return { ...item };
  }

  enqueue(item: { channel: string; dedupeKey: string; payload: string; at: number; holdUntil?: number }): boolean {
    const d = this.d;
    if (d.outbox.some((o) => o.dedupeKey === item.dedupeKey)) return false;
    d.outbox.push({
      id: ++d.outboxId, channel: item.channel, dedupeKey: item.dedupeKey, payload: item.payload, attempts: 0,
      createdAt: item.at, nextAttemptAt: Math.max(item.at, item.holdUntil ?? item.at), claimedBy: null, claimedUntil: null,
      ...(item.holdUntil === undefined ? {} : { notBefore: item.holdUntil }),
    });
    return true;
  }

  dueOutbox(now: number, limit = 100): OutboxItem[] {
    return this.d.outbox.filter((o) => o.deliveredAt === undefined && o.nextAttemptAt <= now)
      .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.id - b.id)
      .slice(0, Math.max(0, Math.floor(limit))).map((o) => MemoryRunStore.item(o));
  }

  claimOutbox(id: number, claimer: string, until: number, canSteal: (holder: string) => boolean = () => false,
    attempts?: number): ClaimOutcome {
    const o = this.d.outbox.find((x) => x.id === id);
    if (!o || o.deliveredAt !== undefined) return 'done';
    const holder = o.claimedBy;
    const live = holder !== null && holder !== claimer && (o.claimedUntil ?? 0) > this.clock.now();
    if (live && !canSteal(holder)) return 'held';
    if (attempts !== undefined && o.attempts !== attempts) return 'changed';
    o.claimedBy = claimer;
    o.claimedUntil = until;
    return 'claimed';
  }

  markDelivered(id: number, at: number): void {
    const o = this.d.outbox.find((x) => x.id === id);
    if (!o) return;
    Object.assign(o, { deliveredAt: at, attempts: o.attempts + 1, claimedBy: null, claimedUntil: null });
  }

  markFailed(id: number, error: string, nextAttemptAt: number, notBefore?: number): void {
    const o = this.d.outbox.find((x) => x.id === id);
    if (!o) return;
    Object.assign(o, {
      attempts: o.attempts + 1, lastError: error.slice(0, MAX_ERROR_CHARS), nextAttemptAt, claimedBy: null,
      claimedUntil: null,
    });
    if (notBefore === undefined) delete o.notBefore;
    else o.notBefore = notBefore;
  }

  listOutbox(opts: { last?: number; pendingOnly?: boolean }): OutboxItem[] {
    return this.d.outbox.filter((o) => !opts.pendingOnly || o.deliveredAt === undefined)
      .sort((a, b) => b.id - a.id).slice(0, Math.max(0, Math.floor(opts.last ?? 100)))
      .map((o) => MemoryRunStore.item(o));
  }

  // -------------------------------------------------------------- alert state
  getAlertState(key: string): AlertStateRow | undefined {
    const row = this.d.alertState.get(key);
    return row ? { ...row } : undefined;
  }

  setAlertState(row: AlertStateRow): void {
    this.d.alertState.set(row.key, { ...row });
  }

  logAlert(entry: Omit<AlertLogEntry, 'id'>): number {
    const d = this.d;
    const e: AlertLogEntry = { id: ++d.alertId, key: entry.key, kind: entry.kind, at: entry.at };
    if (entry.runId !== undefined) e.runId = entry.runId;
    if (entry.subject !== undefined) e.subject = entry.subject;
    d.alertLog.push(e);
    return e.id;
  }

  listAlerts(last = 50): AlertLogEntry[] {
    return [...this.d.alertLog].sort((a, b) => b.id - a.id).slice(0, Math.max(0, Math.floor(last))).map((e) => ({ ...e }));
  }

  // -------------------------------------------------------------- session lease
  acquireLease(name: string, holder: string, ttlMs: number, isDead: (holder: string) => boolean = () => false): boolean {
    const span = ttl(ttlMs);
    const now = this.clock.now();
    const row = this.d.leases.get(name);
    if (row && row.holder !== holder && row.expiresAt > now && !isDead(row.holder)) return false;
    this.d.leases.set(name, { holder, expiresAt: now + span });
    return true;
  }

  renewLease(name: string, holder: string, ttlMs: number): boolean {
    const span = ttl(ttlMs);
    const row = this.d.leases.get(name);
    if (!row || row.holder !== holder) return false;
    row.expiresAt = this.clock.now() + span;
    return true;
  }

  releaseLease(name: string, holder: string): boolean {
    const row = this.d.leases.get(name);
    if (!row || row.holder !== holder) return false;
    this.d.leases.delete(name);
    return true;
  }

  leaseHolder(name: string): LeaseInfo | undefined {
    const row = this.d.leases.get(name);
    return row && row.expiresAt > this.clock.now() ? { ...row } : undefined;
  }

  // -------------------------------------------------------------- scenario cache
  cachedScenarioSet(key: string): string | undefined {
    const c = this.d.scenarioCache;
    return c && c.key === key ? c.json : undefined;
  }

  saveScenarioSet(key: string, json: string): void {
    this.d.scenarioCache = { key, json };
  }

  // -------------------------------------------------------------- peer cache
  cachedPeer(account: string, username: string): CachedPeer | undefined {
    const p = this.d.peers.get(peerKey(account, username));
    return p ? { ...p } : undefined;
  }

  savePeer(account: string, username: string, peer: { userId: string; accessHash: string }): void {
    this.d.peers.set(peerKey(account, username), { userId: peer.userId, accessHash: peer.accessHash, resolvedAt: this.clock.now() });
  }

  forgetPeer(account: string, username: string): boolean {
    return this.d.peers.delete(peerKey(account, username));
  }

  // -------------------------------------------------------------- upkeep
  /** All or nothing: a throw restores everything as it was before `fn` (nested batches roll back on their own). */
  batch<T>(fn: () => T): T {
    const before = structuredClone(this.d);
    try {
      return fn();
    } catch (e) {
      Object.assign(this.data, before);
      throw e;
    }
  }

  prune(olderThan: number): PruneResult {
    const d = this.d;
    let runs = 0;
    for (const [id, run] of d.runs) {
      if (run.startedAt < olderThan) {
        d.runs.delete(id);
        runs += 1;
      }
    }
    const outboxBefore = d.outbox.length;
    d.outbox = d.outbox.filter((o) => o.deliveredAt === undefined || o.deliveredAt >= olderThan);
    const alertsBefore = d.alertLog.length;
    d.alertLog = d.alertLog.filter((e) => e.at >= olderThan);
    return { runs, outbox: outboxBefore - d.outbox.length, alerts: alertsBefore - d.alertLog.length };
  }

  close(): void {
    this.closed = true;
  }
}

/** A new in-memory store (on `data`, when given, shared with other handles). */
function peerKey(account: string, username: string): string {
  return `${account}\u0000${peerCacheKey(username)}`;
}

export function createMemoryStore(opts: MemoryStoreOptions = {}): MemoryRunStore {
  return new MemoryRunStore(opts);
}
