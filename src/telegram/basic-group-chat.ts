/**
 * Basic groups (Telegram's small `Chat`, peer `PeerChat`) for a scenario's `chat:`: naming one (basic groups have
 * no username: by title, or by id as "chat:<id>" / the Bot API's "-<id>"), finding it among the test user's dialogs,
 * checking the user and the bot are members (messages.getFullChat), and reading a pushed updateShortChatMessage.
 */
import { Api, helpers, type TelegramClient } from 'teleproto';
import type { BotPeer, GroupChatTarget } from '../core/ports.js';
import { TgCanaryError } from '../core/errors.js';
import type { GroupThread, RpcRunner } from './group-thread.js';

/** A group named as a basic group's id: "chat:123", or the Bot API's "-123" (a "-100…" id is a supergroup's). */
export function basicChatIdOf(group: string): string | undefined {
  const s = group.trim();
  if (/^-100\d+$/u.test(s)) return undefined;
  return /^(?:chat:|-)(\d+)$/iu.exec(s)?.[1];
}

/** A group named by its title: anything that is neither a username nor an id. */
export function isGroupTitle(group: string): boolean {
  const s = group.trim();
  if (basicChatIdOf(s) !== undefined || /^(?:-100)?\d+$/u.test(s)) return false;
  return !/^@?[A-Za-z][A-Za-z0-9_]{3,31}$/u.test(s);
}

function notFound(target: GroupChatTarget, why: string): TgCanaryError {
  return new TgCanaryError('TG_GROUP_NOT_FOUND', `chat.group ${JSON.stringify(target.group)}: ${why}`, {
    kind: 'config',
    hint: 'Name a basic group by its exact title or as "chat:<id>", a supergroup by "@username" or its id (-100…); the test user must be a member.',
  });
}

/** The test user's groups: basic groups and supergroups among its dialogs. */
async function dialogGroups(client: TelegramClient, rpc: RpcRunner): Promise<(Api.Chat | Api.Channel)[]> {
  const res = await rpc('messages.getDialogs', () =>
    client.invoke(new Api.messages.GetDialogs({ offsetDate: 0, offsetId: 0, offsetPeer: new Api.InputPeerEmpty(), limit: 100, hash: helpers.returnBigInt(0) })),
  );
  const chats = 'chats' in res ? res.chats : [];
  return chats.filter((c): c is Api.Chat | Api.Channel => c instanceof Api.Chat || (c instanceof Api.Channel && !!c.megagroup));
}

/** A group by title (exact, case-insensitive) or a basic group by id, among the user's dialogs. */
export async function findGroupInDialogs(client: TelegramClient, rpc: RpcRunner, target: GroupChatTarget): Promise<Api.Chat | Api.Channel> {
  const groups = await dialogGroups(client, rpc);
  const id = basicChatIdOf(target.group);
  if (id !== undefined) {
    const hit = groups.find((c) => c instanceof Api.Chat && String(c.id) === id);
    if (!hit) throw notFound(target, `the test user has no basic group with id ${id} among its chats`);
    return hit;
  }
  const wanted = target.group.trim().toLowerCase();
  const hits = groups.filter((c) => c.title.trim().toLowerCase() === wanted);
  if (hits.length > 1) {
    const ids = hits.map((c) => (c instanceof Api.Chat ? `chat:${String(c.id)}` : `-100${String(c.id)}`)).join(', ');
    throw notFound(target, `${hits.length} of the test user's groups have that title (${ids}); name one by id`);
  }
  const hit = hits[0];
  if (!hit) {
    const names = groups.map((c) => JSON.stringify(c.title)).slice(0, 10);
    throw notFound(target, `no group with that title among the test user's chats (groups: ${names.join(', ') || 'none'})`);
  }
  return hit;
}

/** Checks a basic group (the user still in it, not upgraded, the bot a participant); the thread the driver tracks. */
export async function openBasicGroupThread(
  client: TelegramClient,
  rpc: RpcRunner,
  bot: BotPeer,
  target: GroupChatTarget,
  chat: Api.Chat,
): Promise<{ input: Api.InputPeerChat; thread: GroupThread }> {
  const label = `"${chat.title}"`;
  const where = `chat.group ${JSON.stringify(target.group)}`;
  if (chat.migratedTo) {
    throw new TgCanaryError('TG_GROUP_NOT_FOUND', `the basic group ${label} was upgraded to a supergroup (${where})`, {
      kind: 'config',
      hint: 'Point chat.group at the supergroup it became (its "@username" or -100… id).',
    });
  }
  if (chat.left || chat.deactivated) {
    throw new TgCanaryError('TG_GROUP_NOT_MEMBER', `the test user is not a member of the group ${label} (${where})`, {
      kind: 'config',
      hint: 'Add the test user (the account of TG_SESSION) to the group, or point chat.group at a group it is in.',
    });
  }
  if (target.topic !== undefined) {
    throw new TgCanaryError('TG_TOPIC_NOT_FOUND', `chat.topic ${JSON.stringify(target.topic)}: the group ${label} is a basic group, which has no topics`, {
      kind: 'config',
      hint: 'Leave chat.topic out, or use a forum supergroup.',
    });
  }
  const full = await rpc('messages.getFullChat', () => client.invoke(new Api.messages.GetFullChat({ chatId: chat.id })));
  const fc = full.fullChat;
  const members = fc instanceof Api.ChatFull && fc.participants instanceof Api.ChatParticipants ? fc.participants.participants.map((p) => String(p.userId)) : [];
  const bots = fc instanceof Api.ChatFull ? (fc.botInfo ?? []).map((b) => String(b.userId)) : [];
  if (!members.includes(bot.id) && !bots.includes(bot.id)) {
    throw new TgCanaryError('TG_GROUP_BOT_MISSING', `@${bot.username} is not a member of the group ${label} (${where})`, {
      kind: 'config',
      hint: 'Add the bot to the group; with privacy mode on (the default) it then sees commands, mentions and replies to it.',
    });
  }
  const thread: GroupThread = { channelId: String(chat.id), basic: true, forum: false, botId: bot.id, ours: new Set(), held: new Map(), label };
  return { input: new Api.InputPeerChat({ chatId: chat.id }), thread };
}

/** A pushed updateShortChatMessage (how Telegram sends a plain text message of a basic group) as a message. */
export function shortChatMessage(u: Api.UpdateShortChatMessage): Api.Message {
  return new Api.Message({
    id: u.id,
    out: u.out,
    peerId: new Api.PeerChat({ chatId: u.chatId }),
    fromId: new Api.PeerUser({ userId: u.fromId }),
    date: u.date,
    message: u.message,
    replyTo: u.replyTo,
    entities: u.entities,
    viaBotId: u.viaBotId,
  });
}
