/**
 * Basic groups as TL, seen from one member's side: the `chat`, the `chats` of an answer carrying basic-group
 * messages, and the push of a new basic-group message (updateShortChatMessage, or updates{updateNewMessage}).
 */
import { Api, long } from './tl.js';
import { tlMessage, tlPush, tlUser } from './tl-build.js';
import type { GroupRec, GroupWorld } from './groups.js';
import type { MsgRec, World, WorldEvent } from './world.js';

export function tlChat(gw: GroupWorld, g: GroupRec, viewerId: string): Api.Chat {
  return new Api.Chat({
    id: long(g.id),
    title: g.title,
    photo: new Api.ChatPhotoEmpty(),
    participantsCount: g.bots.size + g.humans.length + 1,
    date: g.date,
    version: 1,
    left: !gw.isMember(g, viewerId) || undefined,
  });
}

/** The `chats` of an answer about basic-group messages of a user's box. */
export function chatsFor(world: World, viewerId: string, msgs: MsgRec[]): Api.Chat[] {
  const ids = new Set(msgs.flatMap((m) => (m.chatId !== undefined ? [m.chatId] : [])));
  return [...ids].flatMap((id) => {
    const g = world.groups.groups.get(id);
    return g?.basic ? [tlChat(world.groups, g, viewerId)] : [];
  });
}

/**
 * What a member's connections are pushed for a new message of a basic group, like Telegram: a plain text message as
 * updateShortChatMessage (no message object, no users or chats), anything else as updates{updateNewMessage} with
 * the chat and the users. Both carry the member's own id and pts.
 */
export function tlBasicGroupPush(world: World, userId: string, msg: MsgRec, pts: number): Api.TypeUpdates {
  const chatId = msg.chatId ?? '0';
  if (!msg.buttons?.length && !msg.markup && msg.editDate === undefined && !msg.media && msg.viaBotId === undefined) {
    return new Api.UpdateShortChatMessage({
      out: msg.fromId === msg.ownerId,
      id: msg.id,
      fromId: long(msg.fromId),
      chatId: long(chatId),
      message: msg.text,
      pts,
      ptsCount: 1,
      date: msg.date,
      replyTo: msg.replyToId ? new Api.MessageReplyHeader({ replyToMsgId: msg.replyToId }) : undefined,
    });
  }
  const ids = new Set([userId, msg.fromId]);
  const users = [...ids].flatMap((id) => {
    const u = world.users.get(id);
    return u ? [tlUser(u, userId)] : [];
  });
  const update = new Api.UpdateNewMessage({ message: tlMessage(msg), pts, ptsCount: 1 });
  return new Api.Updates({ updates: [update], users, chats: chatsFor(world, userId, [msg]), date: Math.floor(Date.now() / 1000), seq: 0 });
}

/** The push for a world event: a basic group's new message as above, anything else as tl-build's tlPush. */
export function tlWorldPush(world: World, e: WorldEvent): Api.TypeUpdates | undefined {
  if (e.kind === 'new' && e.msg.chatId !== undefined) return tlBasicGroupPush(world, e.userId, e.msg, e.pts);
  return tlPush(world, e);
}
