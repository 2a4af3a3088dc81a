/**
 * An independent client reads a sandbox supergroup: the unmodified `@mtcute/node` 0.30.3 (layer 227) resolves a
 * public forum supergroup by username, posts into it (a privacy-on bot answers the mention), lists its topics and
 * reads its history — the evidence that the group side speaks Telegram's layer, not "whatever teleproto accepts".
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MemoryStorage, TelegramClient } from '@mtcute/node';
import { startSandbox, type Sandbox, type SandboxUser } from '@tg-canary/sandbox';
import { waitFor } from './helpers.js';

let sb: Sandbox;
let tg: TelegramClient | undefined;

beforeAll(async () => {
  sb = await startSandbox({
    bots: { mt_bot: { onMessage: (m, chat) => chat.reply(`hi ${m.from?.firstName ?? ''}`, { replyTo: m.id }) } },
    groups: [{ title: 'Mt Forum', username: 'mt_forum', forum: true, topics: ['Support'], bots: ['mt_bot'], humans: [{ name: 'Nia Noise', chattiness: 1, lines: ['noise'] }] }],
  });
});

afterAll(async () => {
  await tg?.destroy().catch(() => undefined);
  await sb.stop();
});

function authKeyOf(u: SandboxUser): Buffer {
  const raw = Buffer.from(u.session.slice(1), 'base64');
  return raw.subarray(3 + raw.readInt16BE(1) + 2);
}

describe('@mtcute/node 0.30.3 (layer 227) in a sandbox supergroup', () => {
  test('resolve the forum by username, post a mention, read the bot\'s reply and the noise from history', async () => {
    const user = await sb.createUser({ firstName: 'Mt' });
    const dc = { id: 2, ipAddress: sb.host, port: sb.port };
    tg = new TelegramClient({ apiId: sb.apiId, apiHash: sb.apiHash, storage: new MemoryStorage(), defaultDcs: { main: dc, media: dc }, logLevel: 0 });
    await tg.importSession({ primaryDcs: { main: dc, media: dc }, authKey: authKeyOf(user) });
    const chat = await tg.getChat('mt_forum');
    expect(chat.chatType).toBe('supergroup');
    expect(chat.isForum).toBe(true);
    expect(chat.title).toBe('Mt Forum');
    const sent = await tg.sendText('mt_forum', 'hello @mt_bot');
    const history = await waitFor(async () => {
      const h = await tg?.getHistory('mt_forum', { limit: 20 });
      return h && h.some((m) => m.text === 'hi Mt') ? h : undefined;
    }, 5000, 'the bot reply in the group history');
    const texts = history.map((m) => m.text);
    expect(texts).toContain('hello @mt_bot');
    expect(texts).toContain('noise');
    const reply = history.find((m) => m.text === 'hi Mt');
    expect(reply?.replyToMessage?.id).toBe(sent.id);
    expect(reply?.sender.username).toBe('mt_bot');
    const topics = await tg.getForumTopics('mt_forum');
    expect(topics.map((t) => t.title)).toContain('Support');
  });
});
