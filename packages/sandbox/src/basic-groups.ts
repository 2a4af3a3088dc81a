/**
 * Basic groups (Telegram's small `Chat`, not a supergroup): unlike a channel, a basic group keeps no message
 * sequence of its own that clients see. Every real member holds its own copy of each message in its own message box
 * (its private-chat id and pts sequence), so the same message has a different id for each member. This file keeps
 * those copies and the id mapping both ways; the bots keep seeing the group's own ids.
 */
import { Api, long } from './tl.js';
import { tlMessage, tlUser } from './tl-build.js';
import type { GroupEvent, GroupMsg, GroupRec, GroupWorld } from './groups.js';
import type { MsgRec, World } from './world.js';

interface Copies {
  toBox: Map<number, number>;
  toGroup: Map<number, number>;
}

const copies = new WeakMap<GroupRec, Map<string, Copies>>();

function copiesOf(g: GroupRec, userId: string): Copies {
  let byUser = copies.get(g);
  if (!byUser) {
    byUser = new Map();
    copies.set(g, byUser);
  }
  let c = byUser.get(userId);
  if (!c) {
    c = { toBox: new Map(), toGroup: new Map() };
    byUser.set(userId, c);
  }
  return c;
}

/** The `peerId` a basic group's messages have in a user's box. */
export function basicPeerKey(g: GroupRec): string {
  return `chat:${g.id}`;
}

/** The id a group message has in `userId`'s box (undefined: that member has no copy). */
export function boxIdOf(g: GroupRec, userId: string, groupMsgId: number): number | undefined {
  return copiesOf(g, userId).toBox.get(groupMsgId);
}

/** The group's own id of a message `userId` knows by its box id. */
export function groupIdOf(g: GroupRec, userId: string, boxId: number): number | undefined {
  return copiesOf(g, userId).toGroup.get(boxId);
}

/** Wires a world's basic groups to its users' boxes: a group change becomes a change of each member's box. */
export function installBasicGroups(world: World): void {
  world.groups.basicCopy = (kind: GroupEvent['kind'], userId: string, g: GroupRec, msg: GroupMsg): void => {
    const c = copiesOf(g, userId);
    if (kind === 'new') {
      const replyToId = msg.replyToId !== undefined ? c.toBox.get(msg.replyToId) : undefined;
      const copy = world.addMessage(userId, basicPeerKey(g), msg.fromId, msg.text, { replyToId, chatId: g.id });
      c.toBox.set(msg.id, copy.id);
      c.toGroup.set(copy.id, msg.id);
      return;
    }
    const boxId = c.toBox.get(msg.id);
    if (boxId === undefined) return;
    if (kind === 'edit') world.editMessage(userId, boxId, msg.text);
    else world.deleteMessages(userId, [boxId], true);
  };
}

/** Members the group lists (bots, fake humans, the real users who joined). */
export function basicMembers(world: World, g: GroupRec): string[] {
  const real = [...world.users.values()].filter((u) => !u.bot && !g.humans.some((h) => h.id === u.id) && world.groups.isMember(g, u.id)).map((u) => u.id);
  return [...g.humans.map((h) => h.id), ...g.bots, ...real];
}

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
