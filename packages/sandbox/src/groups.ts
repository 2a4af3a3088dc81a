/**
 * Supergroups and forum topics of the sandbox world: who is a member, the group's messages (one id space and one
 * pts per supergroup, as Telegram keeps them), its topics, and which bot sees which message (privacy mode).
 * Pure state plus event hooks; it knows nothing about MTProto.
 */
import { randomBytes } from 'node:crypto';
import type { World } from './world.js';

/** A fake human member who sometimes says something (noise the tester must ignore). */
export interface GroupHumanSpec {
  name: string;
  /** What they say, in turn. */
  lines?: string[];
  /** Chance (0..1) that they say something after each message of a real user. Default 0.5. */
  chattiness?: number;
}

export interface GroupSpec {
  title: string;
  /** `supergroup` (default) or `group`: a basic group (Telegram's small `Chat`: no username, no topics, its messages in each member's own id / pts sequence). */
  type?: 'supergroup' | 'group';
  /** Public supergroups have a username (resolvable by contacts.resolveUsername); private ones do not. */
  username?: string;
  /** A forum: messages live in topics (the General topic has id 1). */
  forum?: boolean;
  /** Topic titles (forums only), created in this order. */
  topics?: string[];
  /** Topics closed by an admin: members cannot post there (TOPIC_CLOSED). */
  closedTopics?: string[];
  /** Bot members (usernames). */
  bots?: string[];
  humans?: GroupHumanSpec[];
  /** Whether the sandbox's test users are members. Default true. */
  usersJoined?: boolean;
}

export interface TopicRec {
  id: number;
  title: string;
  closed: boolean;
  date: number;
  creatorId: string;
}

export interface GroupMsg {
  id: number;
  groupId: string;
  fromId: string;
  text: string;
  date: number;
  /** The message replied to (not the topic's start). */
  replyToId?: number;
  /** Forum topic (undefined = General, or not a forum). */
  topicId?: number;
  /** A topic's creation (service message). */
  topicCreated?: string;
  editDate?: number;
  deleted?: boolean;
}

export interface GroupRec {
  id: string;
  accessHash: string;
  title: string;
  username?: string;
  forum: boolean;
  date: number;
  topics: TopicRec[];
  bots: Set<string>;
  humans: { id: string; lines: string[]; chattiness: number; said: number }[];
  usersJoined: boolean;
  pts: number;
  nextId: number;
  messages: Map<number, GroupMsg>;
  /** Changes by pts (newest `logSize`), for updates.getChannelDifference. */
  log: { pts: number; kind: 'new' | 'edit'; msg: GroupMsg }[];
  /** The last bot that posted (receives plain /commands under privacy mode). */
  lastBotId?: string;
  /** A basic group (`Chat`), not a supergroup: each real member keeps its own copy of every message (basic-groups.ts). */
  basic: boolean;
}

/** A change of a group that members' clients are told about. */
export interface GroupEvent {
  kind: 'new' | 'edit' | 'delete';
  /** The real user whose connections get it. */
  userId: string;
  group: GroupRec;
  msg: GroupMsg;
  pts: number;
}

/** The General topic of every forum. */
export const GENERAL_TOPIC = 1;
const LOG_SIZE = 1000;

export class GroupWorld {
  readonly groups = new Map<string, GroupRec>();
  private readonly byUsername = new Map<string, GroupRec>();
  private nextGroupId = 1_500_000_001;
  /** Basic groups have their own (smaller) ids, as Telegram's chats do. */
  private nextBasicId = 4_000_001;
  /** Set by the sandbox: a basic group's change reaches each real member's own message box (basic-groups.ts). */
  basicCopy: (kind: GroupEvent['kind'], userId: string, g: GroupRec, msg: GroupMsg) => void = () => undefined;
  private readonly listeners: ((e: GroupEvent) => void)[] = [];
  /** Bots with privacy mode off (Telegram's default is on). */
  readonly privacyOff = new Set<string>();
  /** Set by the sandbox: a bot member should see this message. */
  deliverToBot: (botId: string, group: GroupRec, msg: GroupMsg) => void = () => undefined;
  /** Randomness of the fake humans (the sandbox's seeded dice). */
  random: () => number = Math.random;

  constructor(private readonly world: World) {}

  onEvent(fn: (e: GroupEvent) => void): void {
    this.listeners.push(fn);
  }

