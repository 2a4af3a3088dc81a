/**
 * pts per user, updates.getDifference with new messages AND other updates (edits, deletions), slices,
 * differenceTooLong, and the faults that make a client recover: a dropped push and updatesTooLong, recovered by
 * teleproto's own update manager (a pts gap → 1 s → getDifference) while connected.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Api, type TelegramClient } from 'teleproto';
import { NewMessage, type NewMessageEvent } from 'teleproto/events/index.js';
import { EditedMessage, type EditedMessageEvent } from 'teleproto/events/EditedMessage.js';
import { startSandbox, type Sandbox } from '@tg-canary/sandbox';
import type { BotChat } from '@tg-canary/sandbox';
import { clientFor, waitFor } from './helpers.js';

let sb: Sandbox;
const clients: TelegramClient[] = [];
let chatOf: BotChat | undefined;

beforeAll(async () => {
  sb = await startSandbox({
    bots: {
      manual_bot: {
        async onMessage(msg, chat) {
          chatOf = chat;
          if (msg.text.startsWith('echo ')) await chat.reply(`echo: ${msg.text.slice(5)}`);
        },
      },
    },
    // this file is about pts, not pacing; a small log and page to reach slices and differenceTooLong quickly
    limits: { messagesPerSecond: Infinity, editsPerSecond: Infinity, differenceLimit: 3, updateLogSize: 12 },
  });
});
afterAll(async () => {
  for (const c of clients) await c.destroy().catch(() => undefined);
  await sb.stop();
});

interface Seen {
  c: TelegramClient;
  userId: string;
  bot: Api.User;
  news: Api.Message[];
  edits: Api.Message[];
}

async function user(): Promise<Seen> {
  const u = await sb.createUser();
  const c = clientFor(sb, u.session);
  clients.push(c);
  await c.connect();
  const s: Seen = { c, userId: u.userId, bot: (await c.getEntity('manual_bot')) as Api.User, news: [], edits: [] };
  c.addEventHandler((e: NewMessageEvent) => void s.news.push(e.message), new NewMessage({ incoming: true }));
  c.addEventHandler((e: EditedMessageEvent) => void s.edits.push(e.message), new EditedMessage({}));
  await waitFor(() => (sb.callLog.some((e) => e.userId === u.userId && e.method === 'updates.GetState') ? true : undefined), 3000, 'getState');
  return s;
}

/** The user says something; the bot's chat for the test to drive. */
async function talk(s: Seen, text: string): Promise<BotChat> {
  chatOf = undefined;
  await s.c.sendMessage(s.bot, { message: text });
  return waitFor(() => chatOf, 5000, 'the bot got the message');
}

const diffCalls = (s: Seen): number => sb.callLog.filter((e) => e.userId === s.userId && e.method === 'updates.GetDifference').length;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const getDiff = (s: Seen, pts: number, extra: { ptsTotalLimit?: number } = {}): Promise<Api.updates.TypeDifference> =>
  s.c.invoke(new Api.updates.GetDifference({ pts, date: Math.floor(Date.now() / 1000), qts: 0, ...extra }));

describe('pts per user', () => {
  test('each box change advances pts by its pts_count, in the pushes and in updates.getState', async () => {
    const s = await user();
    const before = (await s.c.invoke(new Api.updates.GetState())).pts;
    const chat = await talk(s, 'hi'); // +1 (outgoing)
    const a = await chat.reply('a'); // +1
    const b = await chat.reply('b'); // +1
    await chat.edit(a, 'a2'); // +1
    await chat.delete(a); // deletions by the bot: +1 each
    await chat.delete(b);
    const after = (await s.c.invoke(new Api.updates.GetState())).pts;
    expect(after - before).toBe(6);
    const pushes = sb.callLog.filter((e) => e.userId === s.userId && e.method.startsWith('push.') && e.pts !== undefined);
    expect(pushes.map((e) => [e.method, e.pts, e.ptsCount])).toEqual([
      ['push.UpdateShortMessage', before + 2, 1],
      ['push.UpdateShortMessage', before + 3, 1],
      ['push.Updates', before + 4, 1],
      ['push.Updates', before + 5, 1],
      ['push.Updates', before + 6, 1],
    ]);
  });

  test('a user deleting two messages: affectedMessages pts_count 2, teleproto stays in step (no getDifference)', async () => {
    const s = await user();
    const chat = await talk(s, 'one');
    await chat.reply('two');
    await waitFor(() => s.news[0], 3000, 'the reply');
    const hist = await s.c.getMessages(s.bot, { limit: 2 });
    const st0 = (await s.c.invoke(new Api.updates.GetState())).pts;
    await s.c.deleteMessages(s.bot, [...hist].map((m) => m.id), { revoke: true });
    expect((await s.c.invoke(new Api.updates.GetState())).pts).toBe(st0 + 2);
    await chat.reply('three'); // the next push is in sequence: no gap
    await waitFor(() => s.news.find((m) => m.message === 'three'), 3000, 'the next reply');
    await sleep(1200);
    expect(diffCalls(s)).toBe(0);
  });
});

