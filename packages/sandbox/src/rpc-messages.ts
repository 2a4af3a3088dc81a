/**
 * RPCs of an authorized user: help, updates, users, contacts, messages.
 */
import { Api, long, longStr, tlBool, tlVector, type TlObject } from './tl.js';
import { tlMessage, tlOtherUpdate, tlUser, usersFor } from './tl-build.js';
import { chatsFor } from './tl-basic-groups.js';
import { RpcFail, type RpcContext, type RpcHandler } from './rpc-context.js';
import { webViewHandlers } from './rpc-webview.js';
import type { BoxChange, MsgRec, UserRec } from './world.js';
import { botInfoHandlers } from './rpc-bots-info.js';
import { inlineHandlers } from './rpc-inline.js';

const now = (): number => Math.floor(Date.now() / 1000);

/** Resolves an InputPeer/InputUser to a world user (self included). */
export function peerUser(ctx: RpcContext, peer: unknown, selfId: string): UserRec {
  const p = peer as TlObject | undefined;
  let id: string | undefined;
  if (!p) id = undefined;
  else if (p.className === 'InputPeerSelf' || p.className === 'InputUserSelf') id = selfId;
  else if (p.className === 'InputPeerUser' || p.className === 'InputUser' || p.className === 'PeerUser') id = longStr(p.userId);
  const u = id ? ctx.world.users.get(id) : undefined;
  if (!u) throw new RpcFail(400, p?.className?.startsWith('InputUser') ? 'USER_ID_INVALID' : 'PEER_ID_INVALID');
  return u;
}

function self(ctx: RpcContext, userId: string): UserRec {
  const u = ctx.world.users.get(userId);
  if (!u) throw new RpcFail(401, 'AUTH_KEY_UNREGISTERED');
  return u;
}

export function config(port: number, host: string): Api.Config {
  const date = now();
  return new Api.Config({
    date,
    expires: date + 3600,
    testMode: false,
    thisDc: 2,
    dcOptions: [new Api.DcOption({ id: 2, ipAddress: host, port, static: true })],
    dcTxtDomainName: 'sandbox.invalid',
    chatSizeMax: 200,
    megagroupSizeMax: 200000,
    forwardedCountMax: 100,
    onlineUpdatePeriodMs: 210000,
    offlineBlurTimeoutMs: 5000,
    offlineIdleTimeoutMs: 30000,
    onlineCloudTimeoutMs: 300000,
    notifyCloudDelayMs: 30000,
    notifyDefaultDelayMs: 1500,
    pushChatPeriodMs: 60000,
    pushChatLimit: 2,
    editTimeLimit: 172800,
    revokeTimeLimit: 2147483647,
    revokePmTimeLimit: 2147483647,
    ratingEDecay: 2419200,
    stickersRecentLimit: 200,
    channelsReadMediaPeriod: 604800,
    callReceiveTimeoutMs: 20000,
    callRingTimeoutMs: 90000,
    callConnectTimeoutMs: 30000,
    callPacketTimeoutMs: 10000,
    meUrlPrefix: 'https://t.me/',
    captionLengthMax: 1024,
    messageLengthMax: 4096,
    webfileDcId: 2,
  });
}

function state(ctx: RpcContext, userId: string, pts = ctx.world.pts(userId)): Api.updates.State {
  return new Api.updates.State({ pts, qts: 0, date: now(), seq: 0, unreadCount: 0 });
}

/**
 * A difference as Telegram builds it: new messages with their current content (a message edited or deleted
 * since is not repeated as an edit; a deleted one is left out), edits of older messages (the last one per
 * message) and deletions as other_updates, in pts order.
 */
