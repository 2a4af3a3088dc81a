/**
 * An independent client against the sandbox: the unmodified `@mtcute/node` 0.30.3 (layer 227), which nobody here
 * wrote. It is the evidence that the sandbox speaks MTProto and the client's layer, not "whatever teleproto accepts".
 * In-memory storage; the session is the sandbox user's pre-shared auth key, imported through mtcute's own
 * importSession (mtcute's string-session data: DC address, auth key).
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, onTestFailed, test } from 'vitest';
import { MemoryStorage, TelegramClient, type Message, type UserTypingUpdate } from '@mtcute/node';
import { startSandbox, type Sandbox, type SandboxUser } from '@tg-canary/sandbox';
import type { BotChat, BotIncomingMessage } from '@tg-canary/sandbox/bot-contract';
import { createLogger } from '../../src/util/logger.js';
import { waitFor } from './helpers.js';

let sb: Sandbox;
/** The sandbox's log lines (info and up). */
const logLines: string[] = [];
const clients: TelegramClient[] = [];

const mtBot = {
  async onMessage(msg: BotIncomingMessage, chat: BotChat): Promise<void> {
    if (msg.text === 'buttons') {
      await chat.reply('Sure?', { buttons: [[{ text: 'Yes', data: 'yes' }, { text: 'No', data: 'no' }]] });
      return;
    }
    if (msg.text.startsWith('stream ')) {
      // an LLM-style answer: drafts of growing prefixes (sendMessageDraft), then the message, which ends the draft.
      // Telegram allows a burst of 3 drafts per chat, then about 1/s: this bot stays inside it.
      const answer = msg.text.slice('stream '.length);
      for (const prefix of new Set([answer.slice(0, 3), answer.slice(0, -2)])) {
        await chat.draft(prefix);
        await chat.sleep(30);
      }
      await chat.reply(answer);
      return;
    }
    if (msg.text === 'edit gap') {
      // the test drops the push of the (final) edit once it saw the message; the next message shows the gap
      const id = await chat.reply('version 1');
      await chat.sleep(300);
      await chat.edit(id, 'version 2 (final)');
      await chat.sleep(30);
      await chat.reply('anything else?');
      return;
    }
    if (msg.text === 'gap') {
      // two replies without typing: the first push is dropped by the fault, the second one shows the pts gap
      await chat.reply('first of two');
      await chat.sleep(30);
      await chat.reply('second of two');
      return;
    }
    await chat.typing();
    const id = await chat.reply('Thinking…', { replyTo: msg.id });
    await chat.sleep(30);
    await chat.edit(id, `You said: ${msg.text}`);
    await chat.sleep(30);
    await chat.edit(id, `You said: ${msg.text} (done)`);
  },
  async onCallback(data: string, chat: BotChat, messageId: number): Promise<string> {
    await chat.edit(messageId, `Chosen: ${data}`);
    return `Done: ${data}`;
  },
};

