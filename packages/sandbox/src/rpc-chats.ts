/**
 * RPCs of supergroups and forum topics: resolving a public group by username, sending into a group or a topic,
 * history, channels.getMessages / getChannels / getFullChannel, channel pts (updates.getChannelDifference) and
 * messages.getForumTopics. A handler that is not about a channel hands the call to the private-chat handler.
 */
import { Api, long, longStr, tlBool, type TlObject } from './tl.js';
import { tlUser } from './tl-build.js';
import { RpcFail, type RpcContext, type RpcHandler } from './rpc-context.js';
import { GENERAL_TOPIC, type GroupMsg, type GroupRec } from './groups.js';
import { groupUsers, tlChannel, tlGroupMessage, tlTopic } from './tl-chats.js';
import { basicChatHandlers, basicPeerHandlers } from './rpc-basic-groups.js';
import { basicPeerKey } from './basic-groups.js';
import { tlChat } from './tl-basic-groups.js';

const CHANNEL_PEERS = new Set(['InputPeerChannel', 'InputChannel', 'PeerChannel', 'InputPeerChannelFromMessage', 'InputChannelFromMessage']);
const BASIC_GROUP_PEERS = new Set(['InputPeerChat', 'PeerChat']);

function isChannelPeer(p: unknown): boolean {
  return CHANNEL_PEERS.has((p as TlObject | undefined)?.className ?? '');
}

/** The group an InputPeerChannel / InputChannel names; Telegram's errors for a bad hash or a private group. */
export function groupOf(ctx: RpcContext, peer: unknown, userId: string): GroupRec {
  const p = peer as TlObject;
  const g = ctx.world.groups.groups.get(longStr(p.channelId));
  if (!g || g.basic) throw new RpcFail(400, 'CHANNEL_INVALID');
  if (p.accessHash !== undefined && p.className !== 'PeerChannel' && longStr(p.accessHash) !== g.accessHash) throw new RpcFail(400, 'CHANNEL_INVALID');
  if (!g.username && !ctx.world.groups.isMember(g, userId)) throw new RpcFail(406, 'CHANNEL_PRIVATE');
  return g;
}

function messagesOf(ctx: RpcContext, g: GroupRec, userId: string, msgs: GroupMsg[], count: number): Buffer {
  const body = {
    messages: msgs.map((m) => tlGroupMessage(g, m, userId)),
    topics: [],
    chats: [tlChannel(ctx.world.groups, g, userId)],
    users: groupUsers(ctx.world, userId, msgs),
  };
  return new Api.messages.ChannelMessages({ ...body, pts: g.pts, count }).getBytes();
}

function historyQuery(req: TlObject): { offsetId: number; addOffset: number; limit: number; maxId: number; minId: number } {
  return { offsetId: Number(req.offsetId ?? 0), addOffset: Number(req.addOffset ?? 0), limit: Number(req.limit ?? 0), maxId: Number(req.maxId ?? 0), minId: Number(req.minId ?? 0) };
}