  create(spec: GroupSpec): GroupRec {
    const username = spec.username?.replace(/^@/, '');
    if (username && (this.byUsername.has(username.toLowerCase()) || this.world.byName(username))) throw new Error(`username @${username} is taken`);
    if (spec.type === 'group' && (username || spec.forum)) throw new Error(`group "${spec.title}": a basic group (type: group) has no username and no topics; make it a supergroup`);
    const date = Math.floor(Date.now() / 1000);
    const g: GroupRec = {
      id: String(spec.type === 'group' ? this.nextBasicId++ : this.nextGroupId++),
      accessHash: BigInt.asIntN(64, randomBytes(8).readBigInt64LE(0)).toString(),
      title: spec.title,
      username,
      forum: spec.forum ?? false,
      date,
      topics: [],
      bots: new Set(),
      humans: [],
      usersJoined: spec.usersJoined ?? true,
      pts: 1,
      nextId: 2, // 1 is the group's creation (and the General topic of a forum)
      messages: new Map(),
      log: [],
      basic: spec.type === 'group',
    };
    for (const name of spec.bots ?? []) {
      const bot = this.world.byName(name);
      if (!bot?.bot) throw new Error(`group "${spec.title}": @${name.replace(/^@/, '')} is not a bot of this sandbox`);
      g.bots.add(bot.id);
    }
    for (const h of spec.humans ?? []) {
      const [first, ...rest] = h.name.split(' ');
      const u = this.world.addUser({ firstName: first ?? h.name, lastName: rest.join(' ') || undefined });
      g.humans.push({ id: u.id, lines: h.lines?.length ? h.lines : DEFAULT_CHATTER, chattiness: h.chattiness ?? 0.5, said: 0 });
    }
    this.groups.set(g.id, g);
    if (username) this.byUsername.set(username.toLowerCase(), g);
    if (g.forum) {
      const creator = [...g.bots][0] ?? g.humans[0]?.id ?? '0';
      for (const title of spec.topics ?? []) {
        const m = this.store(g, { fromId: creator, text: '', topicCreated: title });
        g.topics.push({ id: m.id, title, closed: (spec.closedTopics ?? []).includes(title), date: m.date, creatorId: creator });
      }
    }
    return g;
  }

  byName(username: string): GroupRec | undefined {
    return this.byUsername.get(username.replace(/^@/, '').toLowerCase());
  }

  /** A real user (not a bot, not a fake human) is a member when the group lets the test users in. */
  isMember(g: GroupRec, userId: string): boolean {
    if (g.bots.has(userId) || g.humans.some((h) => h.id === userId)) return true;
    const u = this.world.users.get(userId);
    return !!u && !u.bot && g.usersJoined;
  }

  topic(g: GroupRec, id: number): TopicRec | undefined {
    return g.topics.find((t) => t.id === id);
  }

  /** The newest live message of a topic (at least its creation). */
  topMessage(g: GroupRec, t: TopicRec): GroupMsg | undefined {
    let top: GroupMsg | undefined;
    for (const m of g.messages.values()) if (!m.deleted && (m.topicId === t.id || m.id === t.id) && (!top || m.id > top.id)) top = m;
    return top;
  }

  /** The topic a message is in (forums only): its own, or the topic of the message it replies to. */
  topicOf(g: GroupRec, replyToId: number | undefined, topMsgId: number | undefined): number | undefined {
    if (!g.forum) return undefined;
    if (topMsgId && topMsgId !== GENERAL_TOPIC) return topMsgId;
    if (topMsgId === GENERAL_TOPIC) return undefined;
    if (!replyToId) return undefined;
    if (this.topic(g, replyToId)) return replyToId;
    return g.messages.get(replyToId)?.topicId;
  }

  private store(g: GroupRec, m: Omit<GroupMsg, 'id' | 'groupId' | 'date'>): GroupMsg {
    const msg: GroupMsg = { ...m, id: g.nextId++, groupId: g.id, date: Math.floor(Date.now() / 1000) };
    g.messages.set(msg.id, msg);
    this.record(g, 'new', msg);
    return msg;
  }

  private record(g: GroupRec, kind: 'new' | 'edit', msg: GroupMsg): void {
    g.pts += 1;
    g.log.push({ pts: g.pts, kind, msg });
    if (g.log.length > LOG_SIZE) g.log.splice(0, g.log.length - LOG_SIZE);
  }

  /** Real users who are members (their clients are told). */
  private audience(g: GroupRec): string[] {
    return [...this.world.users.values()].filter((u) => !u.bot && !g.humans.some((h) => h.id === u.id) && this.isMember(g, u.id)).map((u) => u.id);
  }

  private tell(kind: GroupEvent['kind'], g: GroupRec, msg: GroupMsg, except?: string): void {
    if (g.basic) {
      // the author's box gets its copy too (not pushed: its RPC's answer carries it)
      for (const userId of this.audience(g)) this.basicCopy(kind, userId, g, msg);
      return;
    }
    for (const userId of this.audience(g)) {
      if (userId === except) continue;
      for (const l of this.listeners) l({ kind, userId, group: g, msg, pts: g.pts });
    }
  }

  /**
   * A member posts. The author's own client learns of it from its RPC's answer; the other members' clients by
   * push; each bot member that may see it (privacy mode) gets it; after a real user's message the fake humans
   * may chime in.
   */
  post(g: GroupRec, fromId: string, text: string, opts: { replyToId?: number; topicId?: number } = {}): GroupMsg {
    const msg = this.store(g, { fromId, text, replyToId: opts.replyToId, topicId: opts.topicId });
    const from = this.world.users.get(fromId);
    if (from?.bot) g.lastBotId = fromId;
    this.tell('new', g, msg, from?.bot || g.humans.some((h) => h.id === fromId) ? undefined : fromId);
    if (!from?.bot) {
      for (const botId of g.bots) if (this.botSees(g, botId, msg)) this.deliverToBot(botId, g, msg);
    }
    return msg;
  }

