/** Broken: the memory store is misconfigured — confirms, but never finds anything again. */
import { topicOf, type BotExport } from './kit.js';

const bot: BotExport = (base) => ({
  async onMessage(msg, chat) {
    if (topicOf(msg.text) === 'memory-put') {
      await base.onMessage(msg, chat); // confirms as usual…
      chat.state.delete('demo:memory'); // …and the write is lost
      return;
    }
    return base.onMessage(msg, chat);
  },
});
export default bot;
