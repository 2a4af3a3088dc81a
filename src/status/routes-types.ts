/** Types of the serve app: what the composition root injects. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../core/ports.js';
import type { TargetName } from '../core/types.js';
import type { Logger } from '../util/logger.js';
import type { StatusPageData } from './status-page.js';

/** Flagger's webhook payload (confirm-rollout, pre-rollout, confirm-promotion, rollback). */
export interface FlaggerPayload {
  name: string;
  namespace: string;
  phase: string;
  checksum?: string;
  metadata?: Record<string, string>;
  /** `metadata.target`: whose verdict the hook reads (default canary). */
  target?: TargetName;
}

export interface GateResult {
  ok: boolean;
  reason: string;
}

/** The verdict JSON (VerdictReport) or `{ verdict: 'pending', … }` while a run for a new revision is going. */
export type VerdictBody = { verdict: string } & Record<string, unknown>;

export interface ServeDeps {
  getStatusJson(): unknown;
  getStatusPageData(): StatusPageData | Promise<StatusPageData>;
  getMetrics(): Promise<{ contentType: string; body: string }>;
  getVerdict(target: TargetName, revision?: string): Promise<VerdictBody>;
  startRun(req: { revision?: string; reason: string }): Promise<{ runId: string } | { busy: true }>;
  /** 200 when the verdict for the payload's checksum is pass. */
  flaggerGate(body: FlaggerPayload): Promise<GateResult>;
  /** `ok: true` means "roll back" (200): the canary fails. */
  flaggerRollback(body: FlaggerPayload): Promise<GateResult>;
  /** Flagger pre-rollout: starts (or queues) a fresh run for the checksum; always answered 202. */
  flaggerStart(body: FlaggerPayload): Promise<GateResult>;
  isReady(): boolean;
  /** Bearer token for `POST /v1/runs` (and every read with `privateReads`). No token: on-demand runs are off. */
  token?: string;
  privateReads?: boolean;
  /** Accepted on-demand runs per window (default 10 per hour). */
  maxRunsPerWindow?: number;
  runsWindowMs?: number;
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
}

export type Handler = (ctx: RouteCtx) => Promise<void>;

export interface Route {
  /** Handlers by method; HEAD is served by GET. */
  methods: Partial<Record<'GET' | 'POST', Handler>>;
  /** Needs the token when `privateReads` is on. */
  privateRead: boolean;
}
