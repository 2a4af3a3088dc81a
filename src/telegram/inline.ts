/**
 * Inline mode over a user session: messages.getInlineBotResults (BOT_INLINE_DISABLED and BOT_RESPONSE_TIMEOUT are
 * the bot's faults: kind `bot`; flood waits and Telegram's own -503 stay infrastructure) and
 * messages.sendInlineBotResult (the message it produces, "via @bot").
 */
import { Api, helpers } from 'teleproto';
import type { InlineResultInfo, InlineResultsInfo, InlineSentInfo } from '../core/bot-surface.js';
import { TgCanaryError } from '../core/errors.js';
import { inputUserOf, ownMessageOf, randomLong, telegramErrorOf, type SurfaceCall } from './bot-surface-call.js';

/** Caps on what the bot controls (untrusted). */
const MAX_RESULTS = 50;
const MAX_FIELD = 512;
const MAX_MESSAGE = 4096;

function resultOf(r: Api.TypeBotInlineResult): InlineResultInfo {
  const send = r.sendMessage;
  const message = 'message' in send && typeof send.message === 'string' ? send.message.slice(0, MAX_MESSAGE) : undefined;
  const out: InlineResultInfo = { id: r.id.slice(0, 64), kind: r.type.slice(0, 32), media: r instanceof Api.BotInlineMediaResult };
  if (r.title) out.title = r.title.slice(0, MAX_FIELD);
  if (r.description) out.description = r.description.slice(0, MAX_FIELD);
  if (r instanceof Api.BotInlineResult && r.url) out.url = r.url.slice(0, 2048);
  if (message !== undefined) out.message = message;
  return out;
}

export async function inlineQuery(call: SurfaceCall, query: string, offset = ''): Promise<InlineResultsInfo> {
  let res: Api.messages.BotResults;
  try {
    res = await call.rpc('messages.getInlineBotResults', () =>
      call.client.invoke(new Api.messages.GetInlineBotResults({ bot: inputUserOf(call.peer), peer: call.peer, query, offset })),
    );
  } catch (e) {
    const msg = telegramErrorOf(e);
    if (msg === 'BOT_INLINE_DISABLED') {
      throw new TgCanaryError('BOT_INLINE_DISABLED', `@${call.bot.username} has no inline mode (BOT_INLINE_DISABLED)`, { cause: e });
    }
    if (msg === 'BOT_RESPONSE_TIMEOUT') {
      throw new TgCanaryError('BOT_INLINE_TIMEOUT', `@${call.bot.username} did not answer the inline query "${query.slice(0, 60)}" in time (BOT_RESPONSE_TIMEOUT)`, { cause: e });
    }
    throw e;
  }
  const out: InlineResultsInfo = {
    queryId: String(res.queryId),
    results: res.results.slice(0, MAX_RESULTS).map(resultOf),
    cacheTime: res.cacheTime,
    gallery: res.gallery === true,
  };
  if (res.nextOffset) out.nextOffset = res.nextOffset.slice(0, 64);
  return out;
}

export async function sendInlineResult(call: SurfaceCall, queryId: string, resultId: string): Promise<InlineSentInfo> {
  const at = call.now();
  const randomId = randomLong();
  const res = await call.rpc('messages.sendInlineBotResult', () =>
    call.client.invoke(new Api.messages.SendInlineBotResult({ peer: call.peer, queryId: helpers.returnBigInt(queryId), id: resultId, randomId })),
  );
  const { id, message } = ownMessageOf(res, randomId, 'messages.sendInlineBotResult');
  const out: InlineSentInfo = { id, at, text: (message?.message ?? '').slice(0, MAX_MESSAGE) };
  if (message?.viaBotId !== undefined && message.viaBotId !== null) out.viaBotId = String(message.viaBotId);
  return out;
}
