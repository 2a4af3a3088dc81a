/** Healthy: a bigger model thinks 8 s before a generated answer, renewing "typing" every 4 s as Telegram needs. */
import { GENERATED, topicOf, type BotExport } from './kit.js';

const bot: BotExport = (base) => ({
  async onMessage(msg, chat) {
    if (GENERATED.has(topicOf(msg.text))) {
      for (let i = 0; i < 2; i++) {
        await chat.typing();
        await chat.sleep(4000);
      }
    }
    return base.onMessage(msg, chat);
  },
});
export default bot;
