/** Broken: the generation worker crashes on every joke request — no answer at all (typing, then nothing). */
import { topicOf, type BotExport } from './kit.js';

const bot: BotExport = (base) => ({
  async onMessage(msg, chat) {
    if (topicOf(msg.text) === 'joke') {
      await chat.typing();
      throw new Error('generation worker: segmentation fault');
    }
    return base.onMessage(msg, chat);
  },
});
export default bot;
