/** Broken: the retrieval tool crashes the handler — knowledge-base questions get no answer at all. */
import { topicOf, type BotExport } from './kit.js';

const bot: BotExport = (base) => ({
  async onMessage(msg, chat) {
    if (topicOf(msg.text) === 'kb') {
      await chat.typing();
      throw new Error('retriever: connection refused');
    }
    return base.onMessage(msg, chat);
  },
});
export default bot;
