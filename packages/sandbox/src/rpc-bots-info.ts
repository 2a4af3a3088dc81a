/**
 * RPCs about a bot's profile and commands, seen from a user: users.getFullUser (the bot's description, about text,
 * command menu and menu button in userFull.bot_info), bots.getBotCommands (bots only, as on Telegram) and
 * messages.startBot (a t.me/bot?start=PAYLOAD deep link: the chat shows `/start`, the bot gets `/start PAYLOAD`).
 */
import { Api, long, tlVector } from './tl.js';
import { tlMessage, tlUser, usersFor } from './tl-build.js';
import { RpcFail, type RpcContext, type RpcHandler } from './rpc-context.js';
import { peerUser } from './rpc-messages.js';
import type { BotCommandSpec, BotCommandsSpec } from './bot-contract.js';
import type { MsgRec } from './world.js';

/** Telegram's limits on a deep-link payload: 1–64 of A–Z, a–z, 0–9, _ and -. */
const START_PARAM_RE = /^[A-Za-z0-9_-]{1,64}$/u;

/** The menu a user sees in a private chat: the `users` scope wins over `default` (Bot API scope order). */
export function privateChatCommands(spec: BotCommandsSpec | undefined): BotCommandSpec[] {
  if (!spec) return [];
  if (Array.isArray(spec)) return spec;
  return spec.users ?? spec.default ?? [];
}

function tlCommands(list: BotCommandSpec[]): Api.BotCommand[] {
  return list.map((c) => new Api.BotCommand({ command: String(c.command).replace(/^\//u, ''), description: String(c.description ?? '') }));
}

export const botInfoHandlers: Record<string, RpcHandler> = {
  /** A bot's full user: `about` is its short description; bot_info carries description, commands, menu button. */
  'users.GetFullUser': (ctx, req, userId) => {
    const u = peerUser(ctx, req.id, userId);
    const module = u.bot ? ctx.bots.get(u.id)?.module : undefined;
    const commands = tlCommands(privateChatCommands(module?.commands));
    const botInfo = u.bot
      ? new Api.BotInfo({
          userId: long(u.id),
          description: module?.description ?? '',
          commands,
          menuButton: commands.length > 0 ? new Api.BotMenuButtonCommands() : new Api.BotMenuButtonDefault(),
        })
      : undefined;
    return new Api.users.UserFull({
      fullUser: new Api.UserFull({
        id: long(u.id),
        settings: new Api.PeerSettings({}),
        notifySettings: new Api.PeerNotifySettings({}),
        commonChatsCount: 0,
        about: u.bot ? module?.about || undefined : undefined,
        botInfo,
      }),
      chats: [],
      users: [tlUser(u, userId)],
    }).getBytes();
  },

  /** Only bots may call it (their own menu, per scope): a user session gets USER_BOT_REQUIRED, as on Telegram. */
  'bots.GetBotCommands': (ctx, _req, userId) => {
    // every sandbox session is a user (bots are hosted in-process and never log in)
    if (!ctx.world.users.get(userId)?.bot) throw new RpcFail(400, 'USER_BOT_REQUIRED');
    return tlVector([]);
  },

  /**
   * A deep link: the user's chat gets their `/start` message, the bot receives `/start PAYLOAD`. Answers Updates
   * with the message's id (updateMessageID for the client's random_id) like a sent message.
   */
  'messages.StartBot': (ctx, req, userId) => {
    const bot = peerUser(ctx, req.bot, userId);
    if (!bot.bot) throw new RpcFail(400, 'BOT_INVALID');
    const peer = peerUser(ctx, req.peer, userId);
    if (peer.id !== bot.id) throw new RpcFail(400, 'PEER_ID_INVALID');
    const param = String(req.startParam ?? '');
    if (!param) throw new RpcFail(400, 'START_PARAM_EMPTY');
    if (!START_PARAM_RE.test(param)) throw new RpcFail(400, 'START_PARAM_INVALID');
    const msg = ctx.world.addMessage(userId, bot.id, userId, '/start');
    const delivered = { ...msg, text: `/start ${param}` };
    ctx.afterResult(() => ctx.background(ctx.bots.deliver(bot.id, userId, delivered)));
    return sentUpdates(ctx, userId, msg, req.randomId).getBytes();
  },
};

/** The Updates answering a user's own new message: its id for the client's random_id, the message, the pts. */
export function sentUpdates(ctx: RpcContext, userId: string, msg: MsgRec, randomId: unknown): Api.Updates {
  return new Api.Updates({
    updates: [
      new Api.UpdateMessageID({ id: msg.id, randomId: (randomId ?? long(0)) as Api.long }),
      new Api.UpdateNewMessage({ message: tlMessage(msg), pts: ctx.world.pts(userId), ptsCount: 1 }),
    ],
    users: usersFor(ctx.world, userId, [msg]),
    chats: [],
    date: msg.date,
    seq: 0,
  });
}
