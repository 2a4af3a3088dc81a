/**
 * RPCs of basic groups (InputPeerChat / a chat id): sending into one, its history (the user's own copies),
 * messages.getFullChat (ChatFull with ChatParticipants), messages.getChats, typing and read marks. A basic group's
 * messages live in each member's own box, so ids, pts and pushes are the user's private-chat ones (basic-groups.ts).
 */
import { Api, long, longStr, tlBool, type TlObject } from './tl.js';
import { tlMessage, tlUser, usersFor } from './tl-build.js';
import { RpcFail, type RpcContext, type RpcHandler } from './rpc-context.js';
import type { GroupRec } from './groups.js';
import { basicMembers, basicPeerKey, boxIdOf, groupIdOf } from './basic-groups.js';
import { tlChat } from './tl-basic-groups.js';

/** The basic group a chat id names, as Telegram answers for one the user cannot see: CHAT_ID_INVALID. */
export function basicGroupOf(ctx: RpcContext, chatId: unknown, userId: string): GroupRec {
  const g = ctx.world.groups.groups.get(longStr(chatId));
  if (!g?.basic || !ctx.world.groups.isMember(g, userId)) throw new RpcFail(400, 'CHAT_ID_INVALID');
  return g;
}

function groupOfPeer(ctx: RpcContext, peer: unknown, userId: string): GroupRec {
  return basicGroupOf(ctx, (peer as TlObject).chatId, userId);
}

/** Handlers for a request whose `peer` is an InputPeerChat (rpc-chats.ts routes them here). */
export const basicPeerHandlers: Record<string, RpcHandler> = {
  'messages.SendMessage': (ctx, req, userId) => {
    const gw = ctx.world.groups;
    const g = groupOfPeer(ctx, req.peer, userId);
    const text = String(req.message ?? '');
    if (!text.trim()) throw new RpcFail(400, 'MESSAGE_EMPTY');
    if (text.length > 4096) throw new RpcFail(400, 'MESSAGE_TOO_LONG');
    const r = req.replyTo as TlObject | undefined;
    let replyToId: number | undefined;
    if (r?.replyToMsgId !== undefined) {
      replyToId = groupIdOf(g, userId, Number(r.replyToMsgId));
      if (replyToId === undefined || g.messages.get(replyToId)?.deleted) throw new RpcFail(400, 'REPLY_MESSAGE_ID_INVALID');
    }
    const msg = gw.post(g, userId, text, { replyToId });
    ctx.afterResult(() => gw.chatter(g, undefined));
    const boxId = boxIdOf(g, userId, msg.id);
    const copy = boxId !== undefined ? ctx.world.getMessage(userId, boxId) : undefined;
    if (!copy) throw new RpcFail(500, 'INTERNAL_SERVER_ERROR');
    return new Api.Updates({
      updates: [
        new Api.UpdateMessageID({ id: copy.id, randomId: long(String(req.randomId ?? 0)) }),
        new Api.UpdateNewMessage({ message: tlMessage(copy), pts: ctx.world.pts(userId), ptsCount: 1 }),
      ],
      users: usersFor(ctx.world, userId, [copy]),
      chats: [tlChat(gw, g, userId)],
      date: copy.date,
      seq: 0,
    }).getBytes();
  },

  'messages.GetHistory': (ctx, req, userId) => {
    const g = groupOfPeer(ctx, req.peer, userId);
    const { messages, count } = ctx.world.history(userId, basicPeerKey(g), {
      offsetId: Number(req.offsetId ?? 0),
      addOffset: Number(req.addOffset ?? 0),
      limit: Number(req.limit ?? 0),
      maxId: Number(req.maxId ?? 0),
      minId: Number(req.minId ?? 0),
    });
    const body = { messages: messages.map(tlMessage), topics: [], chats: [tlChat(ctx.world.groups, g, userId)], users: usersFor(ctx.world, userId, messages) };
    if (count > messages.length) return new Api.messages.MessagesSlice({ ...body, count }).getBytes();
    return new Api.messages.Messages(body).getBytes();
  },

  'messages.SetTyping': (ctx, req, userId) => {
    groupOfPeer(ctx, req.peer, userId);
    return tlBool(true);
  },

  'messages.ReadHistory': (ctx, req, userId) => {
    groupOfPeer(ctx, req.peer, userId);
    return new Api.messages.AffectedMessages({ pts: ctx.world.pts(userId), ptsCount: 0 }).getBytes();
  },
};

/** Requests about basic groups by chat id. */
export const basicChatHandlers: Record<string, RpcHandler> = {
  /** messages.getFullChat: the ChatFull with its participants (bots, humans, the real members) and the bots' info. */
  'messages.GetFullChat': (ctx, req, userId) => {
    const g = basicGroupOf(ctx, req.chatId, userId);
    const members = basicMembers(ctx.world, g);
    const creator = members[0];
    const participants = members.map((id) =>
      id === creator
        ? new Api.ChatParticipantCreator({ userId: long(id) })
        : new Api.ChatParticipant({ userId: long(id), inviterId: long(creator ?? id), date: g.date }),
    );
    return new Api.messages.ChatFull({
      fullChat: new Api.ChatFull({
        id: long(g.id),
        about: '',
        participants: new Api.ChatParticipants({ chatId: long(g.id), participants, version: 1 }),
        notifySettings: new Api.PeerNotifySettings({}),
        botInfo: [...g.bots].map((id) => new Api.BotInfo({ userId: long(id), description: 'A bot hosted by the tg-canary sandbox.', commands: [] })),
      }),
      chats: [tlChat(ctx.world.groups, g, userId)],
      users: members.flatMap((id) => {
        const u = ctx.world.users.get(id);
        return u ? [tlUser(u, userId)] : [];
      }),
    }).getBytes();
  },

  /** messages.getChats: the basic groups among the ids the user can see (Telegram leaves the others out). */
  'messages.GetChats': (ctx, req, userId) => {
    const chats = ((req.id as unknown[]) ?? []).flatMap((id) => {
      try {
        return [tlChat(ctx.world.groups, basicGroupOf(ctx, id, userId), userId)];
      } catch {
        return [];
      }
    });
    return new Api.messages.Chats({ chats }).getBytes();
  },
};
