/**
 * Button presses as Telegram handles them: the user's messages.getBotCallbackAnswer waits for the bot's answer
 * (answerCallbackQuery) for a window; a bot that does not answer in it → BOT_RESPONSE_TIMEOUT. A late edit by
 * the bot still arrives. Through the real teleproto client, with a short window.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Api, errors, type TelegramClient } from 'teleproto';
import { NewMessage, type NewMessageEvent } from 'teleproto/events/index.js';
import { EditedMessage, type EditedMessageEvent } from 'teleproto/events/EditedMessage.js';
import { startSandbox, type Sandbox } from '@tg-canary/sandbox';
import type { BotModule } from '@tg-canary/sandbox';
import { clientFor, waitFor } from './helpers.js';

const WINDOW_MS = 400;
const keyboard = { buttons: [[{ text: 'Go', data: 'go' }]] };

const quiet: BotModule = {
  async onMessage(msg, chat) {
    await chat.reply('Press it', { ...keyboard, replyTo: msg.id });
  },
};

let sb: Sandbox;
const clients: TelegramClient[] = [];

beforeAll(async () => {
  sb = await startSandbox({
    limits: { callbackTimeoutMs: WINDOW_MS },
    bots: {
      // answers at once, like a bot calling answerCallbackQuery first
      prompt_bot: { ...quiet, onCallback: async () => 'Going!' },
      // no onCallback: never calls answerCallbackQuery
      mute_bot: quiet,
      // works longer than the window, then edits the message
      slow_bot: {
        ...quiet,
        async onCallback(_data, chat, messageId) {
          await chat.sleep(WINDOW_MS + 300);
          await chat.edit(messageId, 'Done, late');
          return 'too late';
        },
      },
      // crashes on the press: never answers either
      crash_bot: {
        ...quiet,
        onCallback() {
          throw new Error('boom');
        },
      },
    },
  });
});
afterAll(async () => {
  for (const c of clients) await c.destroy().catch(() => undefined);
  await sb.stop();
});

async function promptFrom(bot: string): Promise<{ c: TelegramClient; msg: Api.Message; edits: Api.Message[] }> {
  const u = await sb.createUser();
  const c = clientFor(sb, u.session);
  clients.push(c);
  await c.connect();
  const news: Api.Message[] = [];
  const edits: Api.Message[] = [];
  c.addEventHandler((e: NewMessageEvent) => void news.push(e.message), new NewMessage({ incoming: true }));
  c.addEventHandler((e: EditedMessageEvent) => void edits.push(e.message), new EditedMessage({}));
  await c.sendMessage(bot, { message: 'hi' });
  const msg = await waitFor(() => news[0], 5000, `${bot}'s keyboard`);
  return { c, msg, edits };
}

const press = (c: TelegramClient, bot: string, msgId: number): Promise<Api.messages.BotCallbackAnswer> =>
  c.invoke(new Api.messages.GetBotCallbackAnswer({ peer: bot, msgId, data: Buffer.from('go') }));

describe('button presses', () => {
  test('a bot that answers in the window: the answer text, at once', async () => {
    const { c, msg } = await promptFrom('prompt_bot');
    const t0 = Date.now();
    const answer = await press(c, 'prompt_bot', msg.id);
    expect(answer.message).toBe('Going!');
    expect(Date.now() - t0).toBeLessThan(WINDOW_MS);
  });

  test('a bot with no onCallback never answers → BOT_RESPONSE_TIMEOUT (400) after the window', async () => {
    const { c, msg } = await promptFrom('mute_bot');
    const t0 = Date.now();
    const err = await press(c, 'mute_bot', msg.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(errors.RPCError);
    expect((err as errors.RPCError).errorMessage).toBe('BOT_RESPONSE_TIMEOUT');
    expect((err as errors.RPCError).code).toBe(400);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(WINDOW_MS - 20);
  });

  test('a bot slower than the window → BOT_RESPONSE_TIMEOUT, and its later edit still arrives', async () => {
    const { c, msg, edits } = await promptFrom('slow_bot');
    const err = await press(c, 'slow_bot', msg.id).catch((e: unknown) => e);
    expect((err as errors.RPCError).errorMessage).toBe('BOT_RESPONSE_TIMEOUT');
    const edit = await waitFor(() => edits.find((m) => m.id === msg.id), 3000, 'the late edit');
    expect(edit.message).toBe('Done, late');
  });

  test('a bot that throws on the press never answers → BOT_RESPONSE_TIMEOUT', async () => {
    const { c, msg } = await promptFrom('crash_bot');
    const err = await press(c, 'crash_bot', msg.id).catch((e: unknown) => e);
    expect((err as errors.RPCError).errorMessage).toBe('BOT_RESPONSE_TIMEOUT');
  });
});