  /** The fake humans talk (after a real user's message): each with its chattiness, in the same topic. */
  chatter(g: GroupRec, topicId: number | undefined): void {
    for (const h of g.humans) {
      if (this.random() >= h.chattiness) continue;
      const line = h.lines[h.said++ % h.lines.length] ?? '…';
      this.post(g, h.id, line, { topicId });
    }
  }

  edit(g: GroupRec, id: number, text: string): GroupMsg | undefined {
    const msg = g.messages.get(id);
    if (!msg || msg.deleted) return undefined;
    msg.text = text;
    msg.editDate = Math.floor(Date.now() / 1000);
    this.record(g, 'edit', msg);
    this.tell('edit', g, msg);
    return msg;
  }

  remove(g: GroupRec, id: number): boolean {
    const msg = g.messages.get(id);
    if (!msg || msg.deleted) return false;
    msg.deleted = true;
    g.pts += 1; // a deletion is a pts change too (getChannelDifference leaves the message out)
    this.tell('delete', g, msg);
    return true;
  }

  /**
   * Privacy mode (Telegram's default for bots): the bot sees commands meant for it (`/cmd@this_bot`, or a plain
   * `/cmd` when it was the last bot to post in the group), messages that mention it, and replies to its own
   * messages. With privacy off it sees every message. Bots never see other bots' messages.
   */
  botSees(g: GroupRec, botId: string, msg: GroupMsg): boolean {
    const bot = this.world.users.get(botId);
    const from = this.world.users.get(msg.fromId);
    if (!bot || from?.bot || msg.topicCreated !== undefined) return false;
    if (this.privacyOff.has(botId)) return true;
    const name = (bot.username ?? '').toLowerCase();
    const cmd = /^\/[A-Za-z0-9_]+(?:@([A-Za-z0-9_]+))?/u.exec(msg.text.trim());
    if (cmd) return cmd[1] ? cmd[1].toLowerCase() === name : (g.lastBotId ?? [...g.bots][0]) === botId;
    if (name && new RegExp(`(^|[^A-Za-z0-9_])@${name}(?![A-Za-z0-9_])`, 'iu').test(msg.text)) return true;
    return msg.replyToId !== undefined && g.messages.get(msg.replyToId)?.fromId === botId;
  }

  /** The group's changes after `pts` (updates.getChannelDifference); tooLong when the log no longer reaches. */
  difference(g: GroupRec, pts: number, limit: number): { kind: 'empty' } | { kind: 'tooLong' } | { kind: 'changes'; msgs: GroupMsg[]; edits: GroupMsg[]; pts: number; final: boolean } {
    if (pts >= g.pts) return { kind: 'empty' };
    const oldest = g.log[0];
    if (oldest && pts < oldest.pts - 1) return { kind: 'tooLong' };
    const after = g.log.filter((c) => c.pts > pts);
    const part = after.slice(0, Math.max(1, limit));
    const final = after.length <= part.length;
    const fresh = part.filter((c) => c.kind === 'new').map((c) => c.msg);
    const freshIds = new Set(fresh.map((m) => m.id));
    const edits = [...new Map(part.filter((c) => c.kind === 'edit' && !freshIds.has(c.msg.id)).map((c) => [c.msg.id, c.msg])).values()];
    return { kind: 'changes', msgs: fresh.filter((m) => !m.deleted), edits: edits.filter((m) => !m.deleted), pts: final ? g.pts : (part.at(-1)?.pts ?? g.pts), final };
  }

  /** Newest first, Telegram's getHistory paging; `topicId` narrows to one topic (messages.getReplies). */
  history(g: GroupRec, q: { offsetId?: number; addOffset?: number; limit?: number; maxId?: number; minId?: number; topicId?: number }): { messages: GroupMsg[]; count: number } {
    let all = [...g.messages.values()].filter((m) => !m.deleted).sort((a, b) => b.id - a.id);
    if (q.topicId !== undefined) all = all.filter((m) => m.topicId === q.topicId || m.id === q.topicId);
    let list = all;
    if (q.offsetId) list = list.filter((m) => m.id < (q.offsetId ?? 0));
    if (q.maxId) list = list.filter((m) => m.id < (q.maxId ?? 0));
    if (q.minId) list = list.filter((m) => m.id > (q.minId ?? 0));
    const start = Math.max(0, q.addOffset ?? 0);
    const limit = q.limit && q.limit > 0 ? Math.min(q.limit, 100) : 100;
    return { messages: list.slice(start, start + limit), count: all.length };
  }
}

const DEFAULT_CHATTER = ['lol', 'anyone here tried the new release?', 'brb', 'good morning all', '+1', 'did the deploy go out?'];
