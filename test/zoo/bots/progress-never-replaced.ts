/** Broken: the search tool hangs — "🔎 Searching the knowledge base…" is never replaced by the answer. */
import { topicOf, type BotExport } from './kit.js';

const bot: BotExport = (base) => ({
  async onMessage(msg, chat) {
    if (topicOf(msg.text) !== 'kb') return base.onMessage(msg, chat);
    await chat.typing();
    return chat.reply('🔎 Searching the knowledge base…', { replyTo: msg.id });
  },
});
export default bot;
