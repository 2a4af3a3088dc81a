/**
 * Pure bookkeeping of the messages one bot chat has shown us, and the settle logic that turns them into a Reply.
 * No gramjs here: the driver feeds it events; tests feed it directly.
 */
import type { InlineButton, Reply, ReplyMessage } from '../core/types.js';

export interface SeenMessage {
  id: number;
  text: string;
  replyToId?: number;
  buttons?: InlineButton[][];
}

/** Which messages belong to the reply being waited for. */
export interface ReplySelector {
  /** Messages with an id above this belong to the reply… */
  afterId: number;
  /** …unless they are a Telegram reply to an earlier message (a late answer to a previous prompt). */
  excludeRepliesBelow: number;
  /** Existing messages that count once they change after `since` (e.g. the message whose button was pressed). */
  watchIds?: number[];
  since: number;
}

const MAX_KEPT = 500;

export class ChatLog {
  private readonly messages = new Map<number, ReplyMessage>();
  private readonly listeners = new Set<() => void>();

  upsert(m: SeenMessage, at: number, fromHistory = false): void {
    const prev = this.messages.get(m.id);
    if (!prev) {
      this.messages.set(m.id, {
        id: m.id,
        text: m.text,
        replyToId: m.replyToId,
        buttons: m.buttons,
        firstSeenAt: at,
        lastChangeAt: at,
        edits: 0,
      });
      this.trim();
    } else if (!fromHistory || prev.text !== m.text) {
      if (prev.text === m.text && sameButtons(prev.buttons, m.buttons)) return;
      prev.text = m.text;
      prev.buttons = m.buttons ?? prev.buttons;
      prev.lastChangeAt = at;
      prev.edits += 1;
    } else {
      return;
    }
    this.notify();
  }

  markDeleted(ids: number[], at: number): void {
    let changed = false;
    for (const id of ids) {
      const m = this.messages.get(id);
      if (m && !m.deleted) {
        m.deleted = true;
        m.lastChangeAt = at;
        changed = true;
      }
    }
    if (changed) this.notify();
  }

  get(id: number): ReplyMessage | undefined {
    return this.messages.get(id);
  }

  maxId(): number {
    let max = 0;
    for (const id of this.messages.keys()) if (id > max) max = id;
    return max;
  }

  select(sel: ReplySelector): ReplyMessage[] {
    const out: ReplyMessage[] = [];
    for (const m of this.messages.values()) {
      if (m.id > sel.afterId) {
        if (m.replyToId !== undefined && m.replyToId < sel.excludeRepliesBelow) continue;
        out.push(m);
      } else if (sel.watchIds?.includes(m.id) && m.lastChangeAt >= sel.since && m.edits > 0) {
        out.push(m);
      }
    }
    return out.sort((a, b) => a.id - b.id);
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private notify(): void {
    for (const fn of [...this.listeners]) fn();
  }

  private trim(): void {
    if (this.messages.size <= MAX_KEPT) return;
    const ids = [...this.messages.keys()].sort((a, b) => a - b);
    for (const id of ids.slice(0, ids.length - MAX_KEPT)) this.messages.delete(id);
  }
}

function sameButtons(a?: InlineButton[][], b?: InlineButton[][]): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export interface SettleOptions {
  sentAt: number;
  timeoutMs: number;
  settleMs: number;
  minMessages: number;
  isPlaceholder?: (text: string) => boolean;
}

export interface SettleState {
  done: boolean;
  /** When to look again if nothing changes. */
  wakeAt: number;
  reply: Reply;
}

/** Decides, at time `now`, whether the selected messages form a final reply. */
export function evaluateSettle(msgs: ReplyMessage[], opts: SettleOptions, now: number): SettleState {
  const live = msgs.filter((m) => !m.deleted);
  const firstAt = msgs.length ? Math.min(...msgs.map((m) => m.firstSeenAt)) : undefined;
  const lastChange = msgs.length ? Math.max(...msgs.map((m) => m.lastChangeAt)) : undefined;
  const text = live.map((m) => m.text).join('\n');
  const hardDeadline = opts.sentAt + opts.timeoutMs + opts.settleMs;
  const placeholder = live.length > 0 && live.every((m) => opts.isPlaceholder?.(m.text) ?? false);
  const enough = live.length >= Math.max(1, opts.minMessages);
  const quietSince = lastChange ?? opts.sentAt;
  const settled = enough && !placeholder && now - quietSince >= opts.settleMs;
  const reply: Reply = {
    messages: msgs.map((m) => ({ ...m, buttons: m.buttons?.map((r) => r.map((b) => ({ ...b }))) })),
    text,
    sentAt: opts.sentAt,
    firstAt,
    finalAt: lastChange,
    latencyFirstMs: firstAt === undefined ? undefined : firstAt - opts.sentAt,
    latencyFinalMs: lastChange === undefined ? undefined : lastChange - opts.sentAt,
    editCount: msgs.reduce((n, m) => n + m.edits, 0),
    messageCount: live.length,
    settled,
  };
  if (settled) return { done: true, wakeAt: now, reply };
  // Nothing at all by the first-message deadline: give up then (the caller sweeps history first).
  if (msgs.length === 0 && now >= opts.sentAt + opts.timeoutMs) return { done: true, wakeAt: now, reply };
  if (now >= hardDeadline) return { done: true, wakeAt: now, reply };
  const candidates = [hardDeadline];
  if (msgs.length === 0) candidates.push(opts.sentAt + opts.timeoutMs);
  if (enough && !placeholder) candidates.push(quietSince + opts.settleMs);
  return { done: false, wakeAt: Math.min(...candidates), reply };
}
