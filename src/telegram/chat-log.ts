/**
 * Pure bookkeeping of what one bot chat has shown us: messages (edits merged by id, each change stamped), and the
 * bot's activity signals — typing and drafts (Bot API 9.5 `sendMessageDraft`, seen by a user client as
 * `updateUserTyping` with `sendMessageTextDraftAction`). No client library here: the driver feeds it events,
 * tests feed it directly.
 */
import type { InlineButton, ReplyMessage } from '../core/types.js';
import type { ReplyMedia } from '../core/media-types.js';

export interface SeenMessage {
  id: number;
  text: string;
  replyToId?: number;
  buttons?: InlineButton[][];
  keyboard?: ReplyMessage['keyboard'];
  keyboardRemoved?: true;
  forceReply?: true;
  /** Telegram's `date` of the message, ms (second resolution). */
  serverDate?: number;
  media?: ReplyMedia;
}

/** How a message reached us: pushed live, recovered by updates.getDifference, or found by re-reading history. */
export type SeenVia = 'push' | 'difference' | 'history';

export type Activity =
  | { kind: 'typing'; at: number }
  | { kind: 'cancel'; at: number }
  | { kind: 'draft'; at: number; draftId: string; text: string };

/** Telegram clients show a typing status for about 5–6 s unless it is renewed. */
export const TYPING_EXPIRES_MS = 6000;
/** An unfinished draft disappears after about 30 s without an update. */
export const DRAFT_EXPIRES_MS = 30_000;

const MAX_KEPT = 500;
const MAX_ACTIVITY = 2000;
const MAX_CHANGES_PER_MESSAGE = 200;

export class ChatLog {
  private readonly messages = new Map<number, ReplyMessage>();
  /** Every time each message appeared or changed (the cadence the finality window adapts to). */
  private readonly changes = new Map<number, number[]>();
  private readonly activity: Activity[] = [];
  private readonly listeners = new Set<() => void>();

  upsert(m: SeenMessage, at: number, via: SeenVia = 'push'): void {
    const prev = this.messages.get(m.id);
    if (!prev) {
      this.messages.set(m.id, {
        id: m.id,
        text: m.text,
        replyToId: m.replyToId,
        buttons: m.buttons,
        ...(m.keyboard ? { keyboard: m.keyboard } : {}),
        ...(m.keyboardRemoved ? { keyboardRemoved: true } : {}),
        ...(m.forceReply ? { forceReply: true } : {}),
        firstSeenAt: at,
        lastChangeAt: at,
        edits: 0,
        serverDate: m.serverDate,
        via: via === 'push' ? undefined : via,
      });
      if (m.media) (this.messages.get(m.id) as ReplyMessage).media = m.media;
      this.changes.set(m.id, [at]);
      this.trim();
    } else {
      if (prev.text === m.text && sameButtons(prev.buttons, m.buttons)) return;
      // A history re-read only adds what pushes missed; it never re-stamps a message we already saw change.
      if (via === 'history' && prev.text === m.text) return;
      prev.text = m.text;
      prev.buttons = m.buttons ?? prev.buttons;
      if (m.media) prev.media = m.media;
      prev.lastChangeAt = at;
      prev.edits += 1;
      const c = this.changes.get(m.id);
      if (c && c.length < MAX_CHANGES_PER_MESSAGE) c.push(at);
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
        this.changes.get(id)?.push(at);
        changed = true;
      }
    }
    if (changed) this.notify();
  }

  /** The bot is typing, drafting, or cancelled its status. */
  addActivity(a: Activity): void {
    this.activity.push(a);
    if (this.activity.length > MAX_ACTIVITY) this.activity.splice(0, this.activity.length - MAX_ACTIVITY);
    this.notify();
  }

  /** Activity at or after `since`, oldest first. */
  activitySince(since: number): Activity[] {
    const out: Activity[] = [];
    for (let i = this.activity.length - 1; i >= 0; i--) {
      const a = this.activity[i] as Activity;
      if (a.at < since) break;
      out.push(a);
    }
    return out.reverse();
  }

  /** Change times of one message, oldest first. */
  changeTimes(id: number): readonly number[] {
    return this.changes.get(id) ?? [];
  }

  get(id: number): ReplyMessage | undefined {
    return this.messages.get(id);
  }

  maxId(): number {
    let max = 0;
    for (const id of this.messages.keys()) if (id > max) max = id;
    return max;
  }

  /** Every message with an id above `afterId`, or a watched one that changed since `since`; oldest first. */
  candidates(afterId: number, watchIds: readonly number[] = [], since = 0): ReplyMessage[] {
    const out: ReplyMessage[] = [];
    for (const m of this.messages.values()) {
      if (m.id > afterId) out.push(m);
      else if (watchIds.includes(m.id) && m.lastChangeAt >= since && m.edits > 0) out.push(m);
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
    for (const id of ids.slice(0, ids.length - MAX_KEPT)) {
      this.messages.delete(id);
      this.changes.delete(id);
    }
  }
}

function sameButtons(a?: InlineButton[][], b?: InlineButton[][]): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