describe('updates.getDifference', () => {
  test('returns new messages with their current text, edits of older messages and deletions as other_updates', async () => {
    const s = await user();
    const chat = await talk(s, 'start');
    const old = await chat.reply('old');
    const p0 = (await s.c.invoke(new Api.updates.GetState())).pts;
    await chat.edit(old, 'old, edited');
    const fresh = await chat.reply('fresh');
    await chat.edit(fresh, 'fresh, edited'); // a new message's edit is folded into it
    const gone = await chat.reply('gone');
    await chat.delete(gone);
    // page size is 3 here: read the whole difference, slice by slice, as a client does
    const changes: { msgs: Api.Message[]; others: Api.TypeUpdate[] } = { msgs: [], others: [] };
    let pts = p0;
    let kinds: string[] = [];
    for (let i = 0; i < 5; i++) {
      const d = await getDiff(s, pts);
      kinds.push(d.className);
      if (d instanceof Api.updates.DifferenceEmpty) break;
      if (!(d instanceof Api.updates.Difference || d instanceof Api.updates.DifferenceSlice)) throw new Error(d.className);
      changes.msgs.push(...d.newMessages.filter((m): m is Api.Message => m instanceof Api.Message));
      changes.others.push(...d.otherUpdates);
      expect(d.users.some((u) => String(u.id) === String(s.bot.id))).toBe(true);
      if (d instanceof Api.updates.Difference) {
        pts = d.state.pts;
        break;
      }
      pts = d.intermediateState.pts;
    }
    kinds = kinds.filter((k) => k !== 'updates.DifferenceEmpty');
    expect(kinds).toEqual(['updates.DifferenceSlice', 'updates.Difference']); // 5 changes, 3 a page
    expect(pts).toBe((await s.c.invoke(new Api.updates.GetState())).pts);
    expect(changes.msgs.map((m) => m.message)).toEqual(['fresh, edited']);
    const edit = changes.others.find((u): u is Api.UpdateEditMessage => u instanceof Api.UpdateEditMessage);
    expect((edit?.message as Api.Message | undefined)?.message).toBe('old, edited');
    expect(changes.others.filter((u) => u instanceof Api.UpdateEditMessage)).toHaveLength(1);
    const del = changes.others.find((u): u is Api.UpdateDeleteMessages => u instanceof Api.UpdateDeleteMessages);
    expect(del?.messages).toEqual([gone]);
    expect(await getDiff(s, pts)).toBeInstanceOf(Api.updates.DifferenceEmpty);
  });

  test('differenceTooLong when the box no longer reaches back (log of 12) or past the client’s pts_total_limit', async () => {
    const s = await user();
    const chat = await talk(s, 'start');
    const p0 = (await s.c.invoke(new Api.updates.GetState())).pts;
    const tooLong = await getDiff(s, p0 - 1, { ptsTotalLimit: 0 });
    expect(tooLong).not.toBeInstanceOf(Api.updates.DifferenceTooLong); // 1 behind: fine
    for (let i = 0; i < 4; i++) await chat.reply(`m${i}`);
    const limited = await getDiff(s, p0, { ptsTotalLimit: 2 });
    expect(limited).toBeInstanceOf(Api.updates.DifferenceTooLong);
    for (let i = 0; i < 12; i++) await chat.reply(`n${i}`);
    const d = await getDiff(s, p0);
    expect(d).toBeInstanceOf(Api.updates.DifferenceTooLong);
    expect((d as Api.updates.DifferenceTooLong).pts).toBe((await s.c.invoke(new Api.updates.GetState())).pts);
  });
});

