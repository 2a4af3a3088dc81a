/**
 * Inline mode, seen from a user: messages.getInlineBotResults asks the bot's onInlineQuery (within
 * limits.inlineTimeoutMs, else BOT_RESPONSE_TIMEOUT; no inline mode → BOT_INLINE_DISABLED) and answers
 * messages.botResults; messages.sendInlineBotResult sends a picked result as the user's message "via @bot"
 * (via_bot_id set), then tells the bot (chosen_inline_result) and, in the bot's own chat, delivers the message.
 */
import { randomBytes } from 'node:crypto';
import { Api, long, longStr } from './tl.js';
import { tlUser } from './tl-build.js';
import { RpcFail, type RpcContext, type RpcHandler } from './rpc-context.js';
import { peerUser } from './rpc-messages.js';
import { sentUpdates } from './rpc-bots-info.js';
import { INLINE_RESULT_KINDS, type BotInlineAnswer, type BotInlineResultKind, type BotInlineResultSpec } from './bot-contract.js';
import type { World } from './world.js';

/** Telegram's answerInlineQuery limits. */
const MAX_RESULTS = 50;
const MAX_OFFSET_BYTES = 64;
const MEDIA_KINDS: ReadonlySet<string> = new Set(['photo', 'gif', 'video', 'audio', 'voice', 'document', 'sticker']);
/** Queries kept per world for sendInlineBotResult (newest). */
const KEEP_QUERIES = 500;

interface AnsweredQuery {
  userId: string;
  botId: string;
  query: string;
  results: Required<Pick<BotInlineResultSpec, 'id' | 'message'>>[];
}

const answered = new WeakMap<World, Map<string, AnsweredQuery>>();

function store(world: World): Map<string, AnsweredQuery> {
  let m = answered.get(world);
  if (!m) {
    m = new Map();
    answered.set(world, m);
  }
  return m;
}

/** Why Telegram would refuse this answer from the bot (answerInlineQuery's 400s), or undefined when it is valid. */
export function rejectAnswer(a: BotInlineAnswer): string | undefined {
  if (!Array.isArray(a.results)) return 'RESULTS_INVALID';
  if (a.results.length > MAX_RESULTS) return 'RESULTS_TOO_MUCH';
  if (a.nextOffset !== undefined && Buffer.byteLength(a.nextOffset) > MAX_OFFSET_BYTES) return 'NEXT_OFFSET_INVALID';
  const ids = new Set<string>();
  for (const [i, r] of a.results.entries()) {
    const kind = r.kind ?? 'article';
    if (!(INLINE_RESULT_KINDS as readonly string[]).includes(kind)) return 'RESULT_TYPE_INVALID';
    if (kind === 'article' && !String(r.title ?? '').trim()) return 'ARTICLE_TITLE_EMPTY';
    if (!String(r.message ?? '').trim()) return 'MESSAGE_EMPTY';
    if (String(r.message).length > 4096) return 'MESSAGE_TOO_LONG';
    const id = r.id ?? String(i + 1);
    if (ids.has(id)) return 'RESULT_ID_DUPLICATE';
    ids.add(id);
  }
  return undefined;
}

function tlResult(r: BotInlineResultSpec, id: string): Api.TypeBotInlineResult {
  const kind: BotInlineResultKind = r.kind ?? 'article';
  const sendMessage = new Api.BotInlineMessageMediaAuto({ message: r.message, entities: [] });
  if (MEDIA_KINDS.has(kind)) {
    // the sandbox holds no files: the media is an empty photo or document of the kind
    return new Api.BotInlineMediaResult({
      id,
      type: kind,
      photo: kind === 'photo' ? new Api.PhotoEmpty({ id: long(0) }) : undefined,
      document: kind === 'photo' ? undefined : new Api.DocumentEmpty({ id: long(0) }),
      title: r.title,
      description: r.description,
      sendMessage,
    });
  }
  return new Api.BotInlineResult({
    id,
    type: kind,
    title: r.title,
    description: r.description,
    url: r.url,
    sendMessage: new Api.BotInlineMessageText({ message: r.message, entities: [] }),
  });
}

