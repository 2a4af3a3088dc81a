/** Broken: one replica of three runs a stale config and answers every third message with a generic greeting. */
import type { BotExport } from './kit.js';

const bot: BotExport = (base) => {
  let n = 0;
  return {
    async onMessage(msg, chat) {
      n += 1;
      if (n % 3 === 0) {
        await chat.typing();
        await chat.sleep(300);
        return chat.reply("Hi there! 👋 I'm your assistant. How can I help you today?", { replyTo: msg.id });
      }
      return base.onMessage(msg, chat);
    },
  };
};
export default bot;
