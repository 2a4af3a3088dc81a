/**
 * Alerts sent by the test user's own session to an alert chat. The gramjs send is injected (the composition root
 * wires it to the Telegram driver), so this file never imports `telegram`.
 */
import { z } from '../schema-kit/zod.js';
import { configError } from '../core/errors.js';
import type { AlertMessage, Notifier } from '../core/ports.js';
import { defineNotifier } from '../delivery/plugin.js';
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

export const telegramUserPlugin = defineNotifier({
  name: 'telegramUser',
  configKey: 'telegramUser',
  schema: z.strictObject({ peer: z.string().min(1) }),
  envVars: [
    { name: 'TELEGRAM_ALERT_PEER', field: 'peer', kind: 'string', doc: 'Chat or username the test user itself sends alerts to.', example: '@oncall_group' },
  ],
  secrets: [],
  create(cfg, deps) {
    if (!deps.telegramUserSend) {
      throw configError('ALERT_TELEGRAM_USER_NO_SESSION', 'alerts.telegramUser needs the Telegram user session to send from',
        'Wire the gramjs driver send function, or remove TELEGRAM_ALERT_PEER.');
    }
    return createTelegramUserNotifier({ peer: cfg.peer, send: deps.telegramUserSend });
  },
});
