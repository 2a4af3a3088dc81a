/**
 * The sandbox's world: users, bots, private chats and their messages. Pure state plus an event hook for
 * pushes; it knows nothing about MTProto.
 */
import { randomBytes } from 'node:crypto';

export interface UserRec {
  id: string;
  accessHash: string;
  firstName: string;
  lastName?: string;
  username?: string;
  phone?: string;
  bot: boolean;
  /** SRP verifier when the user has a 2FA password. */
  password?: { salt1: Buffer; salt2: Buffer; v: Buffer; hint?: string };
}

export interface MsgButton {
  text: string;
  data: string;
}

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
  editDate?: number;
  deleted?: boolean;
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
  | { kind: 'typing'; userId: string; fromId: string };

interface Box {
  nextId: number;
  pts: number;
  messages: Map<number, MsgRec>;
  /** pts → message, for updates.getDifference. */
  log: { pts: number; msg: MsgRec }[];
}

export class World {
  readonly users = new Map<string, UserRec>();
  private readonly byUsername = new Map<string, UserRec>();
  private readonly byPhone = new Map<string, UserRec>();
  private readonly chats = new Map<string, ChatRec>();
  private readonly boxes = new Map<string, Box>();
  private nextUserId = 100_000_001;
  private nextBotId = 700_000_001;
  private listeners: ((e: WorldEvent) => void)[] = [];

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
  addMessage(userId: string, peerId: string, fromId: string, text: string, opts: { replyToId?: number; buttons?: MsgButton[][] } = {}): MsgRec {
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
    };
    b.messages.set(msg.id, msg);
    b.pts += 1;
    b.log.push({ pts: b.pts, msg });
    if (b.log.length > 1000) b.log.shift();
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
    b.pts += 1;
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
      b.pts += done.length;
      if (notify) this.emit({ kind: 'delete', userId, ids: done, pts: b.pts });
    }
    return done;
  }

  typing(userId: string, fromId: string): void {
    this.emit({ kind: 'typing', userId, fromId });
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

  /** New messages in the user's box since `pts` (updates.getDifference). */
  since(userId: string, pts: number): MsgRec[] {
    return this.box(userId).log.filter((e) => e.pts > pts && !e.msg.deleted).map((e) => e.msg);
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
