/**
 * Typing and drafts (Bot API 9.5 sendMessageDraft) as the real teleproto client receives them: updateUserTyping
 * with sendMessageTypingAction / sendMessageTextDraftAction {random_id, text}.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Api, type TelegramClient } from 'teleproto';
import { NewMessage, Raw, type NewMessageEvent } from 'teleproto/events/index.js';
import { startSandbox, type Sandbox } from '@tg-canary/sandbox';
import type { BotChat } from '@tg-canary/sandbox';
import { clientFor, waitFor } from './helpers.js';

let sb: Sandbox;
const clients: TelegramClient[] = [];
/** The chat the drafting bot saw last, to drive it from the test. */
let lastChat: BotChat | undefined;

beforeAll(async () => {
  sb = await startSandbox({
    bots: {
      typer_bot: {
        async onMessage(msg, chat) {
          await chat.typing();
          await chat.sleep(50);
          await chat.typing();
          await chat.reply(`typed: ${msg.text}`);
        },
      },
      drafter_bot: {
        async onMessage(msg, chat) {
          lastChat = chat;
          if (msg.text === 'hold') return; // the test drives this chat
          await chat.draft('The');
          await chat.draft('The answer');
          await chat.draft('The answer is 42');
          await chat.reply('The answer is 42.');
          if (msg.text === 'twice') {
            await chat.draft('Second');
            await chat.reply('Second thought.');
          }
        },
      },
    },
    // drafts faster than the default 1/s here: this file is about their shape, the limits have their own tests
    limits: { draftsPerSecond: 100, draftBurst: 10, draftExpiresMs: 300 },
  });
});
afterAll(async () => {
  for (const c of clients) await c.destroy().catch(() => undefined);
  await sb.stop();
});

interface Seen {
  c: TelegramClient;
  actions: { from: string; action: Api.TypeSendMessageAction; at: number }[];
  news: Api.Message[];
}

async function user(): Promise<Seen> {
  const u = await sb.createUser();
  const c = clientFor(sb, u.session);
  clients.push(c);
  await c.connect();
  const s: Seen = { c, actions: [], news: [] };
  c.addEventHandler(
    (upd: Api.TypeUpdate) => {
      if (upd instanceof Api.UpdateUserTyping) s.actions.push({ from: String(upd.userId), action: upd.action, at: Date.now() });
    },
    new Raw({ types: [Api.UpdateUserTyping] }),
  );
  c.addEventHandler((e: NewMessageEvent) => void s.news.push(e.message), new NewMessage({}));
  return s;
}

const drafts = (s: Seen): Api.SendMessageTextDraftAction[] =>
  s.actions.map((a) => a.action).filter((a): a is Api.SendMessageTextDraftAction => a instanceof Api.SendMessageTextDraftAction);

describe('typing', () => {
  test('chat.typing() reaches the user as updateUserTyping(sendMessageTypingAction) from the bot, each call re-pushed', async () => {
    const s = await user();
    const bot = (await s.c.getEntity('typer_bot')) as Api.User;
    await s.c.sendMessage(bot, { message: 'hi' });
    const reply = await waitFor(() => s.news.find((m) => m.message === 'typed: hi'), 5000, 'reply');
    await waitFor(() => (s.actions.length >= 2 ? true : undefined), 2000, 'two typing updates');
    expect(s.actions).toHaveLength(2);
    for (const a of s.actions) {
      expect(a.action).toBeInstanceOf(Api.SendMessageTypingAction);
      expect(a.from).toBe(String(bot.id));
    }
    expect(reply.out).toBe(false);
    expect(sb.callLog.filter((e) => e.method === 'bot.sendChatAction' && e.botId === String(bot.id))).toHaveLength(2);
  });
});

describe('drafts', () => {
  test('chat.draft() streams sendMessageTextDraftAction {random_id, text}; one draft keeps its random_id; reply ends it', async () => {
    const s = await user();
    const bot = (await s.c.getEntity('drafter_bot')) as Api.User;
    await s.c.sendMessage(bot, { message: 'twice' });
    await waitFor(() => s.news.find((m) => m.message === 'Second thought.'), 5000, 'second reply');
    const d = drafts(s);
    expect(d.map((a) => a.text.text)).toEqual(['The', 'The answer', 'The answer is 42', 'Second']);
    expect(s.actions.every((a) => a.from === String(bot.id))).toBe(true);
    const ids = d.map((a) => String(a.randomId));
    expect(ids[0]).not.toBe('undefined');
    expect(new Set(ids.slice(0, 3)).size).toBe(1); // one draft, one random_id
    expect(ids[3]).not.toBe(ids[0]); // the reply ended it: the next draft is a new one
    expect(d[0]?.text).toBeInstanceOf(Api.TextWithEntities);
    expect(s.news.map((m) => m.message)).toEqual(['The answer is 42.', 'Second thought.']);
    // drafts are not messages: history holds only the sent ones
    const hist = await s.c.getMessages(bot, { limit: 10 });
    expect([...hist].map((m) => m.message)).toEqual(['Second thought.', 'The answer is 42.', 'twice']);
  });

  test('an unfinished draft just expires: after draftExpiresMs the next draft gets a new random_id, nothing is sent', async () => {
    const s = await user();
    const bot = (await s.c.getEntity('drafter_bot')) as Api.User;
    lastChat = undefined;
    await s.c.sendMessage(bot, { message: 'hold' });
    const chat = await waitFor(() => lastChat, 5000, 'the bot saw the message');
    await chat.draft('Half a thou');
    await chat.draft('Half a thought');
    await new Promise((r) => setTimeout(r, 400)); // > draftExpiresMs (300 here)
    await chat.draft('A new one');
    await waitFor(() => (drafts(s).length >= 3 ? true : undefined), 2000, 'three drafts');
    const ids = drafts(s).map((a) => String(a.randomId));
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
    expect(s.news).toHaveLength(0);
    const hist = await s.c.getMessages(bot, { limit: 10 });
    expect([...hist].map((m) => m.message)).toEqual(['hold']);
  });

  test('an empty draft is a 400 Bad Request for the bot, not an update', async () => {
    const s = await user();
    lastChat = undefined;
    await s.c.sendMessage('drafter_bot', { message: 'hold' });
    const chat = await waitFor(() => lastChat, 5000, 'the bot saw the message');
    const err = (await chat.draft('  ').catch((e: unknown) => e)) as { code?: number; description?: string };
    expect(err.code).toBe(400);
    expect(err.description).toMatch(/^Bad Request: /);
    await new Promise((r) => setTimeout(r, 100));
    expect(drafts(s)).toHaveLength(0);
  });
});
