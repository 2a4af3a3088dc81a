/**
 * Group records → TL objects, seen from one user's side: the supergroup (`channel` with `megagroup`), its
 * messages (peer `PeerChannel`; forum messages carry `MessageReplyHeader{forum_topic, reply_to_top_id}`), topics.
 */
import { Api, long } from './tl.js';
import { tlUser } from './tl-build.js';
import { GENERAL_TOPIC, type GroupEvent, type GroupMsg, type GroupRec, type GroupWorld, type TopicRec } from './groups.js';
import type { World } from './world.js';

export function tlChannel(gw: GroupWorld, g: GroupRec, viewerId: string): Api.Channel {
  return new Api.Channel({
    id: long(g.id),
    accessHash: long(g.accessHash),
    title: g.title,
    username: g.username,
    megagroup: true,
    forum: g.forum || undefined,
    left: !gw.isMember(g, viewerId) || undefined,
    photo: new Api.ChatPhotoEmpty(),
    date: g.date,
    participantsCount: g.bots.size + g.humans.length + 1,
  });
}

/**
 * A forum message's reply header: in a topic `forum_topic` with reply_to_msg_id = the topic (or the message
 * replied to, with reply_to_top_id = the topic); outside forums a plain reply header.
 */
export function tlReplyHeader(g: GroupRec, m: GroupMsg): Api.MessageReplyHeader | undefined {
  const topic = g.forum && m.topicId !== undefined && m.topicId !== GENERAL_TOPIC ? m.topicId : undefined;
  if (topic === undefined) return m.replyToId ? new Api.MessageReplyHeader({ replyToMsgId: m.replyToId }) : undefined;
  if (m.replyToId && m.replyToId !== topic) return new Api.MessageReplyHeader({ forumTopic: true, replyToMsgId: m.replyToId, replyToTopId: topic });
  return new Api.MessageReplyHeader({ forumTopic: true, replyToMsgId: topic });
}

export function tlGroupMessage(g: GroupRec, m: GroupMsg, viewerId: string): Api.Message | Api.MessageService {
  const peerId = new Api.PeerChannel({ channelId: long(g.id) });
  const fromId = new Api.PeerUser({ userId: long(m.fromId) });
  if (m.topicCreated !== undefined) {
    return new Api.MessageService({ id: m.id, out: m.fromId === viewerId, peerId, fromId, date: m.date, action: new Api.MessageActionTopicCreate({ title: m.topicCreated, iconColor: 0x6fb9f0 }) });
  }
  return new Api.Message({
    id: m.id,
    out: m.fromId === viewerId,
    peerId,
    fromId,
    date: m.date,
    message: m.text,
    replyTo: tlReplyHeader(g, m),
    editDate: m.editDate,
  });
}

/** The users of a message list (authors), plus the viewer. */
export function groupUsers(world: World, viewerId: string, msgs: GroupMsg[]): Api.User[] {
  const ids = new Set<string>([viewerId, ...msgs.map((m) => m.fromId)]);
  return [...ids].flatMap((id) => {
    const u = world.users.get(id);
    return u ? [tlUser(u, viewerId)] : [];
  });
}

export function tlTopic(gw: GroupWorld, g: GroupRec, t: TopicRec): Api.ForumTopic {
  const top = gw.topMessage(g, t)?.id ?? t.id;
  return new Api.ForumTopic({
    id: t.id,
    date: t.date,
    peer: new Api.PeerChannel({ channelId: long(g.id) }),
    title: t.title,
    iconColor: 0x6fb9f0,
    topMessage: top,
    readInboxMaxId: top,
    readOutboxMaxId: top,
    unreadCount: 0,
    unreadMentionsCount: 0,
    unreadReactionsCount: 0,
    unreadPollVotesCount: 0,
    fromId: new Api.PeerUser({ userId: long(t.creatorId) }),
    notifySettings: new Api.PeerNotifySettings({}),
    closed: t.closed || undefined,
  });
}

/** What a member's connections are pushed for a group change. */
export function tlGroupPush(world: World, e: GroupEvent): Api.Updates {
  const g = e.group;
  const chats = [tlChannel(world.groups, g, e.userId)];
  const date = Math.floor(Date.now() / 1000);
  if (e.kind === 'delete') {
    const update = new Api.UpdateDeleteChannelMessages({ channelId: long(g.id), messages: [e.msg.id], pts: e.pts, ptsCount: 1 });
    return new Api.Updates({ updates: [update], users: [], chats, date, seq: 0 });
  }
  const message = tlGroupMessage(g, e.msg, e.userId);
  const update = e.kind === 'new'
    ? new Api.UpdateNewChannelMessage({ message, pts: e.pts, ptsCount: 1 })
    : new Api.UpdateEditChannelMessage({ message, pts: e.pts, ptsCount: 1 });
  return new Api.Updates({ updates: [update], users: groupUsers(world, e.userId, [e.msg]), chats, date, seq: 0 });
}
