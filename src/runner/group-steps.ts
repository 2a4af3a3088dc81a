/**
 * The group side of a scenario: opening its `chat:` (the bot inside a group or forum topic) and what a `send`
 * step's options turn into (a mention, a reply to the bot's latest message).
 */
import type { BotDriver, BotPeer, SendOptions } from '../core/ports.js';
import type { Reply, Scenario, Step } from '../core/types.js';
import { TgCanaryError, isTgCanaryError } from '../core/errors.js';

/** The bot in the scenario's group; a bad `chat:` names the scenario file and the field. */
export async function openScenarioChat(driver: BotDriver, bot: BotPeer, scenario: Scenario): Promise<BotPeer> {
  const chat = scenario.chat;
  if (!chat) return bot;
  if (!driver.inGroup) {
    throw new TgCanaryError('TESTER_ERROR', `${scenario.file}: chat: this driver cannot talk in groups`, { kind: 'internal' });
  }
  try {
    return await driver.inGroup(bot, chat);
  } catch (e) {
    if (isTgCanaryError(e) && e.kind === 'config') {
      throw new TgCanaryError(e.code, `${scenario.file}: ${e.message}`, { kind: 'config', hint: e.hint, cause: e });
    }
    throw e;
  }
}

type SendStep = Extract<Step, { kind: 'send' }>;

/** The text as sent: with `mention`, it starts with @bot_username (unless it already mentions the bot). */
export function textToSend(step: SendStep, bot: BotPeer, text: string): string {
  if (!step.mention) return text;
  const at = `@${bot.username}`;
  return text.toLowerCase().includes(at.toLowerCase()) ? text : `${at} ${text}`;
}

/**
 * Send options of a step: `reply-to: last-bot-message` replies to the newest bot message of the last reply.
 * Undefined `replyToId` with `missing` set: there is no bot message to reply to.
 */
export function sendOptionsOf(step: SendStep, lastReply: Reply | undefined): { opts: SendOptions; missing?: string } {
  if (step.replyTo !== 'last-bot-message') return { opts: {} };
  const last = [...(lastReply?.messages ?? [])].reverse().find((m) => !m.deleted);
  if (!last) return { opts: {}, missing: 'reply-to: last-bot-message: the bot has sent no message in this chat yet (add an expect step before it)' };
  return { opts: { replyToId: last.id } };
}
