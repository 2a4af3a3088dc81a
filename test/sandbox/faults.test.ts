/**
 * Each fault kind observed from the real gramjs client as what it is.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Api, errors, type TelegramClient } from 'teleproto';
import { NewMessage, type NewMessageEvent } from 'teleproto/events/index.js';
import { EditedMessage, type EditedMessageEvent } from 'teleproto/events/EditedMessage.js';
import { startSandbox, type Sandbox } from '@tg-canary/sandbox';
import { clientFor, echoBot, waitFor } from './helpers.js';

let sb: Sandbox;
const clients: TelegramClient[] = [];
beforeAll(async () => {
  sb = await startSandbox({
    bots: {
      echo_bot: echoBot,
      long_bot: {
        async onMessage(_m, chat) {
          await chat.reply('one two three four five six seven eight nine ten eleven twelve');
        },
      },
    },
    seed: 1,
  });
});
afterAll(async () => {
  for (const c of clients) await c.destroy().catch(() => undefined);
  await sb.stop();
});

interface Watched {
  c: TelegramClient;
  userId: string;
  news: Api.Message[];
  edits: Api.Message[];
}

async function user(): Promise<Watched> {
  const u = await sb.createUser();
  const c = clientFor(sb, u.session);
  clients.push(c);
  await c.connect();
  const w: Watched = { c, userId: u.userId, news: [], edits: [] };
  c.addEventHandler((e: NewMessageEvent) => void w.news.push(e.message), new NewMessage({}));
  c.addEventHandler((e: EditedMessageEvent) => void w.edits.push(e.message), new EditedMessage({}));
  return w;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('data-center faults', () => {
  test('rpc_error FLOOD_WAIT_7 on messages.sendMessage → FloodWaitError with 7 seconds, once', async () => {
    const w = await user();
    sb.faults.add({ kind: 'rpc_error', method: 'messages.sendMessage', error: 'FLOOD_WAIT_7', times: 1 });
    const err = await w.c.sendMessage('echo_bot', { message: 'hi' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(errors.FloodWaitError);
    expect((err as errors.FloodWaitError).seconds).toBe(7);
    const ok = await w.c.sendMessage('echo_bot', { message: 'hi again' });
    expect(ok.id).toBeGreaterThan(0);
    const logged = sb.callLog.find((e) => e.userId === w.userId && e.fault === 'rpc_error FLOOD_WAIT_7');
    expect(logged?.method).toBe('messages.SendMessage');
  });

  test('rpc_error AUTH_KEY_UNREGISTERED and INTERNAL reach the client as RPC errors', async () => {
    const w = await user();
    sb.faults.add({ kind: 'rpc_error', method: 'users.GetUsers', error: 'AUTH_KEY_UNREGISTERED', times: 1 });
    const e1 = await w.c.getMe().catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(errors.RPCError);
    expect((e1 as errors.RPCError).errorMessage).toBe('AUTH_KEY_UNREGISTERED');
    expect((e1 as errors.RPCError).code).toBe(401);
    sb.faults.add({ kind: 'rpc_error', method: 'messages.GetHistory', error: 'INTERNAL', times: 1 });
    // A 500 INTERNAL is transient for an MTProto client: teleproto retries it, as Telegram's own apps do.
    const before = sb.callLog.filter((e) => e.userId === w.userId && e.method === 'messages.GetHistory').length;
    const msgs = await w.c.getMessages('echo_bot', { limit: 1 });
    expect(msgs).toBeDefined();
    const tries = sb.callLog.filter((e) => e.userId === w.userId && e.method === 'messages.GetHistory').slice(before);
    expect(tries.map((e) => e.error ?? 'ok')).toEqual(['INTERNAL', 'ok']);
    expect(String((await w.c.getMe()).id)).toBe(w.userId);
  });

  test('rpc_delay answers late; rpc_hang never answers while other RPCs still flow', async () => {
    const w = await user();
    sb.faults.add({ kind: 'rpc_delay', method: 'users.GetUsers', ms: 300, times: 1 });
    const t0 = Date.now();
    await w.c.getMe();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);

    sb.faults.add({ kind: 'rpc_hang', method: 'messages.GetHistory', times: 1 });
    let settled = false;
    const hung = w.c.getMessages('echo_bot', { limit: 1 }).then(
      () => (settled = true),
      () => (settled = true),
    );
    await sleep(100);
    const me = await w.c.getMe(); // concurrent RPCs are not blocked by the hung one
    expect(String(me.id)).toBe(w.userId);
    await sleep(600);
    expect(settled).toBe(false);
    void hung;
  });

  test('drop_connection before answering: the client reconnects, retries, history still readable', async () => {
    const w = await user();
    await w.c.sendMessage('echo_bot', { message: 'keep me' });
    await waitFor(() => (w.news.length ? true : undefined), 5000, 'echo');
    sb.faults.add({ kind: 'drop_connection', method: 'messages.GetHistory', when: 'before', times: 1 });
    const hist = await w.c.getMessages('echo_bot', { limit: 10 });
    expect([...hist].map((m) => m.message)).toEqual(['echo: keep me', 'keep me']);
    expect(sb.callLog.filter((e) => e.userId === w.userId && e.method === 'messages.GetHistory').length).toBe(2);
  });

  test('drop_connection after answering: the answer arrives, then the client reconnects', async () => {
    const w = await user();
    sb.faults.add({ kind: 'drop_connection', method: 'users.GetUsers', when: 'after', times: 1 });
    const me = await w.c.getMe();
    expect(String(me.id)).toBe(w.userId);
    await sleep(50);
    const hist = await w.c.getMessages('echo_bot', { limit: 1 });
    expect(hist.length).toBe(0);
    const connIds = new Set(sb.callLog.filter((e) => e.userId === w.userId).map((e) => e.connId));
    expect(connIds.size).toBeGreaterThanOrEqual(2);
  });

  test('drop_push loses the pushed reply; teleproto recovers it by getDifference at the next pts-carrying update', async () => {
    const w = await user();
    sb.faults.add({ kind: 'drop_push', bot: 'echo_bot', times: 1 });
    await w.c.sendMessage('echo_bot', { message: 'lost' });
    await sleep(300);
    expect(w.news).toHaveLength(0);
    const hist = await w.c.getMessages('echo_bot', { limit: 1 });
    expect(hist[0]?.message).toBe('echo: lost');
    const diffs = (): number => sb.callLog.filter((e) => e.userId === w.userId && e.method === 'updates.GetDifference').length;
    expect(diffs()).toBe(0);
    // the next message's pts (and the next reply's) skip the lost one: a gap, 1 s of waiting, getDifference
    await w.c.sendMessage('echo_bot', { message: 'after' });
    await waitFor(() => (w.news.filter((m) => !m.out).length >= 2 ? true : undefined), 4000, 'the lost reply recovered');
    expect(w.news.filter((m) => !m.out).map((m) => m.message)).toEqual(['echo: lost', 'echo: after']);
    expect(diffs()).toBeGreaterThanOrEqual(1);
  });

  test('duplicate_push delivers the same update twice on the wire (teleproto drops the repeat by its pts)', async () => {
    const w = await user();
    sb.faults.add({ kind: 'duplicate_push', bot: 'echo_bot', times: 1 });
    await w.c.sendMessage('echo_bot', { message: 'twice' });
    await waitFor(() => (w.news.length >= 1 ? true : undefined), 5000, 'the push');
    await sleep(300);
    const pushes = sb.callLog.filter((e) => e.userId === w.userId && e.fault === 'duplicate_push');
    expect(pushes).toHaveLength(1);
    expect(w.news.map((m) => m.message)).toEqual(['echo: twice']);
  });

  test('a restart of the data center is survived by a reconnecting client (code and fault)', async () => {
    const w = await user();
    const port = sb.port;
    await sb.restart();
    expect(sb.port).toBe(port);
    expect(String((await w.c.getMe()).id)).toBe(w.userId);
    sb.faults.add({ kind: 'restart', method: 'messages.GetHistory', times: 1, downMs: 100 });
    const hist = await w.c.getMessages('echo_bot', { limit: 1 });
    expect(hist.length).toBe(0);
    expect(sb.callLog.some((e) => e.fault === 'restart')).toBe(true);
  });
});

describe('bot faults', () => {
  test('latency delays the reply', async () => {
    const w = await user();
    sb.faults.add({ kind: 'latency', bot: 'echo_bot', ms: 400, times: 1 });
    const t0 = Date.now();
    await w.c.sendMessage('echo_bot', { message: 'slow' });
    await waitFor(() => (w.news.length ? true : undefined), 5000, 'reply');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(380);
  });

  test('silence: no reply at all', async () => {
    const w = await user();
    sb.faults.add({ kind: 'silence', bot: 'echo_bot', times: 1 });
    await w.c.sendMessage('echo_bot', { message: 'anyone?' });
    await sleep(300);
    expect(w.news).toHaveLength(0);
    expect([...(await w.c.getMessages('echo_bot', { limit: 5 }))].map((m) => m.message)).toEqual(['anyone?']);
  });

  test('error_text replaces the answer', async () => {
    const w = await user();
    sb.faults.add({ kind: 'error_text', bot: 'echo_bot', text: 'Error 500: model overloaded', times: 1 });
    await w.c.sendMessage('echo_bot', { message: 'q' });
    const m = await waitFor(() => w.news[0], 5000, 'reply');
    expect(m.message).toBe('Error 500: model overloaded');
  });

  test('split sends the answer over several messages', async () => {
    const w = await user();
    sb.faults.add({ kind: 'split', bot: 'long_bot', parts: 3, times: 1 });
    await w.c.sendMessage('long_bot', { message: 'q' });
    await waitFor(() => (w.news.length >= 3 ? true : undefined), 5000, 'three parts');
    await sleep(100);
    expect(w.news).toHaveLength(3);
    expect(w.news.map((m) => m.message).join(' ')).toBe('one two three four five six seven eight nine ten eleven twelve');
  });

  test('stream sends the answer as N edits over T ms', async () => {
    const w = await user();
    sb.faults.add({ kind: 'stream', bot: 'long_bot', edits: 4, overMs: 200, times: 1 });
    await w.c.sendMessage('long_bot', { message: 'q' });
    await waitFor(() => (w.edits.length >= 4 ? true : undefined), 5000, 'four edits');
    expect(w.news).toHaveLength(1);
    expect(w.edits.every((e) => e.id === w.news[0]?.id)).toBe(true);
    expect(w.edits.at(-1)?.message).toBe('one two three four five six seven eight nine ten eleven twelve');
    expect((w.news[0]?.message.length ?? 99) < 62).toBe(true);
  });

  test('placeholder is never replaced', async () => {
    const w = await user();
    sb.faults.add({ kind: 'placeholder', bot: 'echo_bot', times: 1 });
    await w.c.sendMessage('echo_bot', { message: 'q' });
    const m = await waitFor(() => w.news[0], 5000, 'placeholder');
    expect(m.message).toBe('Thinking…');
    await sleep(300);
    expect(w.edits).toHaveLength(0);
    expect(w.news).toHaveLength(1);
  });
});
