/**
 * When is a bot's reply final? A pure judgement over a ChatLog at a moment `now`:
 * - nothing happened (no new message, edit, typing or draft) for the settle window, which adapts to the bot's
 *   cadence: twice the largest gap seen in this reply, between `settleMs` (the floor) and `settleMaxMs`;
 * - the bot is not typing (a status lasts ~6 s unless renewed) and not drafting (an unfinished draft lasts ~30 s);
 * - the newest message does not look like progress ("🔎 Searching…", "On it!", a trailing cursor ▌);
 * - a message that ends a draft is an explicit end signal: the window shrinks to a short grace.
 * Which messages belong to the reply (attribution) is decided here too: Telegram replies to an earlier prompt
 * are late answers, reported and not counted.
 */
import type { Reply, ReplyMessage } from '../core/types.js';
import { DRAFT_EXPIRES_MS, TYPING_EXPIRES_MS, type Activity, type ChatLog } from './chat-log.js';

/** After a message that finishes a draft, how long to wait for anything more before calling the reply final. */
export const FINISHED_DRAFT_GRACE_MS = 40;
/**
 * A newest message that stops mid-sentence is most likely the first chunk of a stream (bots edit about once a
 * second under Telegram's limits): the window is at least this long until the cadence is known.
 */
export const UNFINISHED_WINDOW_MS = 2500;

export interface ReplyWindow {
  /** Messages with an id above this belong to the reply… */
  afterId: number;
  /** …unless they are a Telegram reply to a message below this id (an earlier prompt: a late answer). */
  floorId: number;
  /** Existing messages that count once they change after `sentAt` (the message whose button was pressed). */
  watchIds?: readonly number[];
  sentAt: number;
}

export interface FinalityOptions {
  /** Deadline for the first message, ms after `sentAt`. */
  timeoutMs: number;
  /** Floor of the quiet window. */
  settleMs: number;
  /** Ceiling of the quiet window (a slow stream never stretches it further). */
  settleMaxMs: number;
  minMessages: number;
  isProgress?: (text: string) => boolean;
}

export interface FinalityState {
  /** Stop waiting: the reply is final, or a deadline passed. */
  done: boolean;
  /** The reply looks complete right now (quiet, not typing or drafting, not progress). */
  settled: boolean;
  /** When to look again if nothing changes. */
  wakeAt: number;
  /** The hard deadline of this reply (a stream still changing may run to it). */
  deadline: number;
  /** The answer's deadline: prompt + timeout. A complete-looking reply that fails its checks is waited on until here. */
  answerDeadline: number;
  /** The reply's last event (message, edit or draft), if any. */
  lastEventAt?: number;
  /** The quiet window in force. */
  windowMs: number;
  reply: Reply;
}

export function judgeFinality(log: ChatLog, win: ReplyWindow, opts: FinalityOptions, now: number): FinalityState {
  const all = log.candidates(win.afterId, win.watchIds, win.sentAt);
  const watched = new Set(win.watchIds ?? []);
  const late: ReplyMessage[] = [];
  const msgs: ReplyMessage[] = [];
  for (const m of all) {
    if (!watched.has(m.id) && m.replyToId !== undefined && m.replyToId < win.floorId) late.push(m);
    else msgs.push(m);
  }
  const live = msgs.filter((m) => !m.deleted);
  const activity = log.activitySince(win.sentAt);

  // The reply's content events, for the cadence: every appearance and change of its messages, every draft update.
  // (Typing is no content: the think time before the first message is no gap in a stream. It only blocks while on.)
  const events: number[] = activity.filter((a) => a.kind === 'draft').map((a) => a.at);
  // A message dated by Telegram (its push was lost) may carry a stamp a little before the prompt: clamp it, as it
  // belongs to this reply. A watched message's changes before the press are not part of it.
  for (const m of msgs) {
    for (const t of log.changeTimes(m.id)) {
      if (watched.has(m.id) && t < win.sentAt) continue;
      events.push(Math.max(t, win.sentAt));
    }
  }
  events.sort((a, b) => a - b);
  let maxGap = 0;
  for (let i = 1; i < events.length; i++) maxGap = Math.max(maxGap, (events[i] as number) - (events[i - 1] as number));
  const lastEvent = events.length ? (events[events.length - 1] as number) : undefined;

  const newestArrival = msgs.length ? Math.max(...msgs.map((m) => m.firstSeenAt)) : -Infinity;
  const status = signals(activity, newestArrival, now);

  let window = clamp(2 * maxGap, opts.settleMs, Math.max(opts.settleMs, opts.settleMaxMs));
  const finishedDraft = status.lastDraft !== undefined && newestArrival > status.lastDraft.at && lastEvent === newestArrival;
  const newest = live[live.length - 1];
  const unfinished = newest !== undefined && looksUnfinished(newest.text);
  if (finishedDraft && !unfinished) window = Math.min(window, FINISHED_DRAFT_GRACE_MS);
  if (unfinished) window = Math.max(window, Math.min(UNFINISHED_WINDOW_MS, opts.settleMaxMs));

  // a media message (a photo, a poll…) is an answer whatever its caption says, even without one
  const progress = newest !== undefined && newest.media === undefined && (opts.isProgress?.(newest.text) ?? false);
  const enough = live.length >= Math.max(1, opts.minMessages);
  const quiet = lastEvent !== undefined && now - lastEvent >= window;
  const settled = enough && !progress && !status.typing && !status.drafting && quiet;

  const firstDeadline = win.sentAt + opts.timeoutMs;
  const deadline = firstDeadline + Math.max(opts.settleMs, opts.settleMaxMs);
  const noMessageYet = msgs.length === 0;
  const done = settled || (noMessageYet && now >= firstDeadline) || now >= deadline;

  const firstAt = msgs.length ? Math.max(win.sentAt, Math.min(...msgs.map((m) => m.firstSeenAt))) : undefined;
  const lastChange = msgs.length ? Math.max(win.sentAt, ...msgs.map((m) => m.lastChangeAt)) : undefined;
  const firstTyping = activity.find((a) => a.kind === 'typing')?.at;
  const drafts = activity.filter((a): a is Extract<Activity, { kind: 'draft' }> => a.kind === 'draft');
  const firstDraft = drafts[0]?.at;
  const tokenAt = minDefined(firstTyping, firstDraft, firstAt);
  const reply: Reply = {
    messages: msgs.map((m) => ({ ...m, buttons: m.buttons?.map((r) => r.map((b) => ({ ...b }))) })),
    text: live.map((m) => m.text).join('\n'),
    sentAt: win.sentAt,
    firstAt,
    finalAt: lastChange,
    latencyFirstMs: firstAt === undefined ? undefined : firstAt - win.sentAt,
    latencyFirstTokenMs: tokenAt === undefined ? undefined : tokenAt - win.sentAt,
    latencyFirstTypingMs: firstTyping === undefined ? undefined : firstTyping - win.sentAt,
    latencyFirstDraftMs: firstDraft === undefined ? undefined : firstDraft - win.sentAt,
    draftCount: new Set(drafts.map((d) => d.draftId)).size,
    latencyFinalMs: lastChange === undefined ? undefined : lastChange - win.sentAt,
    latencyApprox: msgs.some((m) => m.via !== undefined) || undefined,
    editCount: msgs.reduce((n, m) => n + m.edits, 0),
    messageCount: live.length,
    settled,
    finality: describe({ settled, progress, typing: status.typing, drafting: status.drafting, enough, window, finishedDraft, noMessageYet, now, deadline, firstDeadline }),
    unsentDraft: status.lastDraft && newestArrival < status.lastDraft.at ? status.lastDraft.text : undefined,
    late: late.length ? late.map((m) => ({ id: m.id, text: m.text, replyToId: m.replyToId ?? 0 })) : undefined,
  };

  const wake = [deadline];
  if (noMessageYet) wake.push(firstDeadline);
  if (lastEvent !== undefined) wake.push(lastEvent + window);
  if (status.typingUntil !== undefined) wake.push(status.typingUntil);
  if (status.draftUntil !== undefined) wake.push(status.draftUntil);
  const wakeAt = Math.max(now + 1, Math.min(...wake.filter((t) => t > now)));
  return { done, settled, wakeAt: done ? now : wakeAt, deadline, answerDeadline: firstDeadline, lastEventAt: lastEvent, windowMs: window, reply };
}