function differenceParts(changes: BoxChange[]): { messages: MsgRec[]; others: Api.TypeUpdate[] } {
  const messages = changes.flatMap((c) => (c.kind === 'new' && !c.msg.deleted ? [c.msg] : []));
  const fresh = new Set(changes.flatMap((c) => (c.kind === 'new' ? [c.msg.id] : [])));
  const lastEdit = new Map<number, BoxChange>();
  for (const c of changes) if (c.kind === 'edit' && !fresh.has(c.msg.id) && !c.msg.deleted) lastEdit.set(c.msg.id, c);
  const others: Api.TypeUpdate[] = [];
  for (const c of changes) {
    if (c.kind === 'new' || (c.kind === 'edit' && lastEdit.get(c.msg.id) !== c)) continue;
    const u = tlOtherUpdate(c);
    if (u) others.push(u);
  }
  return { messages, others };
}

export const userHandlers: Record<string, RpcHandler> = {
  'updates.GetState': (ctx, _req, userId) => state(ctx, userId).getBytes(),

  /**
   * The changes of the user's box since `pts` (new messages, edits, deletions): a slice per `differenceLimit`
   * changes (or the client's pts_limit), differenceTooLong when the box's log no longer reaches back that far
   * or the client's pts_total_limit is exceeded; DifferenceEmpty when nothing changed.
   */
  'updates.GetDifference': (ctx, req, userId) => {
    const L = ctx.bots.limits;
    const ptsLimit = Number(req.ptsLimit ?? 0);
    const limit = ptsLimit > 0 ? Math.min(ptsLimit, L.differenceLimit) : L.differenceLimit;
    const totalLimit = req.ptsTotalLimit === undefined ? undefined : Number(req.ptsTotalLimit);
    const d = ctx.world.difference(userId, Number(req.pts ?? 0), { limit, totalLimit });
    if (d.kind === 'empty') return new Api.updates.DifferenceEmpty({ date: now(), seq: 0 }).getBytes();
    if (d.kind === 'tooLong') return new Api.updates.DifferenceTooLong({ pts: d.pts }).getBytes();
    const { messages, others } = differenceParts(d.changes);
    const body = {
      newMessages: messages.map(tlMessage),
      newEncryptedMessages: [],
      otherUpdates: others,
      chats: chatsFor(ctx.world, userId, ctx.world.peersOf(userId, d.changes)),
      users: usersFor(ctx.world, userId, ctx.world.peersOf(userId, d.changes)),
    };
    if (!d.final) return new Api.updates.DifferenceSlice({ ...body, intermediateState: state(ctx, userId, d.pts) }).getBytes();
    return new Api.updates.Difference({ ...body, state: state(ctx, userId, d.pts) }).getBytes();
  },

  'users.GetUsers': (ctx, req, userId) => {
    const ids = (req.id as unknown[]) ?? [];
    const out: Api.User[] = [];
    for (const i of ids) {
      try {
        out.push(tlUser(peerUser(ctx, i, userId), userId));
      } catch {
        /* Telegram leaves unknown users out */
      }
    }
    return tlVector(out);
  },

  'contacts.ResolveUsername': (ctx, req, userId) => {
    const name = String(req.username ?? '');
    const u = ctx.world.byName(name);
    if (!u) throw new RpcFail(400, 'USERNAME_NOT_OCCUPIED');
    return new Api.contacts.ResolvedPeer({ peer: new Api.PeerUser({ userId: long(u.id) }), chats: [], users: [tlUser(u, userId)] }).getBytes();
  },

  'messages.SendMessage': (ctx, req, userId) => {
    self(ctx, userId);
    const peer = peerUser(ctx, req.peer, userId);
    const text = String(req.message ?? '');
    if (!text.trim()) throw new RpcFail(400, 'MESSAGE_EMPTY');
    if (text.length > 4096) throw new RpcFail(400, 'MESSAGE_TOO_LONG');
    const replyTo = req.replyTo as TlObject | undefined;
    const replyToId = replyTo && replyTo.replyToMsgId !== undefined ? Number(replyTo.replyToMsgId) : undefined;
    const msg = ctx.world.addMessage(userId, peer.id, userId, text, { replyToId });
    if (peer.bot) ctx.afterResult(() => ctx.background(ctx.bots.deliver(peer.id, userId, msg)));
    return new Api.UpdateShortSentMessage({ out: true, id: msg.id, pts: ctx.world.pts(userId), ptsCount: 1, date: msg.date }).getBytes();
  },

  'messages.GetHistory': (ctx, req, userId) => {
    const peer = peerUser(ctx, req.peer, userId);
    const { messages, count } = ctx.world.history(userId, peer.id, {
      offsetId: Number(req.offsetId ?? 0),
      addOffset: Number(req.addOffset ?? 0),
      limit: Number(req.limit ?? 0),
      maxId: Number(req.maxId ?? 0),
      minId: Number(req.minId ?? 0),
    });
    const users = usersFor(ctx.world, userId, messages);
    if (count > messages.length) {
      return new Api.messages.MessagesSlice({ count, messages: messages.map(tlMessage), topics: [], chats: [], users }).getBytes();
    }
    return new Api.messages.Messages({ messages: messages.map(tlMessage), topics: [], chats: [], users }).getBytes();
  },

  'messages.GetMessages': (ctx, req, userId) => {
    const ids = ((req.id as TlObject[]) ?? []).map((i) => Number(i.id ?? 0));
    const found = ids.map((id) => ctx.world.getMessage(userId, id));
    const msgs = found.filter((m) => m !== undefined);
    return new Api.messages.Messages({
      messages: found.map((m, i) => (m ? tlMessage(m) : new Api.MessageEmpty({ id: ids[i] ?? 0 }))),
      topics: [],
      chats: [],
      users: usersFor(ctx.world, userId, msgs),
    }).getBytes();
  },

  'messages.ReadHistory': (ctx, req, userId) => {
    peerUser(ctx, req.peer, userId);
    return new Api.messages.AffectedMessages({ pts: ctx.world.pts(userId), ptsCount: 0 }).getBytes();
  },

  'messages.SetTyping': (ctx, req, userId) => {
    peerUser(ctx, req.peer, userId);
    return tlBool(true);
  },

  'messages.DeleteMessages': (ctx, req, userId) => {
    const ids = ((req.id as unknown[]) ?? []).map(Number);
    const done = ctx.world.deleteMessages(userId, ids, false);
    return new Api.messages.AffectedMessages({ pts: ctx.world.pts(userId), ptsCount: done.length }).getBytes();
  },

  'messages.GetBotCallbackAnswer': async (ctx, req, userId) => {
    const peer = peerUser(ctx, req.peer, userId);
    const msgId = Number(req.msgId ?? 0);
    const msg = ctx.world.getMessage(userId, msgId);
    if (!msg || msg.fromId !== peer.id) throw new RpcFail(400, 'MESSAGE_ID_INVALID');
    const data = Buffer.isBuffer(req.data) ? req.data.toString('utf8') : '';
    const known = msg.buttons?.some((row) => row.some((b) => 'data' in b && b.data === data));
    if (!known) throw new RpcFail(400, 'DATA_INVALID');
    // Telegram waits for the bot's answerCallbackQuery for a while, then answers BOT_RESPONSE_TIMEOUT; a bot that
    // answers late (or never) keeps running, and what it edits later still arrives.
    const windowMs = ctx.bots.limits.callbackTimeoutMs;
    const run = ctx.bots.callback(peer.id, userId, msgId, data);
    ctx.background(run);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), windowMs);
    });
    try {
      const answer = await Promise.race([run.then((a) => a ?? timeout), timeout]);
      if (!answer) throw new RpcFail(400, 'BOT_RESPONSE_TIMEOUT');
      return new Api.messages.BotCallbackAnswer({ message: answer.text, alert: answer.alert, url: answer.url, hasUrl: answer.url !== undefined ? true : undefined, cacheTime: 0 }).getBytes();
    } finally {
      clearTimeout(timer);
    }
  },

  'messages.GetDialogs': (ctx, _req, userId) => {
    return new Api.messages.Dialogs({ dialogs: [], messages: [], chats: [], users: [tlUser(self(ctx, userId), userId)] }).getBytes();
  },

  'auth.LogOut': (ctx) => {
    ctx.key.userId = undefined;
    return new Api.auth.LoggedOut({}).getBytes();
  },
  ...botInfoHandlers, ...inlineHandlers,
  ...webViewHandlers,
};
