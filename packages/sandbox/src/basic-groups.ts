/**
 * Basic groups (Telegram's small `Chat`, not a supergroup): unlike a channel, a basic group keeps no message
 * sequence of its own that clients see. Every real member holds its own copy of each message in its own message box
 * (its private-chat id and pts sequence), so the same message has a different id for each member. This file keeps
 * those copies and the id mapping both ways; the bots keep seeing the group's own ids.
 */
import type { GroupEvent, GroupMsg, GroupRec } from './groups.js';
import type { World } from './world.js';

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