interface Signals {
  typing: boolean;
  drafting: boolean;
  typingUntil?: number;
  draftUntil?: number;
  lastDraft?: Extract<Activity, { kind: 'draft' }>;
}

/** Typing and draft status now. A new message from the bot ends both, as in Telegram's apps; a cancel ends typing. */
function signals(activity: Activity[], newestArrival: number, now: number): Signals {
  let lastTyping: number | undefined;
  let lastDraft: Extract<Activity, { kind: 'draft' }> | undefined;
  for (const a of activity) {
    if (a.kind === 'typing') lastTyping = a.at;
    else if (a.kind === 'cancel') lastTyping = undefined;
    else lastDraft = a;
  }
  const out: Signals = { typing: false, drafting: false, lastDraft };
  if (lastTyping !== undefined && lastTyping > newestArrival && now - lastTyping < TYPING_EXPIRES_MS) {
    out.typing = true;
    out.typingUntil = lastTyping + TYPING_EXPIRES_MS;
  }
  if (lastDraft !== undefined && lastDraft.at > newestArrival && now - lastDraft.at < DRAFT_EXPIRES_MS) {
    out.drafting = true;
    out.draftUntil = lastDraft.at + DRAFT_EXPIRES_MS;
  }
  return out;
}

function describe(s: {
  settled: boolean; progress: boolean; typing: boolean; drafting: boolean; enough: boolean; window: number;
  finishedDraft: boolean; noMessageYet: boolean; now: number; deadline: number; firstDeadline: number;
}): string {
  if (s.settled) return s.finishedDraft && s.window <= FINISHED_DRAFT_GRACE_MS ? 'final: a message ended the draft' : `final: quiet for ${Math.round(s.window)} ms`;
  if (s.noMessageYet) return s.now >= s.firstDeadline ? 'no message by the deadline' : 'waiting for the first message';
  const still = s.drafting ? 'still drafting' : s.typing ? 'still typing' : s.progress ? 'the newest message looks like progress' : !s.enough ? 'fewer messages than expected' : 'still changing';
  return s.now >= s.deadline ? `deadline passed (${still})` : still;
}

/**
 * Text that stops mid-stream: a trailing space (stream chunks cut between tokens) or a trailing comma, semicolon,
 * colon, dash or opening bracket. A bare last word is not enough ("10 km = 6.21 miles" is a whole answer): a cut
 * sentence is caught by the `complete` check, which keeps web-first waiting going until the stream's next edit.
 */
export function looksUnfinished(text: string): boolean {
  if (text.trim().length === 0) return false;
  if (/[ \t]$/.test(text)) return true;
  return /[,;:\-–—(]$/u.test(text.trim());
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

function minDefined(...xs: (number | undefined)[]): number | undefined {
  const d = xs.filter((x): x is number => x !== undefined);
  return d.length ? Math.min(...d) : undefined;
}
