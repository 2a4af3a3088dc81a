/**
 * Runs the hosted bots on group messages: a BotChat per (group, bot) that posts into the group, by default in the
 * topic of the message being answered. The bot faults apply as in private chats (latency, silence, error text).
 */
import { BotApiError } from './bot-limits.js';
import type { BotChat, BotIncomingMessage, BotReplyOptions } from './bot-contract.js';
import { sleep, type BotHost } from './bot-host.js';
import type { FaultEngine } from './faults.js';
import { GENERAL_TOPIC, type GroupMsg, type GroupRec } from './groups.js';
import type { SandboxLogger } from './logger.js';
import type { World } from './world.js';

export class GroupBots {
  private readonly states = new Map<string, Map<string, unknown>>();

  constructor(
    private readonly world: World,
    private readonly bots: BotHost,
    private readonly faults: FaultEngine,
    private readonly log: SandboxLogger,
  ) {}

  /** The Bot API chat id of a supergroup (`-100…`) or a basic group (`-…`). */
  static chatId(g: GroupRec): string {
    return g.basic ? `-${g.id}` : `-100${g.id}`;
  }

  private chat(botId: string, g: GroupRec, incoming: GroupMsg): BotChat {
    const gw = this.world.groups;
    const key = `${g.id}:${botId}`;
    let state = this.states.get(key);
    if (!state) {
      state = new Map();
      this.states.set(key, state);
    }
    const text = (t: unknown, method: string): string => {
      const s = String(t ?? '');
      if (!s.trim()) throw new BotApiError(400, `Bad Request: message text is empty (${method})`);
      if (s.length > 4096) throw new BotApiError(400, `Bad Request: message is too long (${method})`);
      return s;
    };
    const record = (method: string): void => this.bots.record({ method, userId: incoming.fromId, botId });
    return {
      id: GroupBots.chatId(g),
      userId: incoming.fromId,
      type: g.basic ? 'group' : 'supergroup',
      state,
      reply: async (t: string, opts?: BotReplyOptions): Promise<number> => {
        const body = text(t, 'sendMessage');
        const topicId = opts?.threadId === null ? undefined : (opts?.threadId ?? incoming.topicId);
        if (topicId !== undefined && topicId !== GENERAL_TOPIC && !gw.topic(g, topicId)) throw new BotApiError(400, 'Bad Request: message thread not found');
        if (opts?.replyTo !== undefined && !g.messages.get(opts.replyTo)) throw new BotApiError(400, 'Bad Request: message to be replied not found');
        const m = gw.post(g, botId, body, { replyToId: opts?.replyTo, topicId: topicId === GENERAL_TOPIC ? undefined : topicId });
        record('bot.sendMessage');
        return m.id;
      },
      edit: async (messageId: number, t: string): Promise<void> => {
        const m = g.messages.get(messageId);
        if (!m || m.deleted || m.fromId !== botId) throw new BotApiError(400, 'Bad Request: message to edit not found');
        const body = text(t, 'editMessageText');
        if (m.text === body) throw new BotApiError(400, 'Bad Request: message is not modified');
        gw.edit(g, messageId, body);
        record('bot.editMessageText');
      },
      delete: async (messageId: number): Promise<void> => {
        if (g.messages.get(messageId)?.fromId === botId) gw.remove(g, messageId);
      },
      typing: async (): Promise<void> => record('bot.sendChatAction'),
      draft: async (): Promise<void> => {
        // Bot API: sendMessageDraft streams into private chats only
        throw new BotApiError(400, 'Bad Request: drafts can be sent only to private chats');
      },
      sleep: (ms: number): Promise<void> => sleep(Math.max(0, ms)),
    };
  }

  /** A group message a bot may see (privacy mode applied by the caller): run the bot in the background. */
  deliver(botId: string, g: GroupRec, msg: GroupMsg): Promise<void> {
    return this.run(botId, g, msg);
  }

  private async run(botId: string, g: GroupRec, msg: GroupMsg): Promise<void> {
    const bot = this.bots.get(botId);
    if (!bot) return;
    const name = bot.user.username ?? botId;
    const faults = this.faults.takeBot(name);
    const chat = this.chat(botId, g, msg);
    const from = this.world.users.get(msg.fromId);
    const incoming: BotIncomingMessage = {
      id: msg.id,
      text: msg.text,
      date: msg.date,
      replyToId: msg.replyToId,
      topicId: msg.topicId,
      chat: { type: g.basic ? 'group' : 'supergroup', id: GroupBots.chatId(g), title: g.title, username: g.username, forum: g.forum || undefined },
      from: from ? { id: from.id, firstName: from.firstName, username: from.username, isBot: from.bot } : undefined,
    };
    try {
      for (const f of faults) if (f.kind === 'latency') await sleep(f.ms ?? f.minMs ?? 0);
      if (faults.some((f) => f.kind === 'silence')) return;
      const errorText = faults.find((f) => f.kind === 'error_text');
      if (errorText) {
        await chat.reply(errorText.text ?? 'Sorry, something went wrong. Please try again later.', { replyTo: msg.id });
        return;
      }
      await bot.module.onMessage(incoming, chat);
    } catch (e) {
      this.log.error({ bot: name, err: (e as Error).message }, 'sandbox bot threw while handling a group message; it replies nothing');
    }
  }
}
