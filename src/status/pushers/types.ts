/** Helpers shared by the pusher plugins (their shape is PusherPlugin in src/delivery/plugin.ts). */
export type { PushContext, PushHandler, PushItem, PusherPlugin } from '../../delivery/plugin.js';

export function payloadError(channel: string): Error {
  return new Error(`outbox item for ${channel} has an unexpected payload`);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The password inside a URL (`https://user:pass@host`), scrubbed from errors. */
export function passwordOf(url: string): string | undefined {
  try {
    return new URL(url).password || undefined;
  } catch {
    return undefined;
  }
}
