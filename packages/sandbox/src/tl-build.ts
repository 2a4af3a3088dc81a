/**
 * World records → gramjs TL objects, seen from one user's side.
 */
import { Api, long } from './tl.js';
import { tlReplyMarkup } from './ui-markup.js';
import { tlMedia } from './tl-media.js';
import type { BoxChange, ChatAction, MsgRec, UserRec, World, WorldEvent } from './world.js';

export function tlUser(u: UserRec, selfId: string): Api.User {
  return new Api.User({
    self: u.id === selfId,
    contact: false,
    bot: u.bot,
    botNochats: u.bot,
    id: long(u.id),
    accessHash: long(u.accessHash),
    firstName: u.firstName,
    lastName: u.lastName,
    username: u.username,
    phone: u.id === selfId ? u.phone?.replace(/[^0-9]/g, '') : undefined,
    botInfoVersion: u.bot ? 1 : undefined,
  });
}

export function tlMessage(m: MsgRec): Api.Message {
  const markup = tlReplyMarkup(m.buttons, m.markup);
  return new Api.Message({
    id: m.id,
    out: m.fromId === m.ownerId,
    peerId: m.chatId !== undefined ? new Api.PeerChat({ chatId: long(m.chatId) }) : new Api.PeerUser({ userId: long(m.peerId) }),
    fromId: new Api.PeerUser({ userId: long(m.fromId) }),
    date: m.date,
    message: m.text,
    replyTo: m.replyToId ? new Api.MessageReplyHeader({ replyToMsgId: m.replyToId }) : undefined,
    replyMarkup: markup,
    editDate: m.editDate,
    viaBotId: m.viaBotId ? long(m.viaBotId) : undefined,
    media: m.media ? tlMedia(m.media) : undefined,
  });
}

/** The users a message list mentions, for `users` vectors. */
export function usersFor(world: World, selfId: string, msgs: MsgRec[]): Api.User[] {
  const ids = new Set<string>([selfId]);
  for (const m of msgs) {
    ids.add(m.peerId);
    ids.add(m.fromId);
  }
  const out: Api.User[] = [];
  for (const id of ids) {
    const u = world.users.get(id);
    if (u) out.push(tlUser(u, selfId));
  }
  return out;
}

/** sendMessageTypingAction, or a draft as sendMessageTextDraftAction {random_id, text: textWithEntities}. */
export function tlChatAction(a: ChatAction): Api.TypeSendMessageAction {
  if (a.type === 'typing') return new Api.SendMessageTypingAction();
  return new Api.SendMessageTextDraftAction({ randomId: long(a.randomId), text: new Api.TextWithEntities({ text: a.text, entities: [] }) });
}

/** The update getDifference's other_updates carries for an edit or a deletion (undefined for a new message). */
export function tlOtherUpdate(c: BoxChange): Api.TypeUpdate | undefined {
  if (c.kind === 'edit') return new Api.UpdateEditMessage({ message: tlMessage(c.msg), pts: c.pts, ptsCount: c.ptsCount });
  if (c.kind === 'delete') return new Api.UpdateDeleteMessages({ messages: c.ids, pts: c.pts, ptsCount: c.ptsCount });
  return undefined;
}

/** The `Updates` pushed for a world event (undefined when nothing is pushed). */
export function tlPush(world: World, e: WorldEvent): Api.TypeUpdates | undefined {
  const date = Math.floor(Date.now() / 1000);
  switch (e.kind) {
    case 'new':
      // Like Telegram: a plain text message in a private chat comes as updateShortMessage (no message object, no
      // users list); one with an inline keyboard needs the full message. Half the sandbox's cost of a push.
      if (!e.msg.buttons?.length && !e.msg.markup && e.msg.editDate === undefined && !e.msg.media) {
        return new Api.UpdateShortMessage({
          out: e.msg.fromId === e.msg.ownerId,
          id: e.msg.id,
          userId: long(e.msg.fromId === e.msg.ownerId ? e.msg.peerId : e.msg.fromId),
          message: e.msg.text,
          pts: e.pts,
          ptsCount: 1,
          date: e.msg.date,
          replyTo: e.msg.replyToId ? new Api.MessageReplyHeader({ replyToMsgId: e.msg.replyToId }) : undefined,
        });
      }
      return new Api.Updates({
        updates: [new Api.UpdateNewMessage({ message: tlMessage(e.msg), pts: e.pts, ptsCount: 1 })],
        users: usersFor(world, e.userId, [e.msg]),
        chats: [],
        date,
        seq: 0,
      });
    case 'edit':
      return new Api.Updates({
        updates: [new Api.UpdateEditMessage({ message: tlMessage(e.msg), pts: e.pts, ptsCount: 1 })],
        users: usersFor(world, e.userId, [e.msg]),
        chats: [],
        date,
        seq: 0,
      });
    case 'delete':
      return new Api.Updates({
        updates: [new Api.UpdateDeleteMessages({ messages: e.ids, pts: e.pts, ptsCount: e.ids.length })],
        users: [],
        chats: [],
        date,
        seq: 0,
      });
    case 'typing':
      return new Api.UpdateShort({
        update: new Api.UpdateUserTyping({ userId: long(e.fromId), action: tlChatAction(e.action) }),
        date,
      });
    default:
      return undefined;
  }
}
