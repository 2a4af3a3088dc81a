/**
 * Mini App RPCs of a user session: messages.requestWebView (a KeyboardButtonWebView of an inline keyboard; the
 * init data carries a query_id) and messages.requestSimpleWebView (a reply keyboard's Mini App button; no
 * query_id). Both answer webViewResultUrl: the button's URL with `#tgWebAppData=<signed init data>` and the
 * tgWebAppVersion / tgWebAppPlatform / tgWebAppThemeParams fragment parameters Telegram's clients add.
 */
import { randomBytes } from 'node:crypto';
import { Api, long, longStr, type TlObject } from './tl.js';
import { RpcFail, type RpcContext, type RpcHandler } from './rpc-context.js';
import { signInitData } from './web-app-init-data.js';
import type { UserRec } from './world.js';

const WEB_APP_VERSION = '8.0';

function botOf(ctx: RpcContext, input: unknown): UserRec {
  const p = input as TlObject | undefined;
  const id = p && (p.className === 'InputUser' || p.className === 'InputPeerUser') ? longStr(p.userId) : undefined;
  const u = id ? ctx.world.users.get(id) : undefined;
  if (!u?.bot || !u.botToken) throw new RpcFail(400, 'BOT_INVALID');
  return u;
}

function webViewUrl(ctx: RpcContext, req: TlObject, userId: string, queryId: bigint | undefined): string {
  const bot = botOf(ctx, req.bot);
  const me = ctx.world.users.get(userId);
  if (!me) throw new RpcFail(401, 'AUTH_KEY_UNREGISTERED');
  const raw = typeof req.url === 'string' ? req.url : '';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new RpcFail(400, 'URL_INVALID');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new RpcFail(400, 'URL_INVALID');
  const initData = signInitData(
    {
      queryId: queryId === undefined ? undefined : `AAH${queryId.toString(36)}`,
      user: { id: Number(me.id), first_name: me.firstName, last_name: me.lastName, username: me.username, language_code: 'en' },
      authDate: Math.floor(Date.now() / 1000),
      startParam: typeof req.startParam === 'string' ? req.startParam : undefined,
    },
    // webapp_bad_signature: init data the bot's backend must reject
    ctx.bots.takeWebAppFault(bot.username ?? bot.id, 'webapp_bad_signature') ? `${bot.id}:${randomBytes(18).toString('base64url')}` : (bot.botToken as string),
  );
  const platform = typeof req.platform === 'string' && req.platform ? req.platform : 'web';
  const theme = req.themeParams as { data?: unknown } | undefined;
  const frag = new URLSearchParams({ tgWebAppData: initData, tgWebAppVersion: WEB_APP_VERSION, tgWebAppPlatform: platform });
  if (typeof theme?.data === 'string') frag.set('tgWebAppThemeParams', theme.data);
  url.hash = frag.toString();
  return url.toString();
}

export const webViewHandlers: Record<string, RpcHandler> = {
  'messages.RequestWebView': (ctx, req, userId) => {
    const queryId = randomBytes(8).readBigUInt64LE(0) >> 1n;
    const url = webViewUrl(ctx, req, userId, queryId);
    return new Api.WebViewResultUrl({ queryId: long(queryId), url }).getBytes();
  },
  'messages.RequestSimpleWebView': (ctx, req, userId) => new Api.WebViewResultUrl({ url: webViewUrl(ctx, req, userId, undefined) }).getBytes(),
};