describe('recovery by teleproto', () => {
  test('drop_push of a bot reply: teleproto sees the pts gap at the next update and gets it by getDifference', async () => {
    const s = await user();
    sb.faults.add({ kind: 'drop_push', bot: 'manual_bot', times: 1 });
    await talk(s, 'echo lost');
    await sleep(300);
    expect(s.news).toHaveLength(0); // lost on the wire
    expect(diffCalls(s)).toBe(0); // nothing tells the client yet
    await s.c.sendMessage(s.bot, { message: 'echo next' }); // its pts shows the gap
    await waitFor(() => (s.news.length >= 2 ? true : undefined), 4000, 'both replies');
    expect(s.news.map((m) => m.message)).toEqual(['echo: lost', 'echo: next']);
    expect(diffCalls(s)).toBeGreaterThanOrEqual(1);
    const drop = sb.callLog.findIndex((e) => e.userId === s.userId && e.fault === 'drop_push');
    const diff = sb.callLog.findIndex((e) => e.userId === s.userId && e.method === 'updates.GetDifference');
    expect(diff).toBeGreaterThan(drop);
  });

  test('drop_push of a final edit: recovered as an edit (EditedMessage) by getDifference, history agrees', async () => {
    const s = await user();
    const chat = await talk(s, 'stream please');
    const id = await chat.reply('Thinking…');
    await chat.edit(id, 'The answer');
    await waitFor(() => (s.edits.length >= 1 ? true : undefined), 3000, 'first edit');
    sb.faults.add({ kind: 'drop_push', bot: 'manual_bot', times: 1 });
    await chat.edit(id, 'The answer is 42.');
    await sleep(300);
    expect(s.edits.map((m) => m.message)).toEqual(['The answer']);
    await chat.reply('Anything else?'); // the next change reveals the gap
    const final = await waitFor(() => s.edits.find((m) => m.message === 'The answer is 42.'), 4000, 'the recovered final edit');
    expect(final.id).toBe(id);
    expect(diffCalls(s)).toBeGreaterThanOrEqual(1);
    expect(s.news.map((m) => m.message)).toEqual(['Thinking…', 'Anything else?']);
  });

  test('drop_push with update: edit drops only the edit; the message before it and the typing still arrive', async () => {
    const s = await user();
    const chat = await talk(s, 'go');
    sb.faults.add({ kind: 'drop_push', bot: 'manual_bot', update: 'edit', times: 1 });
    await chat.typing();
    const id = await chat.reply('v1');
    await chat.edit(id, 'v2');
    await waitFor(() => s.news[0], 3000, 'the message');
    await sleep(300);
    expect(s.edits).toHaveLength(0);
    const pushes = sb.callLog.filter((e) => e.userId === s.userId && e.method.startsWith('push.'));
    expect(pushes.map((e) => `${e.method}${e.fault ? ` ${e.fault}` : ''}`)).toEqual(['push.UpdateShort', 'push.UpdateShortMessage', 'push.Updates drop_push']);
  });

  test('updates_too_long instead of a push: teleproto calls getDifference at once and gets the reply', async () => {
    const s = await user();
    sb.faults.add({ kind: 'updates_too_long', bot: 'manual_bot', times: 1 });
    const t0 = Date.now();
    await talk(s, 'echo urgent');
    const m = await waitFor(() => s.news[0], 3000, 'the reply');
    expect(m.message).toBe('echo: urgent');
    expect(Date.now() - t0).toBeLessThan(900); // no 1 s gap wait: updatesTooLong asks for the difference now
    expect(sb.callLog.some((e) => e.userId === s.userId && e.method === 'push.UpdatesTooLong' && e.fault === 'updates_too_long')).toBe(true);
    expect(diffCalls(s)).toBe(1);
  });
});
