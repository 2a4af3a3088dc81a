/**
 * Talking to a bot inside a supergroup (optionally one forum topic): finding the group, checking the test user
 * and the bot are in it, finding the topic, and which of the group's messages count as the bot's reply — its
 * messages in that topic that reply to one of ours, or (when it does not use replies) simply follow ours.
 * Other members' messages, other bots', the bot's replies to someone else and messages in other topics never count.
 */
import { Api, helpers, type TelegramClient } from 'teleproto';
import type { BotPeer, GroupChatTarget } from '../core/ports.js';
import { TgCanaryError } from '../core/errors.js';
import type { GroupThread, RpcRunner } from './group-thread.js';
import { basicChatIdOf, findGroupInDialogs, isGroupTitle, openBasicGroupThread } from './basic-group-chat.js';

export type { GroupThread, RpcRunner } from './group-thread.js';

const GENERAL_TOPIC = 1;

/** The peer id a group thread is kept under in the driver (never a user id). */
export function groupPeerId(t: GroupThread): string {
  return `group:${t.channelId}:${t.topicId ?? 0}:${t.botId}`;
}

/** The bare channel id of "-100123", "123"; undefined for a username. */
function channelIdOf(group: string): string | undefined {
  const m = /^(?:-100)?(\d+)$/u.exec(group.trim());
  return m?.[1];
}

async function findChannel(client: TelegramClient, rpc: RpcRunner, target: GroupChatTarget, beforeResolve: () => Promise<void>): Promise<Api.Channel | Api.Chat> {
  const id = channelIdOf(target.group);
  if (id === undefined && (isGroupTitle(target.group) || basicChatIdOf(target.group) !== undefined)) return findGroupInDialogs(client, rpc, target);
  if (id === undefined) {
    const name = target.group.trim().replace(/^@/u, '');
    await beforeResolve();
    let res: Api.contacts.ResolvedPeer;
    try {
      res = await rpc(`contacts.resolveUsername(${name})`, () => client.invoke(new Api.contacts.ResolveUsername({ username: name })));
    } catch (e) {
      if (e instanceof TgCanaryError && e.code === 'TG_BOT_NOT_FOUND') throw notFound(target, `no public group @${name}`);
      throw e;
    }
    const ch = res.chats.find((c): c is Api.Channel => c instanceof Api.Channel);
    if (!ch || !ch.megagroup) throw notFound(target, `@${name} is not a group (it is a ${ch ? 'channel' : 'user or bot'})`);
    return ch;
  }
  // A private group is known to the user by its dialogs (that is where its access hash comes from).
  const res = await rpc('messages.getDialogs', () =>
    client.invoke(new Api.messages.GetDialogs({ offsetDate: 0, offsetId: 0, offsetPeer: new Api.InputPeerEmpty(), limit: 100, hash: helpers.returnBigInt(0) })),
  );
  const chats = 'chats' in res ? res.chats : [];
  const ch = chats.find((c): c is Api.Channel => c instanceof Api.Channel && String(c.id) === id);
  if (!ch) throw notFound(target, `the test user has no group with id ${id} among its chats`);
  return ch;
}

function notFound(target: GroupChatTarget, why: string): TgCanaryError {
  return new TgCanaryError('TG_GROUP_NOT_FOUND', `chat.group ${JSON.stringify(target.group)}: ${why}`, {
    kind: 'config',
    hint: 'Give a supergroup as "@username" (public) or by id (-100…), a basic group by its title or "chat:<id>"; one the test user is a member of.',
  });
}

