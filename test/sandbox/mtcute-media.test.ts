/**
 * The unmodified `@mtcute/node` (layer 227) downloads a bot's photo from the sandbox: upload.getFile's part rules
 * and the media connection (a temporary key bound with auth.bindTempAuthKey) work for a client we did not write.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { MemoryStorage, TelegramClient, type Message } from '@mtcute/node';
import { startSandbox, type Sandbox, type SandboxUser } from '@tg-canary/sandbox';
import { chartPng } from '@tg-canary/sandbox/demo-bots';
import { waitFor } from './helpers.js';

let sb: Sandbox;
let tg: TelegramClient | undefined;

beforeAll(async () => {
  sb = await startSandbox({ port: 0 });
});
afterAll(async () => {
  await tg?.destroy().catch(() => undefined);
  await sb.stop();
});

function authKeyOf(u: SandboxUser): Buffer {
  const raw = Buffer.from(u.session.slice(1), 'base64');
  const addrLen = raw.readInt16BE(1);
  return raw.subarray(3 + addrLen + 2);
}

test('@mtcute/node reads the demo chart as a photo and downloads the same bytes', async () => {
  const user = await sb.createUser({ firstName: 'MtMedia' });
  const dc = { id: 2, ipAddress: sb.host, port: sb.port };
  tg = new TelegramClient({ apiId: sb.apiId, apiHash: sb.apiHash, storage: new MemoryStorage(), defaultDcs: { main: dc, media: dc }, logLevel: 0 });
  await tg.importSession({ primaryDcs: { main: dc, media: dc }, authKey: authKeyOf(user) });
  const news: Message[] = [];
  tg.onNewMessage.add((m) => void news.push(m));
  await tg.start({});
  await waitFor(() => (sb.callLog.some((e) => e.userId === user.userId && e.method === 'updates.GetState') ? true : undefined), 5000, 'mtcute updates.getState');
  await new Promise((r) => setTimeout(r, 50));
  await tg.sendText('canary_bot', 'Send me a chart of this week');
  const msg = await waitFor(() => news.find((m) => m.media?.type === 'photo'), 8000, 'the photo');
  expect(msg.text).toContain('chart');
  if (msg.media?.type !== 'photo') throw new Error('not a photo');
  const bytes = Buffer.from(await tg.downloadAsBuffer(msg.media));
  const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
  expect(sha(bytes)).toBe(sha(chartPng([0.3, 0.7, 0.5, 0.9])));
});
