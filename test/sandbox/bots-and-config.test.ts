/**
 * Bot modules loaded from files, fault files, the CLI entry, TG_DC parsing.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { pino } from 'pino';
import type { TelegramClient } from 'teleproto';
import { NewMessage, type NewMessageEvent } from 'teleproto/events/index.js';
import { SandboxError, SandboxValidationError, loadFaultFile, parseFaults, runSandboxCli, startSandbox } from '@tg-canary/sandbox';
import { FaultEngine } from '@tg-canary/sandbox/internal/faults';
import { TgCanaryError } from '../../src/core/errors.js';
import { parseDcAddress } from '../../src/telegram/client-factory.js';
import { clientFor, waitFor } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'tg-sandbox-'));
const clients: TelegramClient[] = [];
afterAll(async () => {
  for (const c of clients) await c.destroy().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('bot modules', () => {
  test('.mjs object, .js wrapper of the built-in bot, and a bot that throws', async () => {
    const own = file('own.mjs', `export default { async onMessage(msg, chat) { chat.state.set('n', (chat.state.get('n') ?? 0) + 1); await chat.reply('own #' + chat.state.get('n') + ': ' + msg.text, { replyTo: msg.id }); } };`);
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    const wrap = file('wrap.js', `export default (base) => ({ async onMessage(msg, chat) { await chat.reply('wrapped'); return base.onMessage({ ...msg, text: '/start' }, chat); } });`);
    const boom = file('boom.mjs', `export default { async onMessage() { throw new Error('kaput'); } };`);
    const lines: string[] = [];
    const logger = pino({ level: 'error' }, { write: (s: string) => void lines.push(s) });
    const sb = await startSandbox({ bots: { own_bot: own, canary_bot: wrap, boom_bot: boom }, logger });
    try {
      const u = await sb.createUser();
      const c = clientFor(sb, u.session);
      clients.push(c);
      await c.connect();
      const got: string[] = [];
      c.addEventHandler((e: NewMessageEvent) => void got.push(e.message.message), new NewMessage({}));
      await c.sendMessage('own_bot', { message: 'a' });
      await c.sendMessage('own_bot', { message: 'b' });
      await c.sendMessage('canary_bot', { message: 'hi' });
      await c.sendMessage('boom_bot', { message: 'hi' });
      await waitFor(() => (got.length >= 4 ? true : undefined), 5000, 'replies');
      await new Promise((r) => setTimeout(r, 200));
      expect(got).toContain('own #1: a');
      expect(got).toContain('own #2: b');
      expect(got).toContain('wrapped');
      expect(got.some((t) => t.startsWith("Hello! I'm canary_bot"))).toBe(true);
      expect(got).toHaveLength(4);
      expect(lines.join('\n')).toMatch(/boom_bot/);
      expect(lines.join('\n')).toMatch(/kaput/);
    } finally {
      await sb.stop();
    }
  });

  test('a module that fails to load gives a SandboxError naming it', async () => {
    const bad = file('bad.mjs', 'export default { this is not javascript');
    const err = await startSandbox({ bots: { bad_bot: bad } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SandboxError);
    expect((err as SandboxError).code).toBe('SANDBOX_BOT_LOAD_FAILED');
    expect((err as SandboxError).message).toContain('bad.mjs');
    const empty = file('empty.mjs', 'export default 42;');
    const err2 = await startSandbox({ bots: { empty_bot: empty } }).catch((e: unknown) => e);
    expect((err2 as SandboxError).code).toBe('SANDBOX_BOT_INVALID');
    expect((err2 as SandboxError).message).toContain('empty.mjs');
    const missing = await startSandbox({ bots: { gone_bot: join(dir, 'nope.mjs') } }).catch((e: unknown) => e);
    expect((missing as SandboxError).code).toBe('SANDBOX_BOT_LOAD_FAILED');
  });
});

describe('fault files and engine', () => {
  test('YAML and JSON fault files load; bad ones report every problem with its path', async () => {
    const y = file('f.yaml', 'faults:\n  - kind: rpc_error\n    method: messages.sendMessage\n    error: FLOOD_WAIT_5\n    times: 2\n  - kind: latency\n    bot: canary_bot\n    minMs: 10\n    maxMs: 50\n');
    const specs = await loadFaultFile(y);
    expect(specs.map((s) => s.kind)).toEqual(['rpc_error', 'latency']);
    const j = file('f.json', JSON.stringify([{ kind: 'silence', bot: 'stable_bot', probability: 0.5 }]));
    expect((await loadFaultFile(j))[0]?.probability).toBe(0.5);
    const bad = file('bad.yaml', 'faults:\n  - kind: rpc_error\n  - kind: latency\n    bot: x_bot\n    ms: 5\n    colour: red\n  - kind: explode\n');
    const err = await loadFaultFile(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SandboxValidationError);
    const msg = (err as SandboxValidationError).message;
    expect(msg).toMatch(/faults\[0\]\.error/);
    expect(msg).toMatch(/faults\[1\]/);
    expect(msg).toMatch(/colour/);
    expect(msg).toMatch(/faults\[2\]\.kind/);
    expect(msg).toContain('bad.yaml');
    expect(() => parseFaults([{ kind: 'latency' }])).toThrow(/bot/);
  });

  test('times, probability (seeded) and time window', async () => {
    const e = new FaultEngine(42);
    e.add({ kind: 'rpc_error', error: 'INTERNAL', method: 'a.B', times: 2 });
    expect(e.takeRpc('a.b')?.error).toBe('INTERNAL');
    expect(e.takeRpc('x.y')).toBeUndefined();
    expect(e.takeRpc('a.B')).toBeDefined();
    expect(e.takeRpc('a.B')).toBeUndefined();
    e.add({ kind: 'rpc_hang', probability: 0.3 });
    let hits = 0;
    for (let i = 0; i < 1000; i++) if (e.takeRpc('m.M')) hits++;
    expect(hits).toBeGreaterThan(220);
    expect(hits).toBeLessThan(380);
    e.clear();
    e.add({ kind: 'rpc_delay', ms: 1, afterMs: 100, forMs: 100 });
    expect(e.takeRpc('m.M')).toBeUndefined();
    await new Promise((r) => setTimeout(r, 120));
    expect(e.takeRpc('m.M')).toBeDefined();
    await new Promise((r) => setTimeout(r, 120));
    expect(e.takeRpc('m.M')).toBeUndefined();
    expect(e.list()).toHaveLength(0);
  });
});

describe('CLI entry and TG_DC', () => {
  test('runSandboxCli prints the env lines once ready and writes them to a 0600 env file', async () => {
    const envFile = join(dir, 'sandbox.env');
    const out: string[] = [];
    const h = await runSandboxCli({ bots: [], envFile }, (l) => out.push(l));
    try {
      const keys = out.map((l) => l.split('=')[0]);
      expect(keys).toEqual(['TG_SESSION', 'TG_API_ID', 'TG_API_HASH', 'CANARY_BOT', 'STABLE_BOT', 'TG_DC']);
      expect(readFileSync(envFile, 'utf8').trim().split('\n')).toEqual(out);
      expect(statSync(envFile).mode & 0o777).toBe(0o600);
      const env = Object.fromEntries(out.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
      const dc = parseDcAddress(env.TG_DC ?? '');
      expect(dc.host).toBe('127.0.0.1');
      const { createTelegramClient } = await import('../../src/telegram/client-factory.js');
      const c = createTelegramClient({ session: env.TG_SESSION ?? '', apiId: Number(env.TG_API_ID), apiHash: env.TG_API_HASH ?? '', dc });
      clients.push(c);
      await c.connect();
      expect((await c.getMe()).username).toBe('canary_tester');
    } finally {
      await h.stop();
    }
    await expect(runSandboxCli({ bots: ['nonsense'] }, () => undefined)).rejects.toThrow(/NAME=MODULE/);
  });

  test('parseDcAddress', () => {
    expect(parseDcAddress('127.0.0.1:40000')).toEqual({ host: '127.0.0.1', port: 40000 });
    expect(parseDcAddress('[::1]:443')).toEqual({ host: '::1', port: 443 });
    for (const bad of ['', '127.0.0.1', 'host:0', 'host:70000', 'a:b']) {
      expect(() => parseDcAddress(bad)).toThrow(TgCanaryError);
    }
  });
});
