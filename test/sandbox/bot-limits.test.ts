/**
 * Telegram's per-chat limits towards bots: new messages per chat, edits of one message, drafts; past them the
 * bot's call rejects with a 429 carrying retry_after, as a Bot API library sees it. Observed from the real
 * teleproto client on the user's side.
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
      // hands its chat to the test, which then calls the bot API as a bot would
      manual_bot: {
        onMessage(_msg, chat) {
          chatOf = chat;
        },
      },
    },
    limits: { messagesPerSecond: 1, messageBurst: 2, editsPerSecond: 1, editBurst: 2, draftsPerSecond: 1, draftBurst: 2 },
  });
});
afterAll(async () => {
  for (const c of clients) await c.destroy().catch(() => undefined);
  await sb.stop();
});

interface Seen {
  c: TelegramClient;
  userId: string;
  chat: BotChat;
  news: Api.Message[];
  edits: Api.Message[];
}

async function user(): Promise<Seen> {
  const u = await sb.createUser();
  const c = clientFor(sb, u.session);
  clients.push(c);
  await c.connect();
  const s = { c, userId: u.userId, news: [] as Api.Message[], edits: [] as Api.Message[] };
  c.addEventHandler((e: NewMessageEvent) => void s.news.push(e.message), new NewMessage({ incoming: true }));
  c.addEventHandler((e: EditedMessageEvent) => void s.edits.push(e.message), new EditedMessage({}));
  chatOf = undefined;
  await c.sendMessage('manual_bot', { message: 'hello' });
  const chat = await waitFor(() => chatOf, 5000, 'the bot got the message');
  return { ...s, chat };
}

interface BotApiErr {
  code?: number;
  retryAfter?: number;
  description?: string;
  parameters?: { retry_after?: number };
  message?: string;
}
const failure = async (p: Promise<unknown>): Promise<BotApiErr | undefined> =>
  p.then(
    () => undefined,
    (e: unknown) => e as BotApiErr,
  );
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('rate limits per chat', () => {
  test('messages: a burst of 2 passes, the 3rd gets 429 retry_after 1; after retry_after it passes', async () => {
    const s = await user();
    await s.chat.reply('one');
    await s.chat.reply('two');
    const err = await failure(s.chat.reply('three'));
    expect(err).toBeInstanceOf(Error);
    expect(err?.code).toBe(429);
    expect(err?.retryAfter).toBe(1);
    expect(err?.parameters?.retry_after).toBe(1);
    expect(err?.description).toBe('Too Many Requests: retry after 1');
    expect(err?.message).toBe('Too Many Requests: retry after 1');
    await waitFor(() => (s.news.length >= 2 ? true : undefined), 3000, 'two messages');
    await sleep(100);
    expect(s.news.map((m) => m.message)).toEqual(['one', 'two']); // the rejected one was never sent
    expect(sb.callLog.some((e) => e.method === 'bot.sendMessage' && e.userId === s.userId && e.error === '429 retry after 1')).toBe(true);
    await sleep(1000 * (err?.retryAfter ?? 1)); // as a Bot API library's auto-retry does
    await s.chat.reply('three');
    await waitFor(() => (s.news.length >= 3 ? true : undefined), 3000, 'the retried message');
    expect(s.news.map((m) => m.message)).toEqual(['one', 'two', 'three']);
  });

  test('after the burst, messages at the sustained rate (1/s) are never rejected', async () => {
    const s = await user();
    await s.chat.reply('burst 0');
    await s.chat.reply('burst 1'); // the bucket is empty now
    for (let i = 2; i < 4; i++) {
      await sleep(1010);
      await s.chat.reply(`paced ${i}`);
    }
    await waitFor(() => (s.news.length >= 4 ? true : undefined), 3000, 'four messages');
    expect(sb.callLog.filter((e) => e.method === 'bot.sendMessage' && e.userId === s.userId && e.error)).toHaveLength(0);
  });

  test('edits are limited per message: the 3rd quick edit of one message is a 429, another message is its own budget', async () => {
    const s = await user();
    const a = await s.chat.reply('a0');
    const b = await s.chat.reply('b0');
    await s.chat.edit(a, 'a1');
    await s.chat.edit(a, 'a2');
    const err = await failure(s.chat.edit(a, 'a3'));
    expect(err?.code).toBe(429);
    expect(err?.retryAfter).toBeGreaterThanOrEqual(1);
    await s.chat.edit(b, 'b1'); // a different message: not limited by a's edits
    await waitFor(() => (s.edits.length >= 3 ? true : undefined), 3000, 'three edits');
    await sleep(100);
    expect(s.edits.map((m) => m.message)).toEqual(['a1', 'a2', 'b1']);
    const hist = await s.c.getMessages('manual_bot', { ids: [a] });
    expect(hist[0]?.message).toBe('a2');
  });

  test('an edit that changes nothing is a 400 "message is not modified", not an update', async () => {
    const s = await user();
    const a = await s.chat.reply('same');
    const err = await failure(s.chat.edit(a, 'same'));
    expect(err?.code).toBe(400);
    expect(err?.description).toMatch(/^Bad Request: message is not modified/);
    await sleep(150);
    expect(s.edits).toHaveLength(0);
  });

  test('drafts are limited like edits', async () => {
    const s = await user();
    await s.chat.draft('d1');
    await s.chat.draft('d1 d2');
    const err = await failure(s.chat.draft('d1 d2 d3'));
    expect(err?.code).toBe(429);
    expect(err?.description).toMatch(/^Too Many Requests: retry after \d+$/);
    expect(sb.callLog.filter((e) => e.method === 'bot.sendMessageDraft' && e.userId === s.userId).map((e) => e.error ?? 'ok')).toEqual(['ok', 'ok', '429 retry after 1']);
  });

  test('a rate_limit fault tightens the limits while it lasts (burst 1, one every 4 s → retry_after 4)', async () => {
    const s = await user();
    sb.faults.add({ kind: 'rate_limit', bot: 'manual_bot', perSecond: 0.25, burst: 1, forMs: 60_000 });
    try {
      await s.chat.reply('first');
      const err = await failure(s.chat.reply('second'));
      expect(err?.code).toBe(429);
      expect(err?.retryAfter).toBe(4);
      expect(sb.callLog.some((e) => e.method === 'bot.sendMessage' && e.userId === s.userId && e.fault === 'rate_limit')).toBe(true);
    } finally {
      sb.faults.clear();
    }
  });
});

describe('limits configuration', () => {
  test('defaults are Telegram’s (1 message/s per chat, 1 edit/s per message, 10 s button window)', async () => {
    const other = await startSandbox({});
    try {
      expect(other.limits.messagesPerSecond).toBe(1);
      expect(other.limits.editsPerSecond).toBe(1);
      expect(other.limits.callbackTimeoutMs).toBe(10_000);
      expect(other.limits.draftExpiresMs).toBe(30_000);
    } finally {
      await other.stop();
    }
  });

  test('a bad value is a config error naming the field', async () => {
    await expect(startSandbox({ limits: { messagesPerSecond: -1 } })).rejects.toMatchObject({ code: 'SANDBOX_BAD_LIMITS', message: expect.stringContaining('messagesPerSecond') });
  });

  test('a rate_limit fault without perSecond or burst is rejected with its path', () => {
    expect(() => sb.faults.add({ kind: 'rate_limit', bot: 'manual_bot' })).toThrow(/perSecond/);
  });
});
