/**
 * Notifiers in a typed name map (one plugin per file, see src/delivery/plugin.ts); the names are also the outbox
 * channels of alerts. Notifiers only send: when to alert is decided by src/core/alert-policy.ts.
 */
import type { Notifier } from '../core/ports.js';
import { pluginNames, type NotifierDeps, type NotifierPlugin, type SectionConfig } from '../delivery/plugin.js';
import { discordPlugin } from './discord.js';
import { emailPlugin } from './email.js';
import { googleChatPlugin } from './google-chat.js';
import { pagerdutyPlugin } from './pagerduty.js';
import { slackPlugin } from './slack.js';
import { telegramBotPlugin } from './telegram-bot.js';
import { telegramUserPlugin } from './telegram-user.js';

export const NOTIFIERS = {
  email: emailPlugin,
  telegramBot: telegramBotPlugin,
  telegramUser: telegramUserPlugin,
  slack: slackPlugin,
  discord: discordPlugin,
  pagerduty: pagerdutyPlugin,
  googleChat: googleChatPlugin,
} as const;

export type NotifierName = keyof typeof NOTIFIERS;
export const NOTIFIER_NAMES: NotifierName[] = pluginNames(NOTIFIERS);
/** `config.alerts` (only the channels), derived from the plugins' schemas. */
export type AlertChannelsConfig = SectionConfig<typeof NOTIFIERS>;

export type { NotifierDeps } from '../delivery/plugin.js';

/** True for an outbox channel that carries alerts (the status page tells notifiers from pushers by it). */
export function isNotifierChannel(channel: string): boolean {
  return NOTIFIER_NAMES.some((n) => NOTIFIERS[n].name === channel);
}

/**
 * Builds every configured notifier; a configured channel that cannot work is a config error, never skipped. With
 * `deps.direct` only the plugins that can send without a database are built.
 */
export function buildNotifiers(cfg: AlertChannelsConfig, deps: NotifierDeps): Partial<Record<NotifierName, Notifier>> {
  const out: Partial<Record<NotifierName, Notifier>> = {};
  for (const name of NOTIFIER_NAMES) {
    const plugin: NotifierPlugin = NOTIFIERS[name];
    const section = (cfg as Record<string, unknown>)[plugin.configKey];
    if (section === undefined || (deps.direct && !plugin.direct)) continue;
    out[name] = plugin.create(section, deps);
  }
  return out;
}

export { createEmailNotifier, type EmailNotifierOptions } from './email.js';
export { createTelegramBotNotifier, type TelegramBotNotifierOptions } from './telegram-bot.js';
export { createTelegramUserNotifier, type TelegramUserNotifierOptions } from './telegram-user.js';
export { alertEmailHtml, alertPlainText, alertTelegramHtml } from './format.js';
export { DeliveryError } from '../delivery/http.js';
