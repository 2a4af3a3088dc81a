/**
 * The live view of a bot chat: turns the chat log's state into events a terminal can print — the bot typing, a
 * draft streaming, a message arriving, being edited or deleted — and numbers the buttons of the latest message
 * that has any, so the user presses one by its number. Pure: it reads a log through a small structural view, so
 * it is tested against the real ChatLog without a client.
 */
import type { InlineButton, ReplyMessage } from '../core/types.js';

/** What the live view reads: the part of the driver's ChatLog it needs. */
export interface ChatLogView {
  candidates(afterId: number): ReplyMessage[];
  activitySince(since: number): ReadonlyArray<{ kind: 'typing' | 'cancel' | 'draft'; at: number; text?: string }>;
  onChange(fn: () => void): () => void;
}

export type ChatEvent =
  | { kind: 'typing' }
  | { kind: 'draft'; text: string }
  | { kind: 'message'; id: number; text: string; buttons?: InlineButton[][] }
  | { kind: 'edit'; id: number; text: string; buttons?: InlineButton[][] }
  | { kind: 'delete'; id: number };

export interface NumberedButton {
  n: number;
  messageId: number;
  button: InlineButton;
}

interface Known {
  text: string;
  buttons: string;
  deleted: boolean;
}

export class LiveView {
  private readonly known = new Map<number, Known>();
  private readonly activitySeen: number;
  private lastActivityAt = -Infinity;
  private lastDraft = '';
  private typing = false;

  /**
   * `isStale`: a message from before the chat that showed up late (the driver re-reads history when a reply is
   * missing) is not news.
   */
  constructor(
    private readonly log: ChatLogView,
    private readonly afterId: number,
    since: number,
    private readonly isStale: (m: ReplyMessage) => boolean = () => false,
  ) {
    this.activitySeen = since;
  }

  /** Events since the last call, in order: activity first, then message changes. */
  poll(): ChatEvent[] {
    const out: ChatEvent[] = [];
    for (const a of this.log.activitySince(this.activitySeen)) {
      // strictly later than the last one handled (the driver stamps activity with sub-millisecond time)
      if (a.at <= this.lastActivityAt) continue;
      this.lastActivityAt = a.at;
      if (a.kind === 'typing' && !this.typing) {
        this.typing = true;
        out.push({ kind: 'typing' });
      } else if (a.kind === 'draft' && a.text !== undefined && a.text !== this.lastDraft) {
        this.lastDraft = a.text;
        out.push({ kind: 'draft', text: a.text });
      } else if (a.kind === 'cancel') {
        this.typing = false;
      }
    }
    for (const m of this.log.candidates(this.afterId)) {
      if (!this.known.has(m.id) && this.isStale(m)) continue;
      const buttons = JSON.stringify(m.buttons ?? null);
      const prev = this.known.get(m.id);
      if (!prev) {
        this.known.set(m.id, { text: m.text, buttons, deleted: !!m.deleted });
        if (!m.deleted) out.push({ kind: 'message', id: m.id, text: m.text, buttons: m.buttons });
        this.typing = false;
        this.lastDraft = '';
        continue;
      }
      if (m.deleted && !prev.deleted) {
        prev.deleted = true;
        out.push({ kind: 'delete', id: m.id });
      } else if (!m.deleted && (prev.text !== m.text || prev.buttons !== buttons)) {
        // buttons go with an edit only when they changed (an edit of the text alone keeps the keyboard)
        const changed = prev.buttons !== buttons;
        prev.text = m.text;
        prev.buttons = buttons;
        out.push(changed ? { kind: 'edit', id: m.id, text: m.text, buttons: m.buttons } : { kind: 'edit', id: m.id, text: m.text });
      }
    }
    return out;
  }

  /** Calls `fn` with the new events whenever the chat changes; returns the unsubscribe. */
  subscribe(fn: (events: ChatEvent[]) => void): () => void {
    return this.log.onChange(() => {
      const ev = this.poll();
      if (ev.length > 0) fn(ev);
    });
  }
}

/** The buttons of the newest live message that has callback buttons, numbered from 1 row by row. */
export function numberButtons(messages: readonly ReplyMessage[]): NumberedButton[] {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as ReplyMessage;
    if (m.deleted || !m.buttons || m.buttons.flat().length === 0) continue;
    return m.buttons.flat().map((button, k) => ({ n: k + 1, messageId: m.id, button }));
  }
  return [];
}
