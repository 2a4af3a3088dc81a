/**
 * Media in a scenario run: sending a `send:` step's file, location or contact, and downloading a reply's file for
 * the assertions that need its bytes — once per message, under the download cap, only when such an assertion runs.
 */
import type { BotDriver, BotPeer, SentMessage } from '../core/ports.js';
import type { OutgoingMedia } from '../core/media-types.js';
import { TgCanaryError } from '../core/errors.js';

/** Default download cap for media assertions: 20 MiB (Bot API bots cannot send much larger files by default). */
export const DEFAULT_MEDIA_MAX_BYTES = 20 * 1024 * 1024;

/** Assertion types that need a file's bytes (downloaded on demand; never re-run on every change of a reply). */
export const BYTES_SCORERS = ['sha256', 'file-is-json', 'file-contains', 'file-icontains', 'file-regex', 'file-equals'] as const;

export async function sendMedia(driver: BotDriver, bot: BotPeer, media: OutgoingMedia, caption: string): Promise<SentMessage> {
  if (!driver.sendMedia) {
    throw new TgCanaryError('TESTER_ERROR', 'this driver cannot send media', { kind: 'internal', hint: 'use the Telegram driver' });
  }
  return driver.sendMedia(bot, media, caption);
}

/** How a media prompt shows in transcripts: `[photo cat.jpg] caption`. */
export function mediaLabel(media: OutgoingMedia, caption: string): string {
  const what = 'file' in media
    ? `${media.kind} ${media.file.split(/[\\/]/).pop() ?? ''}`
    : media.kind === 'location' ? `location ${media.lat},${media.lon}` : `contact ${media.firstName}`;
  return caption ? `[${what}] ${caption}` : `[${what}]`;
}

/** A per-scenario downloader: each message's file is fetched at most once. */
export function mediaDownloader(
  deps: { driver: BotDriver; mediaMaxBytes?: number },
  bot: BotPeer,
  signal: AbortSignal,
): (messageId: number) => Promise<Buffer> {
  const cache = new Map<number, Promise<Buffer>>();
  return (messageId) => {
    let p = cache.get(messageId);
    if (!p) {
      const d = deps.driver;
      p = d.downloadMedia
        ? d.downloadMedia(bot, messageId, { maxBytes: deps.mediaMaxBytes ?? DEFAULT_MEDIA_MAX_BYTES, signal })
        : Promise.reject(new TgCanaryError('TESTER_ERROR', 'this driver cannot download media', { kind: 'internal', hint: 'use the Telegram driver' }));
      p.catch(() => cache.delete(messageId));
      cache.set(messageId, p);
    }
    return p;
  };
}
