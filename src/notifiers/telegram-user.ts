/**
 * Alerts sent by the test user's own session to an alert chat. The gramjs send is injected (the composition root
 * wires it to the Telegram driver), so this file never imports `telegram`.
 */
import type { AlertMessage, Notifier } from '../core/ports.js';
import { alertTelegramHtml } from './format.js';

export interface TelegramUserNotifierOptions {
  /** Chat, @username or id the alerts go to. */
  peer: string;
  /** Sends HTML-formatted text from the user session. */
  send: (peer: string, html: string) => Promise<void>;
}

export function createTelegramUserNotifier(opts: TelegramUserNotifierOptions): Notifier {
  return {
    name: 'telegramUser',
    async send(msg: AlertMessage): Promise<void> {
      await opts.send(opts.peer, alertTelegramHtml(msg));
    },
  };
}
