/**
 * Notifiers in a typed name map; the names are also the outbox channels of alerts. Notifiers only send: when to
 * alert is decided by src/core/alert-policy.ts.
 */
import { configError } from '../core/errors.js';
import type { Notifier } from '../core/ports.js';
import { createEmailNotifier, type EmailNotifierOptions } from './email.js';
import { createTelegramBotNotifier, type TelegramBotNotifierOptions } from './telegram-bot.js';
import { createTelegramUserNotifier, type TelegramUserNotifierOptions } from './telegram-user.js';

export const NOTIFIERS = {
  email: createEmailNotifier,
  telegramBot: createTelegramBotNotifier,
  telegramUser: createTelegramUserNotifier,
} as const;

export type NotifierName = keyof typeof NOTIFIERS;
export type NotifierOptions<N extends NotifierName> = Parameters<(typeof NOTIFIERS)[N]>[0];

export function createNotifier<N extends NotifierName>(name: N, opts: NotifierOptions<N>): Notifier {
  const factory = NOTIFIERS[name] as (o: NotifierOptions<N>) => Notifier;
  return factory(opts);
}

/** `config.alerts` (only the channels). */
export interface AlertChannelsConfig {
  email?: Omit<EmailNotifierOptions, 'chromiumPath' | 'reportsDir' | 'renderPdf' | 'timeoutMs'>;
  telegramBot?: Omit<TelegramBotNotifierOptions, 'clock' | 'timeoutMs' | 'maxInlineWaitMs'>;
  telegramUser?: Omit<TelegramUserNotifierOptions, 'send'>;
}

export interface NotifierDeps {
  chromiumPath: string;
  reportsDir?: string;
  /** Sends from the test user's session; required when `alerts.telegramUser` is configured. */
  telegramUserSend?: TelegramUserNotifierOptions['send'];
}

/** Builds every configured notifier; a configured channel that cannot work is a config error, never skipped. */
export function buildNotifiers(cfg: AlertChannelsConfig, deps: NotifierDeps): Partial<Record<NotifierName, Notifier>> {
  const out: Partial<Record<NotifierName, Notifier>> = {};
  if (cfg.email) {
    if (cfg.email.to.length === 0) {
      throw configError('ALERT_EMAIL_NO_RECIPIENT', 'alerts.email.to is empty', 'Set ALERT_EMAIL_TO to a comma-separated list.');
    }
    out.email = createNotifier('email', { ...cfg.email, chromiumPath: deps.chromiumPath, reportsDir: deps.reportsDir });
  }
  if (cfg.telegramBot) out.telegramBot = createNotifier('telegramBot', cfg.telegramBot);
  if (cfg.telegramUser) {
    if (!deps.telegramUserSend) {
      throw configError('ALERT_TELEGRAM_USER_NO_SESSION', 'alerts.telegramUser needs the Telegram user session to send from',
        'Wire the gramjs driver send function, or remove TELEGRAM_ALERT_PEER.');
    }
    out.telegramUser = createNotifier('telegramUser', { peer: cfg.telegramUser.peer, send: deps.telegramUserSend });
  }
  return out;
}

export { createEmailNotifier, createTelegramBotNotifier, createTelegramUserNotifier };
export type { EmailNotifierOptions, TelegramBotNotifierOptions, TelegramUserNotifierOptions };
export { alertEmailHtml, alertPlainText, alertTelegramHtml } from './format.js';
export { DeliveryError } from '../delivery/http.js';
