/**
 * One pair's driver on an account's shared, already connected driver: `connect` only resolves the pair's bots on
 * the open connection (a failure to resolve surfaces when the run asks `resolveBot`, as with a driver of its own),
 * `close` only ends the pair's use. Everything else goes to the shared driver: one pacing and one flood budget for
 * every chat of the account.
 */
import type { BotDriver, BotPeer, SentMessage, WaitOptions } from '../core/ports.js';
import type { InlineButton, Reply, ReplyMessage } from '../core/types.js';

export function driverView(shared: BotDriver, onClose?: () => void): BotDriver {
  let closed = false;
  const collect = shared.collectTrailing?.bind(shared);
  const view: BotDriver = {
    async connect(opts?: { bots?: readonly string[] }): Promise<void> {
      for (const bot of opts?.bots ?? []) shared.resolveBot(bot).catch(() => undefined);
    },
    me: (): Promise<{ id: string; username?: string }> => shared.me(),
    resolveBot: (username: string): Promise<BotPeer> => shared.resolveBot(username),
    send: (bot: BotPeer, text: string): Promise<SentMessage> => shared.send(bot, text),
    waitForReply: (bot: BotPeer, after: SentMessage, opts: WaitOptions): Promise<Reply> => shared.waitForReply(bot, after, opts),
    click: (bot: BotPeer, messageId: number, button: InlineButton): Promise<{ answer?: string; at: number }> => shared.click(bot, messageId, button),
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      onClose?.();
    },
  };
  if (collect) {
    view.collectTrailing = (bot: BotPeer, afterId: number, quietMs: number, signal?: AbortSignal, floorId?: number): Promise<ReplyMessage[]> =>
      collect(bot, afterId, quietMs, signal, floorId);
  }
  return view;
}

/** A driver for a pair that has no account this cycle (or whose account failed to connect): every call fails with `error`. */
export function unavailableDriver(error: Error): BotDriver {
  const no = (): Promise<never> => Promise.reject(error);
  return { connect: no, me: no, resolveBot: no, send: no, waitForReply: no, click: no, close: async () => undefined };
}
