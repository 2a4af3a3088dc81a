/**
 * The unmodified teleproto client against the sandbox: connect, getMe, resolve, send, NewMessage, EditedMessage,
 * inline button callback, history, two isolated users, each transport.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Api, type TelegramClient } from 'teleproto';
import { NewMessage, Raw, type NewMessageEvent } from 'teleproto/events/index.js';
import { EditedMessage, type EditedMessageEvent } from 'teleproto/events/EditedMessage.js';
import { startSandbox, type Sandbox } from '@tg-canary/sandbox';
import { clientFor, echoBot, waitFor } from './helpers.js';

let sb: Sandbox;
const clients: TelegramClient[] = [];

beforeAll(async () => {
  sb = await startSandbox({ bots: { echo_bot: echoBot }, seed: 7 });
});
afterAll(async () => {
  for (const c of clients) await c.destroy().catch(() => undefined);
  await sb.stop();
});

async function connected(session: string, connection?: 'full' | 'abridged' | 'intermediate'): Promise<TelegramClient> {
  const c = clientFor(sb, session, { connection });
  clients.push(c);
  await c.connect();
  return c;
}

describe('sandbox through teleproto', () => {
  test('connect, start, getMe, resolve both demo bots', async () => {
    const u = await sb.createUser({ firstName: 'Ann', username: 'ann_tester' });
    const c = await connected(u.session);
    await c.start({ botAuthToken: '' }); // already authorized: start() only checks updates.getState
    const me = await c.getMe();
    expect(String(me.id)).toBe(u.userId);
    expect(me.username).toBe('ann_tester');
    expect(me.self).toBe(true);
    for (const name of ['canary_bot', 'stable_bot']) {
      const bot = await c.getEntity(name);
      expect(bot).toBeInstanceOf(Api.User);
      expect((bot as Api.User).bot).toBe(true);
      expect((bot as Api.User).username).toBe(name);
    }
    await expect(c.getEntity('nobody_here_bot')).rejects.toThrow();
  });

  test('send, the demo canary thinks (typing), streams drafts, then the reply as a NewMessage event; history', async () => {
    const u = await sb.createUser();
    const c = await connected(u.session);
    const bot = (await c.getEntity('canary_bot')) as Api.User;
    const news: Api.Message[] = [];
    const actions: Api.TypeSendMessageAction[] = [];
    c.addEventHandler((e: NewMessageEvent) => void news.push(e.message), new NewMessage({}));
    c.addEventHandler(
      (upd: Api.TypeUpdate) => void (upd instanceof Api.UpdateUserTyping && actions.push(upd.action)),
      new Raw({ types: [Api.UpdateUserTyping] }),
    );
    const sent = await c.sendMessage(bot, { message: 'tell me a joke' });
    expect(sent.id).toBeGreaterThan(0);
    const reply = await waitFor(() => news.find((m) => m.replyTo?.replyToMsgId === sent.id), 5000, 'reply');
    expect(String((reply.fromId as Api.PeerUser).userId)).toBe(String(bot.id));
    expect(reply.out).toBe(false);
    // typing first, then the growing drafts of one draft (one random_id), each a prefix of the final text
    expect(actions[0]).toBeInstanceOf(Api.SendMessageTypingAction);
    const drafts = actions.filter((a): a is Api.SendMessageTextDraftAction => a instanceof Api.SendMessageTextDraftAction);
    expect(drafts.length).toBeGreaterThanOrEqual(1);
    expect(new Set(drafts.map((d) => String(d.randomId))).size).toBe(1);
    for (const d of drafts) expect(reply.message.startsWith(d.text.text)).toBe(true);
    const history = await c.getMessages(bot, { limit: 10 });
    expect([...history].map((m) => m.id)).toEqual([reply.id, sent.id]);
    expect(history[0]?.message).toBe(reply.message);
    expect(history[1]?.message).toBe('tell me a joke');
    const byId = await c.getMessages(bot, { ids: [sent.id] });
    expect(byId[0]?.message).toBe('tell me a joke');
  });

  test('inline keyboard and callback answer', async () => {
    const u = await sb.createUser();
    const c = await connected(u.session);
    const news: Api.Message[] = [];
    const edits: Api.Message[] = [];
    c.addEventHandler((e: NewMessageEvent) => void news.push(e.message), new NewMessage({}));
    c.addEventHandler((e: EditedMessageEvent) => void edits.push(e.message), new EditedMessage({}));
    await c.sendMessage('stable_bot', { message: 'book a table for 4' });
    const q = await waitFor(() => news.find((m) => m.replyMarkup), 5000, 'question with buttons');
    const markup = q.replyMarkup as Api.ReplyInlineMarkup;
    expect(markup).toBeInstanceOf(Api.ReplyInlineMarkup);
    const button = markup.rows[0]?.buttons[0];
    expect(button).toBeInstanceOf(Api.KeyboardInlineButton);
    const type = button?.type as Api.InlineButtonTypeCallback;
    expect(type).toBeInstanceOf(Api.InlineButtonTypeCallback);
    const answer = await c.invoke(new Api.messages.GetBotCallbackAnswer({ peer: 'stable_bot', msgId: q.id, data: type.data }));
    expect(answer.message).toBe('Booked!');
    const edited = await waitFor(() => edits.find((m) => m.id === q.id), 5000, 'booking edit');
    expect(edited.message).toMatch(/Booked a table for 4/);
    await expect(
      c.invoke(new Api.messages.GetBotCallbackAnswer({ peer: 'stable_bot', msgId: q.id, data: Buffer.from('forged') })),
    ).rejects.toMatchObject({ errorMessage: 'DATA_INVALID' });
  });

  test('two users at once each see only their own chats', async () => {
    const a = await sb.createUser();
    const b = await sb.createUser();
    const ca = await connected(a.session);
    const cb = await connected(b.session);
    const seenA: string[] = [];
    const seenB: string[] = [];
    ca.addEventHandler((e: NewMessageEvent) => void seenA.push(e.message.message), new NewMessage({}));
    cb.addEventHandler((e: NewMessageEvent) => void seenB.push(e.message.message), new NewMessage({}));
    await Promise.all([ca.sendMessage('echo_bot', { message: 'from A' }), cb.sendMessage('echo_bot', { message: 'from B' })]);
    await waitFor(() => (seenA.length && seenB.length ? true : undefined), 5000, 'both replies');
    await new Promise((r) => setTimeout(r, 100));
    expect(seenA).toEqual(['echo: from A']);
    expect(seenB).toEqual(['echo: from B']);
    const histA = await ca.getMessages('echo_bot', { limit: 10 });
    expect([...histA].map((m) => m.message)).toEqual(['echo: from A', 'from A']);
    const histB = await cb.getMessages('echo_bot', { limit: 10 });
    expect([...histB].map((m) => m.message)).toEqual(['echo: from B', 'from B']);
  });

  test.each(['full', 'abridged', 'intermediate'] as const)('transport %s', async (kind) => {
    const u = await sb.createUser();
    const c = await connected(u.session, kind);
    const got: string[] = [];
    c.addEventHandler((e: NewMessageEvent) => void got.push(e.message.message), new NewMessage({}));
    // a long message makes frames above the abridged 1-byte length and the gzip threshold
    const long = 'x'.repeat(3000);
    await c.sendMessage('echo_bot', { message: long });
    await waitFor(() => (got.length ? true : undefined), 5000, 'echo');
    expect(got[0]).toBe(`echo: ${long}`);
    const hist = await c.getMessages('echo_bot', { limit: 5 });
    expect(hist[0]?.message).toBe(`echo: ${long}`);
    const conns = sb.connectionCount(u.userId);
    expect(conns).toBe(1);
  });

  test('an unknown RPC gets an rpc_error naming it, never a hang', async () => {
    const u = await sb.createUser();
    const c = await connected(u.session);
    await expect(c.invoke(new Api.messages.GetStickerSet({ stickerset: new Api.InputStickerSetEmpty(), hash: 0 }))).rejects.toThrow(
      /METHOD_NOT_SUPPORTED_IN_SANDBOX: messages.GetStickerSet/,
    );
    const entry = sb.callLog.find((e) => e.method === 'messages.GetStickerSet');
    expect(entry?.error).toMatch(/METHOD_NOT_SUPPORTED_IN_SANDBOX/);
    expect(entry?.userId).toBe(u.userId);
  });

  test('the call log records method, user and timing', async () => {
    const u = await sb.createUser();
    const c = await connected(u.session);
    await c.getMe();
    const e = sb.callLog.filter((x) => x.userId === u.userId && x.method === 'users.GetUsers');
    expect(e.length).toBeGreaterThan(0);
    expect(e[0]?.durationMs).toBeGreaterThanOrEqual(0);
    expect(e[0]?.at).toBeLessThanOrEqual(Date.now());
  });
});
