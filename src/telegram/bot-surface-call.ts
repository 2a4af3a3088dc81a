/**
 * What the bot-info and inline adapters get from the driver: the client, the bot's input peer, the driver's RPC
 * wrapper (deadline + error mapping) and its clock; plus reading our own new message out of an Updates answer.
 */
import { randomBytes } from 'node:crypto';
import { Api, helpers, type TelegramClient } from 'teleproto';
import type { BotPeer } from '../core/ports.js';
import { TgCanaryError } from '../core/errors.js';

export interface SurfaceCall {
  client: TelegramClient;
  bot: BotPeer;
  peer: Api.InputPeerUser;
  rpc<T>(during: string, fn: () => Promise<T>): Promise<T>;
  now(): number;
}

/** The bot as an InputUser (the same id and access hash as its input peer). */
export function inputUserOf(peer: Api.InputPeerUser): Api.InputUser {
  return new Api.InputUser({ userId: peer.userId, accessHash: peer.accessHash });
}

export function randomLong(): Api.long {
  return helpers.returnBigInt(randomBytes(8).readBigInt64LE());
}

/** Telegram's error message (BOT_RESPONSE_TIMEOUT, …) behind a mapped error. */
export function telegramErrorOf(e: unknown): string | undefined {
  const cause = e instanceof TgCanaryError ? e.cause : e;
  const msg = (cause as { errorMessage?: unknown } | undefined)?.errorMessage;
  return typeof msg === 'string' ? msg : undefined;
}

/** Our own new message in an Updates answer (by random_id, else the first outgoing one). */
export function ownMessageOf(res: Api.TypeUpdates, randomId: Api.long, during: string): { id: number; message?: Api.Message } {
  if (res instanceof Api.UpdateShortSentMessage) return { id: res.id };
  if (res instanceof Api.Updates || res instanceof Api.UpdatesCombined) {
    const byRandom = res.updates.find((u): u is Api.UpdateMessageID => u instanceof Api.UpdateMessageID && String(u.randomId) === String(randomId));
    const news = res.updates.flatMap((u) => (u instanceof Api.UpdateNewMessage && u.message instanceof Api.Message && u.message.out ? [u.message] : []));
    const id = byRandom?.id ?? news[0]?.id;
    if (id !== undefined) return { id, message: news.find((m) => m.id === id) };
  }
  throw new TgCanaryError('TG_BAD_ANSWER', `Telegram answered ${during} without the new message`, { kind: 'infra' });
}