/** Finds the group and topic, checks membership of the user and the bot; the thread the driver then tracks. */
export async function openGroupThread(
  client: TelegramClient,
  rpc: RpcRunner,
  bot: BotPeer,
  target: GroupChatTarget,
  /** Waits for the account's contacts.resolveUsername budget (the driver's limiter). */
  beforeResolve: () => Promise<void> = async () => undefined,
): Promise<{ input: Api.InputPeerChannel | Api.InputPeerChat; thread: GroupThread }> {
  const ch = await findChannel(client, rpc, target, beforeResolve);
  if (ch instanceof Api.Chat) return openBasicGroupThread(client, rpc, bot, target, ch);
  const label = ch.username ? `@${ch.username}` : `"${ch.title}"`;
  if (ch.left) {
    throw new TgCanaryError('TG_GROUP_NOT_MEMBER', `the test user is not a member of the group ${label} (chat.group ${JSON.stringify(target.group)})`, {
      kind: 'config',
      hint: 'Add the test user (the account of TG_SESSION) to the group, or point chat.group at a group it is in.',
    });
  }
  const input = new Api.InputPeerChannel({ channelId: ch.id, accessHash: ch.accessHash ?? helpers.returnBigInt(0) });
  const full = await rpc('channels.getFullChannel', () =>
    client.invoke(new Api.channels.GetFullChannel({ channel: new Api.InputChannel({ channelId: ch.id, accessHash: ch.accessHash ?? helpers.returnBigInt(0) }) })),
  );
  const fc = full.fullChat;
  const bots = fc instanceof Api.ChannelFull ? (fc.botInfo ?? []).map((b) => String(b.userId)) : [];
  if (!bots.includes(bot.id)) {
    throw new TgCanaryError('TG_GROUP_BOT_MISSING', `@${bot.username} is not a member of the group ${label} (chat.group ${JSON.stringify(target.group)})`, {
      kind: 'config',
      hint: 'Add the bot to the group; with privacy mode on (the default) it then sees commands, mentions and replies to it.',
    });
  }
  let topicId: number | undefined;
  if (target.topic !== undefined) {
    if (!ch.forum) {
      throw new TgCanaryError('TG_TOPIC_NOT_FOUND', `chat.topic ${JSON.stringify(target.topic)}: the group ${label} has no topics (it is not a forum)`, {
        kind: 'config',
        hint: 'Leave chat.topic out, or turn topics on in the group.',
      });
    }
    const res = await rpc('messages.getForumTopics', () =>
      client.invoke(new Api.messages.GetForumTopics({ peer: input, q: target.topic, offsetDate: 0, offsetId: 0, offsetTopic: 0, limit: 100 })),
    );
    const wanted = target.topic.trim().toLowerCase();
    const topics = res.topics.filter((t): t is Api.ForumTopic => t instanceof Api.ForumTopic);
    const hit = topics.find((t) => t.title.trim().toLowerCase() === wanted);
    if (wanted === 'general') topicId = undefined;
    else if (!hit) {
      const all = await rpc('messages.getForumTopics', () =>
        client.invoke(new Api.messages.GetForumTopics({ peer: input, offsetDate: 0, offsetId: 0, offsetTopic: 0, limit: 100 })),
      );
      const names = all.topics.filter((t): t is Api.ForumTopic => t instanceof Api.ForumTopic).map((t) => JSON.stringify(t.title)).slice(0, 10);
      throw new TgCanaryError('TG_TOPIC_NOT_FOUND', `chat.topic ${JSON.stringify(target.topic)}: no such topic in ${label} (topics: ${names.join(', ') || 'none'})`, {
        kind: 'config',
        hint: 'Use the exact title of an existing topic, or leave chat.topic out for the General topic.',
      });
    } else topicId = hit.id;
  }
  const thread: GroupThread = { channelId: String(ch.id), topicId, forum: !!ch.forum, botId: bot.id, ours: new Set(), held: new Map(), label: topicId ? `${label} / ${target.topic}` : label };
  return { input, thread };
}

/** The forum topic of a message (undefined = General or no topics). */
export function topicOf(m: Api.Message): number | undefined {
  const r = m.replyTo;
  if (!(r instanceof Api.MessageReplyHeader) || !r.forumTopic) return undefined;
  return r.replyToTopId ?? r.replyToMsgId;
}

