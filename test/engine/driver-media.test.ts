import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type BotChat, type BotModule, type Sandbox } from '@tg-canary/sandbox';
import type { BotOutgoingMedia } from '@tg-canary/sandbox/bot-contract';
import { chartPng } from '@tg-canary/sandbox/demo-bots';
import { createTelegramClient } from '../../src/telegram/client-factory.js';
import { GramjsDriver } from '../../src/telegram/driver.js';
import { systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import type { BotPeer } from '../../src/core/ports.js';
import type { Reply } from '../../src/core/types.js';

let sandbox: Sandbox;
let driver: GramjsDriver;
let userId: string;
let dir: string;

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const wait = { timeoutMs: 10_000, settleMs: 200, minMessages: 1 };
const getFileCalls = (): number => sandbox.callLog.filter((e) => e.userId === userId && e.method === 'upload.GetFile').length;

/** 2.5 MiB of patterned bytes: a download across several 1 MiB-aligned parts. */
const BIG = Buffer.alloc(2.5 * 1024 * 1024 + 123);
for (let i = 0; i < BIG.length; i++) BIG[i] = (i * 31 + (i >> 12)) & 0xff;

function sendMedia(chat: BotChat, m: BotOutgoingMedia): Promise<number> {
  if (!chat.replyMedia) throw new Error('the sandbox chat has no replyMedia');
  return chat.replyMedia(m);
}

const fileBot: BotModule = {
  async onMessage(msg, chat) {
    if (msg.text === 'big') return sendMedia(chat, { kind: 'document', bytes: BIG, fileName: 'big.bin', mimeType: 'application/octet-stream', replyTo: msg.id });
    if (msg.text === 'voice') return sendMedia(chat, { kind: 'voice', bytes: Buffer.from('OggS fake opus'), duration: 3, replyTo: msg.id });
    if (msg.text === 'poll') return sendMedia(chat, { kind: 'poll', question: 'Tea or coffee?', options: ['Tea', 'Coffee'] });
    const m = msg.media;
    const bytes = m?.read ? await m.read() : Buffer.alloc(0);
    return chat.reply(`got ${m?.kind ?? 'text'} ${m?.mimeType ?? ''} ${bytes.length} ${m?.duration ?? ''} ${m?.location ? `${m.location.lat},${m.location.lon}` : ''}${m?.contact ? m.contact.phone : ''} caption=${msg.text}`);
  },
};

async function ask(bot: BotPeer, text: string): Promise<Reply> {
  const sent = await driver.send(bot, text);
  return driver.waitForReply(bot, sent, wait);
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, limits: { messageBurst: 100, messagesPerSecond: 100 } });
  const user = await sandbox.createUser({ firstName: 'Media' });
  userId = user.userId;
  const client = createTelegramClient({ session: user.session, apiId: sandbox.apiId, apiHash: sandbox.apiHash, dc: sandbox.dc });
  // generous deadlines: the first download makes a fresh temporary key (a DH exchange), slow on a loaded machine
  driver = new GramjsDriver({ client, clock: systemClock, logger: silentLogger(), rpcTimeoutMs: 20_000, pacingMs: 0 });
  await driver.connect();
  dir = mkdtempSync(join(tmpdir(), 'tg-canary-media-'));
});

beforeEach(() => sandbox.faults.clear());