beforeAll(async () => {
  const destination = new Writable({
    write(chunk: Buffer, _enc, done): void {
      logLines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  sb = await startSandbox({ bots: { mt_bot: mtBot }, seed: 3, logger: createLogger({ level: 'info', destination }) });
});

afterAll(async () => {
  for (const c of clients) await c.destroy().catch(() => undefined);
  await sb.stop();
});

/** The auth key inside a sandbox StringSession ("1" + base64 of dc, address length, address, port, key). */
function authKeyOf(u: SandboxUser): Buffer {
  const raw = Buffer.from(u.session.slice(1), 'base64');
  const addrLen = raw.readInt16BE(1);
  return raw.subarray(3 + addrLen + 2);
}

interface Watched {
  tg: TelegramClient;
  user: SandboxUser;
  news: Message[];
  edits: Message[];
  typing: UserTypingUpdate[];
}

async function mtcuteUser(opts: { overrideLayer?: number } = {}): Promise<Watched> {
  const user = await sb.createUser({ firstName: 'Mt' });
  const dc = { id: 2, ipAddress: sb.host, port: sb.port };
  const tg = new TelegramClient({
    apiId: sb.apiId,
    apiHash: sb.apiHash,
    storage: new MemoryStorage(),
    defaultDcs: { main: dc, media: dc },
    logLevel: Number(process.env.MTCUTE_LOG ?? 0),
    overrideLayer: opts.overrideLayer,
  });
  clients.push(tg);
  await tg.importSession({ primaryDcs: { main: dc, media: dc }, authKey: authKeyOf(user) });
  const w: Watched = { tg, user, news: [], edits: [], typing: [] };
  // on failure, what the sandbox saw of this user and what it warned about: enough to tell client from server
  onTestFailed(() => {
    const calls = sb.callLog.filter((e) => e.userId === user.userId).map((e) => `${e.method}${e.fault ? ` [${e.fault}]` : ''}${e.error ? ` → ${e.error}` : ''}`);
    console.log(`sandbox calls of user ${user.userId}:\n  ${calls.join('\n  ')}\nsandbox warnings:\n  ${logLines.filter((l) => !l.includes('"level":30')).join('\n  ')}`);
    console.log(`mtcute saw: new ${JSON.stringify(w.news.map((m) => m.text))}, edits ${JSON.stringify(w.edits.map((m) => m.text))}`);
  });
  tg.onNewMessage.add((m) => void w.news.push(m));
  tg.onEditMessage.add((m) => void w.edits.push(m));
  tg.onUserTyping.add((t) => void w.typing.push(t));
  return w;
}

/**
 * mtcute's start(): getMe, then its updates loop in the background (updates.getState, then it listens). Pushes
 * that arrive before it listens are dropped by mtcute (by design: it fetches the difference when it sees a gap), so
 * wait for the loop, as an mtcute application does with its connection-state events.
 */
async function start(w: Watched): Promise<void> {
  await w.tg.start({});
  await waitFor(() => (callsOf(w, 'updates.GetState') > 0 ? true : undefined), 5000, 'mtcute updates.getState');
  await new Promise((r) => setTimeout(r, 50));
}

function callsOf(w: Watched, method: string): number {
  return sb.callLog.filter((e) => e.userId === w.user.userId && e.method === method).length;
}

describe('@mtcute/node 0.30.3 (layer 227) against the sandbox', () => {
  test('getMe, resolve the bot, send, the pushed reply with typing and its edits, history', async () => {
    const w = await mtcuteUser();
    await start(w);
    // the client declared layer 227 and the sandbox translates for it
    expect(logLines.some((l) => l.includes('client at layer 227; answers are re-encoded from layer 229'))).toBe(true);
    const me = await w.tg.getMe();
    expect(String(me.id)).toBe(w.user.userId);
    expect(me.isSelf).toBe(true);
    expect(me.firstName).toBe('Mt');

    const bot = await w.tg.resolveUser('mt_bot');
    expect(bot._).toBe('inputUser');
    const botUser = await w.tg.getUser('mt_bot');
    expect(botUser.isBot).toBe(true);
    expect(botUser.username).toBe('mt_bot');

    const sent = await w.tg.sendText('mt_bot', 'hello from mtcute');
    expect(sent.text).toBe('hello from mtcute');
    const reply = await waitFor(() => w.news.find((m) => m.text === 'Thinking…'), 5000, 'the pushed reply');
    expect(String(reply.sender.id)).toBe(String(botUser.id));
    expect(reply.replyToMessage?.id).toBe(sent.id);
    const final = await waitFor(() => w.edits.find((m) => m.id === reply.id && m.text === 'You said: hello from mtcute (done)'), 5000, 'the last edit');
    expect(final.isOutgoing).toBe(false);
    // both edits, in order, each with its edit date
    expect(w.edits.filter((m) => m.id === reply.id).map((m) => m.text)).toEqual(['You said: hello from mtcute', 'You said: hello from mtcute (done)']);
    expect(final.editDate).toBeInstanceOf(Date);
    const typing = await waitFor(() => w.typing.find((t) => String(t.userId) === String(botUser.id)), 5000, 'the typing update');
    expect(typing.status).toBe('typing');

    const history = await w.tg.getHistory('mt_bot', { limit: 10 });
    const texts = history.map((m) => m.text);
    expect(texts).toContain('hello from mtcute');
    expect(texts).toContain('You said: hello from mtcute (done)');

    // mtcute asks for future salts and gets them (a bare future_salts, not an rpc_error), and no call failed
    const failed = sb.callLog.filter((e) => e.userId === w.user.userId && e.error);
    expect(failed).toEqual([]);
    expect(sb.connectionCount(w.user.userId)).toBe(1);
  });

  test('drafts: sendMessageTextDraftAction in layer 227, one random_id per draft, the message ends it', async () => {
    const w = await mtcuteUser();
    await start(w);
    const drafts = (): { randomId: string; text: string }[] =>
      w.typing.flatMap((t) => (t.raw.action._ === 'sendMessageTextDraftAction' ? [{ randomId: t.raw.action.randomId.toString(), text: t.raw.action.text.text }] : []));
    await w.tg.sendText('mt_bot', 'stream Hello world');
    await waitFor(() => w.news.find((m) => m.text === 'Hello world'), 5000, 'the streamed answer');
    const first = drafts();
    expect(first.map((d) => d.text)).toEqual(['Hel', 'Hello wor']);
    expect(new Set(first.map((d) => d.randomId)).size).toBe(1);
    expect(w.typing.every((t) => t.status === 'typing' && String(t.userId) === String(w.news[0]?.sender.id))).toBe(true);

    // the next answer is a new draft: a new random_id
    await w.tg.sendText('mt_bot', 'stream Fine.');
    await waitFor(() => w.news.find((m) => m.text === 'Fine.'), 5000, 'the second answer');
    const second = drafts().slice(first.length);
    expect(second.map((d) => d.text)).toEqual(['Fin']);
    expect(second[0]?.randomId).not.toBe(first[0]?.randomId);
  });

  test('an inline button: the keyboard arrives in layer-227 shape, the press gets the answer and the edit', async () => {
    const w = await mtcuteUser();
    await start(w);
    await w.tg.sendText('mt_bot', 'buttons');
    const menu = await waitFor(() => w.news.find((m) => m.text === 'Sure?'), 5000, 'the keyboard message');
    const markup = menu.markup;
    expect(markup?.type).toBe('inline');
    const buttons = markup?.type === 'inline' ? markup.buttons.flat() : [];
    expect(buttons.map((b) => [b._, b.text])).toEqual([
      ['keyboardButtonCallback', 'Yes'],
      ['keyboardButtonCallback', 'No'],
    ]);
    const yes = buttons[0];
    const data = yes && yes._ === 'keyboardButtonCallback' ? yes.data : new Uint8Array();
    expect(Buffer.from(data).toString()).toBe('yes');

    const answer = await w.tg.getCallbackAnswer({ chatId: 'mt_bot', message: menu.id, data });
    expect(answer.message).toBe('Done: yes');
    await waitFor(() => w.edits.find((m) => m.id === menu.id && m.text === 'Chosen: yes'), 5000, 'the edit after the press');
  });

  test('a dropped push is recovered by mtcute itself through updates.getDifference', async () => {
    const w = await mtcuteUser();
    await start(w);
    await w.tg.sendText('mt_bot', 'warm up');
    await waitFor(() => w.edits.find((m) => m.text === 'You said: warm up (done)'), 5000, 'the warm-up edit');
    const before = callsOf(w, 'updates.GetDifference');

    sb.faults.add({ kind: 'drop_push', bot: 'mt_bot', times: 1 });
    await w.tg.sendText('mt_bot', 'gap');
    await waitFor(() => w.news.find((m) => m.text === 'second of two'), 5000, 'the second reply');
    const first = await waitFor(() => w.news.find((m) => m.text === 'first of two'), 5000, 'the dropped reply, recovered');
    expect(sb.callLog.some((e) => e.method === 'push.UpdateShortMessage' && e.fault === 'drop_push' && e.userId === w.user.userId)).toBe(true);
    expect(callsOf(w, 'updates.GetDifference')).toBeGreaterThan(before);
    expect(first.id).toBeLessThan((w.news.find((m) => m.text === 'second of two') as Message).id);
  });

  test('a dropped final edit is recovered through getDifference (other_updates, in layer 227)', async () => {
    const w = await mtcuteUser();
    await start(w);
    const before = callsOf(w, 'updates.GetDifference');
    await w.tg.sendText('mt_bot', 'edit gap');
    await waitFor(() => w.news.find((m) => m.text === 'version 1'), 5000, 'the first version');
    sb.faults.add({ kind: 'drop_push', bot: 'mt_bot', times: 1 });
    await waitFor(() => w.news.find((m) => m.text === 'anything else?'), 5000, 'the next message');
    // getDifference returns the edited message's current state in other_updates, as Telegram does
    const recovered = await waitFor(() => w.edits.find((m) => m.text === 'version 2 (final)'), 5000, 'the dropped edit, recovered');
    expect(recovered.id).toBe((w.news.find((m) => m.text === 'version 1') as Message).id);
    expect(sb.callLog.some((e) => e.method === 'push.Updates' && e.fault === 'drop_push' && e.userId === w.user.userId)).toBe(true);
    expect(callsOf(w, 'updates.GetDifference')).toBeGreaterThan(before);
  });

  test('a client declaring a layer the sandbox does not serve gets LAYER_NOT_SUPPORTED_IN_SANDBOX, no reconnect loop', async () => {
    const w = await mtcuteUser({ overrideLayer: 198 });
    const err = await w.tg.connect().then(
      () => w.tg.getMe(),
    ).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(/LAYER_NOT_SUPPORTED_IN_SANDBOX: client layer 198; this sandbox serves 227, 229/);
    await new Promise((r) => setTimeout(r, 1500));
    // one warning per connection that declared it: one connection, not a loop of them
    expect(logLines.filter((l) => l.includes('client speaks layer 198') && l.includes('"level":40')).length).toBe(1);
    expect(sb.callLog.filter((e) => e.userId === w.user.userId)).toEqual([]);
  });
});
