/** What `tg-canary alerts` shows: the outbox's deliveries with their state (delivered, retrying, pending). */
import type { Runtime } from './runtime.js';

export interface OutboxRow {
  id: number;
  channel: string;
  key: string;
  created: string;
  state: 'delivered' | 'retrying' | 'pending';
  attempts: number;
  deliveredAt: string | null;
  /** A receiver's error text: untrusted, the caller escapes it before printing. */
  lastError: string | null;
}

export function outboxView(rt: Pick<Runtime, 'store'>, opts: { last: number; pendingOnly?: boolean }): OutboxRow[] {
  return rt.store.listOutbox({ last: opts.last, pendingOnly: opts.pendingOnly }).map((i) => ({
    id: i.id,
    channel: i.channel,
    key: i.dedupeKey,
    created: new Date(i.createdAt).toISOString(),
    state: i.deliveredAt ? 'delivered' : i.attempts > 0 ? 'retrying' : 'pending',
    attempts: i.attempts,
    deliveredAt: i.deliveredAt ? new Date(i.deliveredAt).toISOString() : null,
    lastError: i.lastError ?? null,
  }));
}