afterAll(async () => {
  await driver?.close();
  await sandbox?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('GramjsDriver media against the sandbox', () => {
  it('reads a bot photo as media (kind, size, dimensions, caption as text) and downloads it only when asked', async () => {
    const bot = await driver.resolveBot('canary_bot');
    const before = getFileCalls();
    const reply = await ask(bot, 'send me a chart');
    const msg = reply.messages[0];
    expect(msg?.media).toMatchObject({ kind: 'photo', width: 120, height: 80 });
    expect(reply.text).toContain('weekly chart');
    expect(getFileCalls()).toBe(before); // nothing downloaded yet
    const bytes = await driver.downloadMedia(bot, msg?.id ?? 0, { maxBytes: 1024 * 1024 });
    // the media connection ran on a temporary key bound to the session's (auth.bindTempAuthKey), as with Telegram
    expect(sandbox.callLog.some((e) => e.method === 'auth.BindTempAuthKey')).toBe(true);
    expect(sha(bytes)).toBe(sha(chartPng([0.3, 0.7, 0.5, 0.9])));
    expect(msg?.media?.size).toBe(bytes.length);
  });

  it('refuses a file above the cap before fetching a byte', async () => {
    await sandbox.setBot('stable_bot', fileBot);
    const bot = await driver.resolveBot('stable_bot');
    const reply = await ask(bot, 'big');
    const msg = reply.messages[0];
    expect(msg?.media).toMatchObject({ kind: 'document', fileName: 'big.bin', size: BIG.length });
    const before = getFileCalls();
    await expect(driver.downloadMedia(bot, msg?.id ?? 0, { maxBytes: 1024 * 1024 })).rejects.toMatchObject({ code: 'MEDIA_TOO_LARGE', kind: 'bot' });
    expect(getFileCalls()).toBe(before);
    // under a cap that fits, unmodified teleproto downloads it in parts with Telegram's offset/limit rules
    const bytes = await driver.downloadMedia(bot, msg?.id ?? 0, { maxBytes: 20 * 1024 * 1024 });
    expect(bytes.length).toBe(BIG.length);
    expect(sha(bytes)).toBe(sha(BIG));
    expect(getFileCalls() - before).toBeGreaterThanOrEqual(3);
  });

  it('refreshes an expired file reference once; a reference that keeps failing is an infra error', async () => {
    const bot = await driver.resolveBot('canary_bot');
    const reply = await ask(bot, 'send me a chart');
    const id = reply.messages[0]?.id ?? 0;
    sandbox.faults.add({ kind: 'rpc_error', method: 'upload.GetFile', error: 'FILE_REFERENCE_EXPIRED', code: 400, times: 1 });
    expect((await driver.downloadMedia(bot, id, { maxBytes: 1 << 20 })).length).toBeGreaterThan(0);
    sandbox.faults.add({ kind: 'rpc_error', method: 'upload.GetFile', error: 'FILE_REFERENCE_EXPIRED', code: 400, times: 10 });
    await expect(driver.downloadMedia(bot, id, { maxBytes: 1 << 20 })).rejects.toMatchObject({ kind: 'infra' });
  });

  it('a corrupt file arrives with other bytes than the bot made', async () => {
    await sandbox.setBot('canary_bot', 'builtin');
    const bot = await driver.resolveBot('canary_bot');
    sandbox.faults.add({ kind: 'media_corrupt', bot: 'canary_bot', times: 1 });
    const reply = await ask(bot, 'send me a chart');
    const bytes = await driver.downloadMedia(bot, reply.messages[0]?.id ?? 0, { maxBytes: 1 << 20 });
    expect(sha(bytes)).not.toBe(sha(chartPng([0.3, 0.7, 0.5, 0.9])));
  });

  it('sends a photo, a document, a voice note, a location and a contact that the bot sees as such', async () => {
    await sandbox.setBot('stable_bot', fileBot);
    const bot = await driver.resolveBot('stable_bot');
    const png = join(dir, 'cat.png');
    writeFileSync(png, chartPng([1]));
    const json = join(dir, 'data.json');
    writeFileSync(json, '{"ok":true}');
    const ogg = join(dir, 'hello.ogg');
    writeFileSync(ogg, Buffer.from('OggS not really opus'));
    const send = async (m: Parameters<GramjsDriver['sendMedia']>[1], caption = ''): Promise<string> => {
      const sent = await driver.sendMedia(bot, m, caption);
      return (await driver.waitForReply(bot, sent, wait)).text;
    };
    expect(await send({ kind: 'photo', file: png }, 'a cat')).toMatch(/^got photo image\/jpeg \d+ .*caption=a cat$/);
    expect(await send({ kind: 'document', file: json })).toContain('got document application/json 11');
    expect(await send({ kind: 'voice', file: ogg, duration: 4 })).toContain('got voice audio/ogg 20 4');
    expect(await send({ kind: 'location', lat: 48.85, lon: 2.35 })).toContain('got location');
    expect(await send({ kind: 'location', lat: 48.85, lon: 2.35 })).toContain('48.85,2.35');
    expect(await send({ kind: 'contact', phone: '+15550100', firstName: 'Ann' })).toContain('got contact');
    const mp4 = join(dir, 'round.mp4');
    writeFileSync(mp4, Buffer.alloc(64, 1));
    const webp = join(dir, 'hi.webp');
    writeFileSync(webp, Buffer.alloc(32, 2));
    expect(await send({ kind: 'video-note', file: mp4, duration: 2 })).toContain('got video-note video/mp4 64 2');
    expect(await send({ kind: 'sticker', file: webp })).toContain('got sticker image/webp 32');
    await expect(driver.sendMedia(bot, { kind: 'photo', file: join(dir, 'missing.png') }, '')).rejects.toMatchObject({ code: 'MEDIA_UNREADABLE' });
  });

  it('reads voice notes and polls from the bot', async () => {
    await sandbox.setBot('stable_bot', fileBot);
    const bot = await driver.resolveBot('stable_bot');
    expect((await ask(bot, 'voice')).messages[0]?.media).toMatchObject({ kind: 'voice', mimeType: 'audio/ogg', duration: 3 });
    expect((await ask(bot, 'poll')).messages[0]?.media).toMatchObject({ kind: 'poll', poll: { question: 'Tea or coffee?', options: ['Tea', 'Coffee'] } });
  });
});
