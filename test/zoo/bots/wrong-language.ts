/** Broken: the language hint is dropped from the prompt — every joke comes back in English. */
import type { BotExport } from './kit.js';

const bot: BotExport = (base) => ({
  onMessage: (msg, chat) =>
    base.onMessage(/joke|blague|шутк/iu.test(msg.text) ? { ...msg, text: 'Tell me a joke in English' } : msg, chat),
});
export default bot;
