import type { RunResult, TargetName } from '../../core/types.js';

/** What a pusher needs at run end to build its payloads (read from SQLite by the caller). */
export interface PushContext {
  lastSuccessAt: Partial<Record<TargetName, number | null>>;
  /** The process exit code of the run (0 pass, 1 fail, 3 inconclusive …), for ping URLs. */
  exitCode: number;
}

/** One outbox item: no URLs or secrets inside, only what was measured. */
export interface PushItem {
  dedupeKey: string;
  payload: unknown;
}

/**
 * A status pusher split in two halves so a target that is down never loses a run: `payloads` runs at run end and
 * its result is stored in the outbox; `handler` delivers one stored payload later (structurally an OutboxHandler).
 */
export interface OutboxPusher<O> {
  readonly channel: string;
  payloads(run: RunResult, ctx: PushContext): Promise<PushItem[]>;
  handler(opts: O): (payload: unknown) => Promise<void>;
}

export function payloadError(channel: string): Error {
  return new Error(`outbox item for ${channel} has an unexpected payload`);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
