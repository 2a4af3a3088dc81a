/**
 * The sandbox's world: users, bots, private chats and their messages. Pure state plus an event hook for
 * pushes; it knows nothing about MTProto.
 */
import { randomBytes } from 'node:crypto';
import type { MsgLinkButton, MsgReplyMarkup } from './ui-markup.js';
import { GroupWorld } from './groups.js';
import { MediaFiles, type MsgMedia } from './media-files.js';

export interface UserRec {
  id: string;
  accessHash: string;
  firstName: string;
  lastName?: string;
  username?: string;
  phone?: string;
  bot: boolean;
  /** A bot's token (`<id>:<secret>`), what its Mini App backend validates init data with. */
  botToken?: string;
  /** SRP verifier when the user has a 2FA password. */
  password?: { salt1: Buffer; salt2: Buffer; v: Buffer; hint?: string };
}

/** An inline button as stored: a callback button (`data`) or a URL / Mini App / switch-inline one (ui-markup.ts). */
export type MsgButton = { text: string; data: string } | MsgLinkButton;

export interface MsgRec {
  id: number;
  /** Owner of this copy (the user's message box). */
  ownerId: string;
  /** The other side of the private chat (the bot). */
  peerId: string;
  fromId: string;
  text: string;
  date: number;
  replyToId?: number;
  buttons?: MsgButton[][];
  /** Sent by the user "via @bot" (an inline result): the bot's id. */
  viaBotId?: string;
  /** A reply keyboard, its removal, or a force-reply (ui-markup.ts). */
  markup?: MsgReplyMarkup;
  editDate?: number;
  deleted?: boolean;
  /** A photo, document, location, contact or poll; `text` is then its caption. */
  media?: MsgMedia;
  /** A basic group's message (its copy in this user's box): the chat's id; `peerId` is then `chat:<id>`. */
  chatId?: string;
}

export interface ChatRec {
  userId: string;
  botId: string;
  state: Map<string, unknown>;
}

/** What the world tells the transport to push to a user's connections. */
export type WorldEvent =
  | { kind: 'new'; userId: string; msg: MsgRec; pts: number }
  | { kind: 'edit'; userId: string; msg: MsgRec; pts: number }
  | { kind: 'delete'; userId: string; ids: number[]; pts: number }
  | { kind: 'typing'; userId: string; fromId: string; action: ChatAction };

/** What a `typing` event shows: plain typing, or a bot's draft (Bot API 9.5 sendMessageDraft). */
export type ChatAction = { type: 'typing' } | { type: 'draft'; randomId: bigint; text: string };

/** One change of a user's message box, as updates.getDifference replays it. `pts` is the box's pts after it. */
export type BoxChange =
  | { kind: 'new'; pts: number; ptsCount: 1; msg: MsgRec }
  | { kind: 'edit'; pts: number; ptsCount: 1; msg: MsgRec }
  | { kind: 'delete'; pts: number; ptsCount: number; ids: number[] };

/** The answer to updates.getDifference, before TL. */
export type BoxDifference =
  | { kind: 'empty' }
  /** The box no longer holds the changes since that pts (or there are more than the client allows). */
  | { kind: 'tooLong'; pts: number }
  /** `changes` up to `pts`; `final` false = a slice, more follow. */
  | { kind: 'changes'; changes: BoxChange[]; pts: number; final: boolean };

interface Box {
  nextId: number;
  pts: number;
  messages: Map<number, MsgRec>;
  /** Every change of the box by pts, the newest `logSize`, for updates.getDifference. */
  log: BoxChange[];
}

export interface WorldOptions {
  /** Changes kept per user box for updates.getDifference (older ones → differenceTooLong). Default 1,000. */
  updateLogSize?: number;
}

export class World {
  readonly users = new Map<string, UserRec>();
  /** Supergroups and forum topics (groups.ts). */
  readonly groups: GroupWorld = new GroupWorld(this);
  private readonly byUsername = new Map<string, UserRec>();
  private readonly byPhone = new Map<string, UserRec>();
  private readonly chats = new Map<string, ChatRec>();
  private readonly boxes = new Map<string, Box>();
  private nextUserId = 100_000_001;
  private nextBotId = 700_000_001;
  private listeners: ((e: WorldEvent) => void)[] = [];
  private readonly logSize: number;
  /** Uploaded parts and stored files (photos, documents). */
  readonly files = new MediaFiles();

