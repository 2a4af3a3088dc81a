import type { TelegramClient } from 'teleproto';
import { createTelegramClient, type ConnectionKind } from '../../src/telegram/client-factory.js';
import type { Sandbox } from '@tg-canary/sandbox';

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

/** Polls `fn` until it returns a value other than undefined, or fails after `ms`. */
export async function waitFor<T>(fn: () => T | undefined | Promise<T | undefined>, ms = 5000, what = 'condition'): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const echoBot = {
  async onMessage(msg: { id: number; text: string }, chat: { reply(t: string, o?: { replyTo?: number }): Promise<number> }): Promise<void> {
    await chat.reply(`echo: ${msg.text}`, { replyTo: msg.id });
  },
};