/** The group handlers over the private-chat ones (`base`): one map for the data center. */
export function withGroupHandlers(base: Record<string, RpcHandler>): Record<string, RpcHandler> {
  const fallback = (method: string): RpcHandler => {
    const h = base[method];
    return h ?? (() => {
      throw new RpcFail(400, 'PEER_ID_INVALID');
    });
  };
  const overChannels = (method: string, onChannel: RpcHandler): RpcHandler => (ctx, req, userId) => {
    if (BASIC_GROUP_PEERS.has((req.peer as TlObject | undefined)?.className ?? '')) {
      const basic = basicPeerHandlers[method];
      if (!basic) throw new RpcFail(400, 'CHAT_ID_INVALID');
      return basic(ctx, req, userId);
    }
    return isChannelPeer(req.peer) ? onChannel(ctx, req, userId) : fallback(method)(ctx, req, userId);
  };

  const handlers: Record<string, RpcHandler> = {
    'contacts.ResolveUsername': (ctx, req, userId) => {
      const g = ctx.world.groups.byName(String(req.username ?? ''));
      if (!g) return fallback('contacts.ResolveUsername')(ctx, req, userId);
      return new Api.contacts.ResolvedPeer({ peer: new Api.PeerChannel({ channelId: long(g.id) }), chats: [tlChannel(ctx.world.groups, g, userId)], users: [] }).getBytes();
    },

    'messages.SendMessage': overChannels('messages.SendMessage', (ctx, req, userId) => {
      const gw = ctx.world.groups;
      const g = groupOf(ctx, req.peer, userId);
      if (!gw.isMember(g, userId)) throw new RpcFail(403, 'CHAT_WRITE_FORBIDDEN');
      const text = String(req.message ?? '');
      if (!text.trim()) throw new RpcFail(400, 'MESSAGE_EMPTY');
      if (text.length > 4096) throw new RpcFail(400, 'MESSAGE_TOO_LONG');
      const r = req.replyTo as TlObject | undefined;
      const replyToMsgId = r?.replyToMsgId !== undefined ? Number(r.replyToMsgId) : undefined;
      const topMsgId = r?.topMsgId !== undefined ? Number(r.topMsgId) : undefined;
      if (replyToMsgId !== undefined && !g.messages.get(replyToMsgId) && !(g.forum && replyToMsgId === GENERAL_TOPIC)) throw new RpcFail(400, 'REPLY_MESSAGE_ID_INVALID');
      const topicId = gw.topicOf(g, replyToMsgId, topMsgId);
      if (topicId !== undefined) {
        const topic = gw.topic(g, topicId);
        if (!topic) throw new RpcFail(400, 'TOPIC_ID_INVALID');
        if (topic.closed) throw new RpcFail(400, 'TOPIC_CLOSED');
      }
      const replyToId = replyToMsgId !== undefined && replyToMsgId !== topicId && replyToMsgId !== GENERAL_TOPIC ? replyToMsgId : undefined;
      const msg = gw.post(g, userId, text, { replyToId, topicId });
      ctx.afterResult(() => gw.chatter(g, topicId));
      return new Api.Updates({
        updates: [
          new Api.UpdateMessageID({ id: msg.id, randomId: long(String(req.randomId ?? 0)) }),
          new Api.UpdateNewChannelMessage({ message: tlGroupMessage(g, msg, userId), pts: g.pts, ptsCount: 1 }),
        ],
        users: groupUsers(ctx.world, userId, [msg]),
        chats: [tlChannel(gw, g, userId)],
        date: msg.date,
        seq: 0,
      }).getBytes();
    }),

    'messages.GetHistory': overChannels('messages.GetHistory', (ctx, req, userId) => {
      const g = groupOf(ctx, req.peer, userId);
      const { messages, count } = ctx.world.groups.history(g, historyQuery(req));
      return messagesOf(ctx, g, userId, messages, count);
    }),

    /** A topic's messages (messages.getReplies with msg_id = the topic). */
    'messages.GetReplies': overChannels('messages.GetReplies', (ctx, req, userId) => {
      const g = groupOf(ctx, req.peer, userId);
      const topicId = Number(req.msgId ?? 0);
      if (!ctx.world.groups.topic(g, topicId)) throw new RpcFail(400, 'MSG_ID_INVALID');
      const { messages, count } = ctx.world.groups.history(g, { ...historyQuery(req), topicId });
      return messagesOf(ctx, g, userId, messages, count);
    }),

    'messages.SetTyping': overChannels('messages.SetTyping', (ctx, req, userId) => {
      groupOf(ctx, req.peer, userId);
      return tlBool(true);
    }),

    'messages.GetForumTopics': overChannels('messages.GetForumTopics', (ctx, req, userId) => {
      const g = groupOf(ctx, req.peer, userId);
      if (!g.forum) throw new RpcFail(400, 'CHANNEL_FORUM_MISSING');
      const q = String(req.q ?? '').toLowerCase();
      const topics = g.topics.filter((t) => !q || t.title.toLowerCase().includes(q));
      const limit = Number(req.limit ?? 0) > 0 ? Math.min(Number(req.limit), 100) : 100;
      const shown = topics.slice(0, limit);
      // like Telegram: each topic's top message comes along (clients read the topic's last message from it)
      const tops = shown.map((t) => ctx.world.groups.topMessage(g, t)).filter((m): m is GroupMsg => m !== undefined);
      return new Api.messages.ForumTopics({
        count: topics.length,
        topics: shown.map((t) => tlTopic(ctx.world.groups, g, t)),
        messages: tops.map((m) => tlGroupMessage(g, m, userId)),
        chats: [tlChannel(ctx.world.groups, g, userId)],
        users: groupUsers(ctx.world, userId, tops),
        pts: g.pts,
      }).getBytes();
    }),

    /** The user's chats: its supergroups (a private group's access hash reaches a client this way). */
    'messages.GetDialogs': (ctx, req, userId) => {
      const gw = ctx.world.groups;
      const mine = [...gw.groups.values()].filter((g) => gw.isMember(g, userId));
      if (!mine.length) return fallback('messages.GetDialogs')(ctx, req, userId);
      const dialogs = mine.map((g) => {
        if (g.basic) {
          // a basic group's dialog is in the user's own id space (its newest copy there); no pts of its own
          const top = ctx.world.history(userId, basicPeerKey(g), { limit: 1 }).messages[0]?.id ?? 0;
          return new Api.Dialog({
            peer: new Api.PeerChat({ chatId: long(g.id) }),
            topMessage: top,
            readInboxMaxId: top,
            readOutboxMaxId: top,
            unreadCount: 0,
            unreadMentionsCount: 0,
            unreadReactionsCount: 0,
            unreadPollVotesCount: 0,
            notifySettings: new Api.PeerNotifySettings({}),
          });
        }
        const top = Math.max(1, ...[...g.messages.keys()]);
        return new Api.Dialog({
          peer: new Api.PeerChannel({ channelId: long(g.id) }),
          topMessage: top,
          readInboxMaxId: top,
          readOutboxMaxId: top,
          unreadCount: 0,
          unreadMentionsCount: 0,
          unreadReactionsCount: 0,
          unreadPollVotesCount: 0,
          notifySettings: new Api.PeerNotifySettings({}),
          pts: g.pts,
        });
      });
      return new Api.messages.Dialogs({ dialogs, messages: [], chats: mine.map((g) => (g.basic ? tlChat(gw, g, userId) : tlChannel(gw, g, userId))), users: groupUsers(ctx.world, userId, []) }).getBytes();
    },

    'channels.GetChannels': (ctx, req, userId) => {
      const chats = ((req.id as unknown[]) ?? []).flatMap((p) => {
        try {
          return [tlChannel(ctx.world.groups, groupOf(ctx, p, userId), userId)];
        } catch {
          return []; // Telegram leaves out what the user cannot see
        }
      });
      return new Api.messages.Chats({ chats }).getBytes();
    },

    'channels.GetFullChannel': (ctx, req, userId) => {
      const g = groupOf(ctx, req.channel, userId);
      const top = Math.max(0, ...[...g.messages.keys()]);
      return new Api.messages.ChatFull({
        fullChat: new Api.ChannelFull({
          id: long(g.id),
          about: '',
          participantsCount: g.bots.size + g.humans.length + 1,
          readInboxMaxId: top,
          readOutboxMaxId: top,
          unreadCount: 0,
          chatPhoto: new Api.PhotoEmpty({ id: long(0) }),
          notifySettings: new Api.PeerNotifySettings({}),
          botInfo: [...g.bots].map((id) => new Api.BotInfo({ userId: long(id), description: 'A bot hosted by the tg-canary sandbox.', commands: [] })),
          pts: g.pts,
        }),
        chats: [tlChannel(ctx.world.groups, g, userId)],
        users: [...g.bots].flatMap((id) => {
          const u = ctx.world.users.get(id);
          return u ? [tlUser(u, userId)] : [];
        }),
      }).getBytes();
    },

    'channels.GetMessages': (ctx, req, userId) => {
      const g = groupOf(ctx, req.channel, userId);
      const ids = ((req.id as TlObject[]) ?? []).map((i) => Number(i.id ?? 0));
      const found = ids.map((id) => g.messages.get(id));
      const live = found.filter((m): m is GroupMsg => m !== undefined && !m.deleted);
      return new Api.messages.ChannelMessages({
        pts: g.pts,
        count: live.length,
        messages: found.map((m, i) => (m && !m.deleted ? tlGroupMessage(g, m, userId) : new Api.MessageEmpty({ id: ids[i] ?? 0 }))),
        topics: [],
        chats: [tlChannel(ctx.world.groups, g, userId)],
        users: groupUsers(ctx.world, userId, live),
      }).getBytes();
    },

    'channels.ReadHistory': (ctx, req, userId) => {
      groupOf(ctx, req.channel, userId);
      return tlBool(true);
    },

    /**
     * The group's changes since `pts`: new messages (current content), edits of older ones as
     * updateEditChannelMessage; a slice per `limit`; ChannelDifferenceTooLong when the log no longer reaches.
     */
    'updates.GetChannelDifference': (ctx, req, userId) => {
      const g = groupOf(ctx, req.channel, userId);
      const limit = Math.min(Math.max(1, Number(req.limit ?? 100)), ctx.bots.limits.differenceLimit);
      const d = ctx.world.groups.difference(g, Number(req.pts ?? 0), limit);
      const chats = [tlChannel(ctx.world.groups, g, userId)];
      if (d.kind === 'empty') return new Api.updates.ChannelDifferenceEmpty({ final: true, pts: g.pts, timeout: 30 }).getBytes();
      if (d.kind === 'tooLong') {
        const { messages } = ctx.world.groups.history(g, { limit: 50 });
        const top = messages[0]?.id ?? 0;
        return new Api.updates.ChannelDifferenceTooLong({
          final: true,
          timeout: 30,
          dialog: new Api.Dialog({
            peer: new Api.PeerChannel({ channelId: long(g.id) }),
            topMessage: top,
            readInboxMaxId: top,
            readOutboxMaxId: top,
            unreadCount: 0,
            unreadMentionsCount: 0,
            unreadReactionsCount: 0,
            unreadPollVotesCount: 0,
            notifySettings: new Api.PeerNotifySettings({}),
            pts: g.pts,
          }),
          messages: messages.map((m) => tlGroupMessage(g, m, userId)),
          chats,
          users: groupUsers(ctx.world, userId, messages),
        }).getBytes();
      }
      return new Api.updates.ChannelDifference({
        final: d.final,
        pts: d.pts,
        timeout: 30,
        newMessages: d.msgs.map((m) => tlGroupMessage(g, m, userId)),
        otherUpdates: d.edits.map((m) => new Api.UpdateEditChannelMessage({ message: tlGroupMessage(g, m, userId), pts: d.pts, ptsCount: 0 })),
        chats,
        users: groupUsers(ctx.world, userId, [...d.msgs, ...d.edits]),
      }).getBytes();
    },
  };
  return { ...base, ...handlers, ...basicChatHandlers };
}