  constructor(opts: WorldOptions = {}) {
    this.logSize = Math.max(1, opts.updateLogSize ?? 1000);
  }

  onEvent(fn: (e: WorldEvent) => void): void {
    this.listeners.push(fn);
  }

  private emit(e: WorldEvent): void {
    for (const l of this.listeners) l(e);
  }

  addUser(u: { firstName?: string; lastName?: string; username?: string; phone?: string; bot?: boolean }): UserRec {
    const bot = u.bot ?? false;
    const id = String(bot ? this.nextBotId++ : this.nextUserId++);
    const rec: UserRec = {
      id,
      accessHash: BigInt.asIntN(64, randomBytes(8).readBigInt64LE(0)).toString(),
      firstName: u.firstName ?? (bot ? u.username ?? 'Bot' : `User ${id}`),
      lastName: u.lastName,
      username: u.username,
      phone: u.phone,
      bot,
    };
    if (rec.username && this.byUsername.has(rec.username.toLowerCase())) {
      throw new Error(`username @${rec.username} is taken`);
    }
    if (rec.phone && this.byPhone.has(normPhone(rec.phone))) throw new Error('phone number is taken');
    this.users.set(id, rec);
    if (rec.username) this.byUsername.set(rec.username.toLowerCase(), rec);
    if (rec.phone) this.byPhone.set(normPhone(rec.phone), rec);
    return rec;
  }

  byName(username: string): UserRec | undefined {
    return this.byUsername.get(username.replace(/^@/, '').toLowerCase());
  }

  byPhoneNumber(phone: string): UserRec | undefined {
    return this.byPhone.get(normPhone(phone));
  }

  chat(userId: string, botId: string): ChatRec {
    const key = `${userId}:${botId}`;
    let c = this.chats.get(key);
    if (!c) {
      c = { userId, botId, state: new Map(Object.entries(this.savedStates[this.stateKey(userId, botId)] ?? {})) };
      this.chats.set(key, c);
    }
    return c;
  }

  /** Bot chat states saved by an earlier sandbox (keyed by user phone and bot username, which survive restarts). */
  private savedStates: Record<string, Record<string, unknown>> = {};

  private stateKey(userId: string, botId: string): string {
    const user = this.users.get(userId);
    const bot = this.users.get(botId);
    return `${user?.phone ?? userId}:${bot?.username ?? botId}`;
  }

  loadChatStates(states: Record<string, Record<string, unknown>>): void {
    this.savedStates = { ...states };
  }

  /** Every bot chat's state that JSON can carry (strings, numbers, booleans, plain data). */
  saveChatStates(): Record<string, Record<string, unknown>> {
    const out: Record<string, Record<string, unknown>> = { ...this.savedStates };
    for (const c of this.chats.values()) {
      const entries = [...c.state.entries()].filter(([, v]) => isPlainData(v));
      if (entries.length) out[this.stateKey(c.userId, c.botId)] = Object.fromEntries(entries);
    }
    return out;
  }

  private box(userId: string): Box {
    let b = this.boxes.get(userId);
    if (!b) {
      b = { nextId: 1, pts: 1, messages: new Map(), log: [] };
      this.boxes.set(userId, b);
    }
    return b;
  }

  pts(userId: string): number {
    return this.box(userId).pts;
  }

  /** Stores a message in the user's box (the user's own or the bot's) and pushes it when it is the bot's. */
  addMessage(userId: string, peerId: string, fromId: string, text: string, opts: { replyToId?: number; buttons?: MsgButton[][]; viaBotId?: string; markup?: MsgRec['markup']; media?: MsgMedia; chatId?: string } = {}): MsgRec {
    const b = this.box(userId);
    const msg: MsgRec = {
      id: b.nextId++,
      ownerId: userId,
      peerId,
      fromId,
      text,
      date: Math.floor(Date.now() / 1000),
      replyToId: opts.replyToId,
      buttons: opts.buttons,
      markup: opts.markup,
    };
    if (opts.viaBotId !== undefined) msg.viaBotId = opts.viaBotId;
    if (opts.media) msg.media = opts.media;
    if (opts.chatId !== undefined) msg.chatId = opts.chatId;
    b.messages.set(msg.id, msg);
    this.record(b, { kind: 'new', pts: b.pts + 1, ptsCount: 1, msg });
    if (fromId !== userId) this.emit({ kind: 'new', userId, msg, pts: b.pts });
    return msg;
  }

