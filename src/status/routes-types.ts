/** Types of the serve app: what the composition root injects. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../core/ports.js';
import type { TargetName } from '../core/types.js';
import type { Logger } from '../util/logger.js';
import type { StatusPageData } from './status-page.js';
import type { Silence } from '../core/maintenance.js';
import type { BadgeData } from './badge-svg.js';

/** Silences over the API (issue 17); `add` throws a coded SILENCE_INVALID error on a bad request. */
export interface SilencesPort {
  list(): Silence[];
  add(req: { target?: string; suite?: string; scenario?: string; durationMs?: number; startsAt?: number; endsAt?: number; reason?: string; createdBy: string }): Silence;
  expire(id: string): boolean;
}

/** Flagger's webhook payload (confirm-rollout, pre-rollout, confirm-promotion, rollback). */
export interface FlaggerPayload {
  name: string;
  namespace: string;
  phase: string;
  checksum?: string;
  metadata?: Record<string, string>;
  /** `metadata.target`: whose verdict the hook reads (default canary). */
  target?: TargetName;
  /** Fleets: `?target=<pair>` on the hook URL (or `metadata.target` naming a pair): whose pair's verdict is read. */
  pair?: string;
}

export interface GateResult {
  ok: boolean;
  reason: string;
}

/** The verdict JSON (VerdictReport) or `{ verdict: 'pending', … }` while a run for a new revision is going. */
export type VerdictBody = { verdict: string } & Record<string, unknown>;

/**
 * Given to the daemon by a route that may start a run: `check()` throws an HttpError (401/403 without the token
 * or an allowed address, 429 past SERVE_MAX_RUNS_PER_HOUR) before the run starts; `started()` counts it.
 */
export interface RunStartGate {
  check(): void;
  started(): void;
}

export interface ServeDeps {
  getStatusJson(): unknown;
  getStatusPageData(): StatusPageData | Promise<StatusPageData>;
  /** Renders `/` itself when set (a fleet: one section per pair) instead of the one-pair page from getStatusPageData. */
  renderStatusPage?(): string | Promise<string>;
  getMetrics(): Promise<{ contentType: string; body: string }>;
  /** With a revision that has no verdict yet this starts a run, after `gate.check()` allows it. */
  getVerdict(target: TargetName, revision?: string, gate?: RunStartGate): Promise<VerdictBody>;
  startRun(req: { revision?: string; reason: string }): Promise<{ runId: string } | { busy: true }>;
  /** 200 when the verdict for the payload's checksum is pass. */
  flaggerGate(body: FlaggerPayload, gate?: RunStartGate): Promise<GateResult>;
  /** `ok: true` means "roll back" (200): the canary fails. */
  flaggerRollback(body: FlaggerPayload): Promise<GateResult>;
  /** Flagger pre-rollout: starts (or queues) a fresh run for the checksum; always answered 202. */
  flaggerStart(body: FlaggerPayload, gate?: RunStartGate): Promise<GateResult>;
  isReady(): boolean;
  /**
   * Fleets (`pairs:`): the verdict of pair `pair` for `?target=<pair>` (an unknown pair answers inconclusive with the
   * reason); absent: only `canary` and `stable` are targets.
   */
  getPairVerdict?(pair: string, revision?: string, gate?: RunStartGate): Promise<VerdictBody>;
  /** `/v1/silences` (issue 17); absent: 404. */
  silences?: SilencesPort;
  /** Figures of a badge, undefined for an unknown suite (issue 17). */
  badge?(target: TargetName, suite?: string): BadgeData | undefined;
  /** Bearer token for `POST /v1/runs` (and every read with `privateReads`). No token: on-demand runs are off. */
  token?: string;
  privateReads?: boolean;
  /** Runs started over HTTP per window, all routes together (default 10 per hour). */
  maxRunsPerWindow?: number;
  runsWindowMs?: number;
  /** Client addresses (IPs, CIDR subnets) that may start runs for a new revision without the token. */
  runAllow?: readonly string[];
  /** A request whose headers have not all arrived by then is closed (default 10 s); the whole request: 30 s. */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Where `latest.*` and `<runId>/` reports live, served under `/reports/`. */
  reportsDir?: string;
  clock: Clock;
  logger: Logger;
}

export interface RouteCtx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  deps: ServeDeps;
  /** The gate for a run this request may start, given the token the caller presented. */
  startGate(presentedToken: string | undefined): RunStartGate;
}

export type Handler = (ctx: RouteCtx) => Promise<void>;

export interface Route {
  /** Handlers by method; HEAD is served by GET. */
  methods: Partial<Record<'GET' | 'POST', Handler>>;
  /** Needs the token when `privateReads` is on. */
  privateRead: boolean;
}