/** Runs the bot's onInlineQuery; undefined when it never answers validly (Telegram then times the query out). */
async function askBot(ctx: RpcContext, botId: string, userId: string, query: string, offset: string, queryId: string): Promise<BotInlineAnswer | undefined> {
  const hosted = ctx.bots.get(botId);
  const chat = ctx.bots.chatFor(botId, userId);
  if (!hosted?.module.onInlineQuery || !chat) return undefined;
  const name = hosted.user.username ?? botId;
  try {
    const raw = await hosted.module.onInlineQuery({ id: queryId, query, offset, userId }, chat);
    if (raw === undefined || raw === null) return undefined;
    const answer: BotInlineAnswer = Array.isArray(raw) ? { results: raw } : raw;
    const bad = rejectAnswer(answer);
    if (bad) {
      ctx.log.error({ bot: name, error: bad }, 'sandbox bot answered an inline query Telegram refuses (answerInlineQuery 400); the user sees a timeout');
      return undefined;
    }
    return answer;
  } catch (e) {
    ctx.log.error({ bot: name, err: (e as Error).message }, 'sandbox bot threw while answering an inline query; it never answers it');
    return undefined;
  }
}

export const inlineHandlers: Record<string, RpcHandler> = {
  'messages.GetInlineBotResults': async (ctx, req, userId) => {
    const bot = peerUser(ctx, req.bot, userId);
    if (!bot.bot) throw new RpcFail(400, 'BOT_INVALID');
    peerUser(ctx, req.peer, userId);
    const hosted = ctx.bots.get(bot.id);
    if (!hosted?.module.onInlineQuery) throw new RpcFail(400, 'BOT_INLINE_DISABLED');
    const queryId = randomBytes(8).readBigInt64LE(0).toString();
    const query = String(req.query ?? '');
    const run = askBot(ctx, bot.id, userId, query, String(req.offset ?? ''), queryId);
    ctx.background(run);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), ctx.bots.limits.inlineTimeoutMs);
    });
    let answer: BotInlineAnswer | undefined;
    try {
      answer = await Promise.race([run.then((a) => a ?? timeout), timeout]);
    } finally {
      clearTimeout(timer);
    }
    if (!answer) throw new RpcFail(400, 'BOT_RESPONSE_TIMEOUT');
    const results = answer.results.map((r, i) => ({ ...r, id: r.id ?? String(i + 1) }));
    const kept = store(ctx.world);
    kept.set(queryId, { userId, botId: bot.id, query, results: results.map((r) => ({ id: r.id, message: r.message })) });
    if (kept.size > KEEP_QUERIES) kept.delete(kept.keys().next().value as string);
    return new Api.messages.BotResults({
      gallery: answer.gallery ? true : undefined,
      queryId: long(queryId),
      nextOffset: answer.nextOffset || undefined,
      results: results.map((r) => tlResult(r, r.id)),
      cacheTime: answer.cacheTime ?? 300,
      users: [tlUser(bot, userId)],
    }).getBytes();
  },

  'messages.SendInlineBotResult': (ctx, req, userId) => {
    const peer = peerUser(ctx, req.peer, userId);
    const q = store(ctx.world).get(longStr(req.queryId));
    if (!q || q.userId !== userId) throw new RpcFail(400, 'QUERY_ID_INVALID');
    const result = q.results.find((r) => r.id === String(req.id ?? ''));
    if (!result) throw new RpcFail(400, 'RESULT_ID_INVALID');
    const hideVia = req.hideVia === true;
    const msg = ctx.world.addMessage(userId, peer.id, userId, result.message, hideVia ? {} : { viaBotId: q.botId });
    const bot = ctx.bots.get(q.botId);
    const chat = ctx.bots.chatFor(q.botId, userId);
    ctx.afterResult(() => {
      if (bot?.module.onChosenInlineResult && chat) {
        const chosen = Promise.resolve()
          .then(() => bot.module.onChosenInlineResult?.(result.id, q.query, chat))
          .catch((e: unknown) => ctx.log.error({ bot: bot.user.username, err: (e as Error).message }, 'sandbox bot threw on chosen_inline_result'));
        ctx.background(chosen);
      }
      if (peer.bot) ctx.background(ctx.bots.deliver(peer.id, userId, msg));
    });
    return sentUpdates(ctx, userId, msg, req.randomId).getBytes();
  },
};
