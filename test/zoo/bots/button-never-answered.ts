/** Broken: the callback handler was dropped in a refactor — button presses are never answered. */
import type { BotExport } from './kit.js';

const bot: BotExport = (base) => ({
  onMessage: (msg, chat) => base.onMessage(msg, chat),
  onCallback: () => new Promise<void>(() => undefined), // never returns: no answerCallbackQuery
});
export default bot;