  editMessage(userId: string, id: number, text: string, buttons?: MsgButton[][]): MsgRec | undefined {
    const b = this.box(userId);
    const msg = b.messages.get(id);
    if (!msg || msg.deleted) return undefined;
    msg.text = text;
    if (buttons !== undefined) msg.buttons = buttons;
    msg.editDate = Math.floor(Date.now() / 1000);
    this.record(b, { kind: 'edit', pts: b.pts + 1, ptsCount: 1, msg });
    this.emit({ kind: 'edit', userId, msg, pts: b.pts });
    return msg;
  }

  deleteMessages(userId: string, ids: number[], notify: boolean): number[] {
    const b = this.box(userId);
    const done: number[] = [];
    for (const id of ids) {
      const m = b.messages.get(id);
      if (m && !m.deleted) {
        m.deleted = true;
        done.push(id);
      }
    }
    if (done.length) {
      this.record(b, { kind: 'delete', pts: b.pts + done.length, ptsCount: done.length, ids: done });
      if (notify) this.emit({ kind: 'delete', userId, ids: done, pts: b.pts });
    }
    return done;
  }

  /** Advances the box's pts by the change's pts_count and logs the change for getDifference. */
  private record(b: Box, change: BoxChange): void {
    b.pts = change.pts;
    b.log.push(change);
    if (b.log.length > this.logSize) b.log.splice(0, b.log.length - this.logSize);
  }

  /** A chat action of `fromId` shown to the user: typing, or a draft. Changes no box (no pts). */
  typing(userId: string, fromId: string, action: ChatAction = { type: 'typing' }): void {
    this.emit({ kind: 'typing', userId, fromId, action });
  }

  /** Messages the changes touch (for the users of a difference that carries only edits or deletions). */
  peersOf(userId: string, changes: BoxChange[]): MsgRec[] {
    const b = this.box(userId);
    return changes.flatMap((c) => (c.kind === 'delete' ? c.ids.map((id) => b.messages.get(id)).filter((m) => m !== undefined) : [c.msg]));
  }

  getMessage(userId: string, id: number): MsgRec | undefined {
    const m = this.box(userId).messages.get(id);
    return m && !m.deleted ? m : undefined;
  }

  /** The chat with `peerId`, newest first, Telegram's getHistory paging (offsetId, addOffset, limit, maxId, minId). */
  history(userId: string, peerId: string, q: { offsetId?: number; addOffset?: number; limit?: number; maxId?: number; minId?: number }): { messages: MsgRec[]; count: number } {
    const all = [...this.box(userId).messages.values()].filter((m) => m.peerId === peerId && !m.deleted).sort((a, b) => b.id - a.id);
    let list = all;
    if (q.offsetId) list = list.filter((m) => m.id < (q.offsetId ?? 0));
    if (q.maxId) list = list.filter((m) => m.id < (q.maxId ?? 0));
    if (q.minId) list = list.filter((m) => m.id > (q.minId ?? 0));
    const start = Math.max(0, q.addOffset ?? 0);
    const limit = q.limit && q.limit > 0 ? Math.min(q.limit, 100) : 100;
    return { messages: list.slice(start, start + limit), count: all.length };
  }

  /**
   * The changes of the user's box after `pts` (updates.getDifference): at most `limit` per answer (a slice when
   * more remain); tooLong when the log no longer reaches back to `pts`, or when more than `totalLimit` pts
   * separate the client from the box (the client's pts_total_limit).
   */
  difference(userId: string, pts: number, opts: { limit: number; totalLimit?: number }): BoxDifference {
    const b = this.box(userId);
    if (pts >= b.pts) return { kind: 'empty' };
    const oldest = b.log[0];
    const reach = oldest ? oldest.pts - oldest.ptsCount : b.pts;
    if (pts < reach || (opts.totalLimit !== undefined && opts.totalLimit > 0 && b.pts - pts > opts.totalLimit)) {
      return { kind: 'tooLong', pts: b.pts };
    }
    const after = b.log.filter((c) => c.pts > pts);
    const limit = Math.max(1, opts.limit);
    const changes = after.slice(0, limit);
    const final = after.length <= limit;
    return { kind: 'changes', changes, pts: final ? b.pts : (changes.at(-1)?.pts ?? b.pts), final };
  }
}

function normPhone(p: string): string {
  return p.replace(/[^0-9]/g, '');
}

function isPlainData(v: unknown): boolean {
  if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) return true;
  if (Array.isArray(v)) return v.every(isPlainData);
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.values(v as object).every(isPlainData);
  return false;
}
