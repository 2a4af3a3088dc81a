import type { TelegramClient } from 'teleproto';
import { createTelegramClient, type ConnectionKind } from '../../src/telegram/client-factory.js';
import type { Sandbox } from '@tg-canary/sandbox';
import { waitFor as waitUntil } from '../support/wait.js';

export function clientFor(sb: Sandbox, session: string, opts: { connection?: ConnectionKind; floodSleepThreshold?: number } = {}): TelegramClient {
  return createTelegramClient({
    session,
    apiId: sb.apiId,
    apiHash: sb.apiHash,
    dc: sb.dc,
    connection: opts.connection,
    floodSleepThreshold: opts.floodSleepThreshold ?? 0,
    connectionRetries: 5,
  });
}

/** test/support's `waitFor` in the argument order of the sandbox tests, polling every 20 ms. */
export function waitFor<T>(fn: () => T | undefined | Promise<T | undefined>, ms = 5000, what = 'condition'): Promise<T> {
  return waitUntil(fn, what, ms, 20) as Promise<T>;
}

export const echoBot = {
  async onMessage(msg: { id: number; text: string }, chat: { reply(t: string, o?: { replyTo?: number }): Promise<number> }): Promise<void> {
    await chat.reply(`echo: ${msg.text}`, { replyTo: msg.id });
  },
};
