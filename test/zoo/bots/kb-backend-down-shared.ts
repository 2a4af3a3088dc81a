/** Shared outage: the knowledge-base backend both bots use is down — every KB question gets "unavailable". */
import { topicOf, type BotExport } from './kit.js';

const bot: BotExport = (base) => ({
  async onMessage(msg, chat) {
    if (topicOf(msg.text) !== 'kb') return base.onMessage(msg, chat);
    await chat.typing();
    await chat.sleep(500);
    return chat.reply('Sorry, the knowledge base is temporarily unavailable. Please try again later.', { replyTo: msg.id });
  },
});
export default bot;