/** The message a group message replies to, if it is a reply (a topic's start is not a reply). */
export function repliedTo(m: Api.Message): number | undefined {
  const r = m.replyTo;
  if (!(r instanceof Api.MessageReplyHeader) || r.replyToMsgId === undefined) return undefined;
  if (r.forumTopic && r.replyToTopId === undefined) return undefined;
  return r.replyToMsgId;
}

/**
 * Whether a group message is the bot talking to us in this thread: the bot's, in our topic, and either a reply to
 * one of our prompts or no reply at all. A reply to anyone else's message is the bot talking to someone else.
 */
export function countsInThread(t: GroupThread, m: Api.Message): boolean {
  return inThread(t, m) && (repliedTo(m) === undefined || t.ours.has(repliedTo(m) as number));
}

/** The bot's message in this group and topic (whoever it replies to). */
export function inThread(t: GroupThread, m: Api.Message): boolean {
  if (t.basic ? !(m.peerId instanceof Api.PeerChat) || String(m.peerId.chatId) !== t.channelId : !(m.peerId instanceof Api.PeerChannel) || String(m.peerId.channelId) !== t.channelId) return false;
  if (!(m.fromId instanceof Api.PeerUser) || String(m.fromId.userId) !== t.botId || m.out) return false;
  const topic = topicOf(m);
  return (topic === GENERAL_TOPIC ? undefined : topic) === t.topicId;
}

/** Keeps a bot reply to a message not known as ours (yet); the oldest go past a cap. */
export function hold(t: GroupThread, m: Api.Message, at: number, via: 'push' | 'difference'): void {
  t.held.set(m.id, { m, at, via });
  if (t.held.size > 200) t.held.delete(t.held.keys().next().value as number);
}

/** Our prompt got `id`: the held replies to it, now known to answer us. */
export function release(t: GroupThread, id: number): { m: Api.Message; at: number; via: 'push' | 'difference' }[] {
  t.ours.add(id);
  const out = [...t.held.values()].filter((h) => repliedTo(h.m) === id);
  for (const h of out) t.held.delete(h.m.id);
  return out;
}

/** Where a prompt goes: into the thread's topic, optionally as a reply to a message there. */
export function replyToFor(t: GroupThread, replyToId: number | undefined): Api.InputReplyToMessage | undefined {
  if (replyToId === undefined && t.topicId === undefined) return undefined;
  return new Api.InputReplyToMessage({ replyToMsgId: replyToId ?? (t.topicId as number), topMsgId: t.topicId });
}

const WRITE_FORBIDDEN = new Set(['CHAT_ID_INVALID', 'CHAT_WRITE_FORBIDDEN', 'CHANNEL_PRIVATE', 'TOPIC_CLOSED', 'USER_BANNED_IN_CHANNEL', 'CHAT_GUEST_SEND_FORBIDDEN', 'CHAT_RESTRICTED', 'TOPIC_DELETED']);

/**
 * A send refused because of the group, not the bot (the user left or was banned, a closed topic): infrastructure,
 * so the run is inconclusive — it hits canary and stable alike, since the same user posts for both.
 */
export function groupSendError(e: unknown, t: GroupThread): TgCanaryError | undefined {
  const cause = e instanceof TgCanaryError ? e.cause : e;
  const msg = (cause as { errorMessage?: unknown } | undefined)?.errorMessage;
  if (typeof msg !== 'string' || !WRITE_FORBIDDEN.has(msg)) return undefined;
  return new TgCanaryError('TG_GROUP_WRITE_FORBIDDEN', `Telegram refused our message in ${t.label} (${msg})`, {
    kind: 'infra',
    hint: msg === 'TOPIC_CLOSED' ? 'The topic was closed by an admin: reopen it, or point chat.topic at an open one. Not a bot failure.' : 'The test user may not post there: check it is still a member and not restricted. Not a bot failure.',
    cause: e,
  });
}
