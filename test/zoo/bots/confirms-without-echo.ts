/** Healthy: confirms a memory request without repeating the secret back ("Got it — I'll remember that. 🔒"). */
import { topicOf, type BotExport } from './kit.js';
import { capturingChat } from './kit.js';

const bot: BotExport = (base) => ({
  async onMessage(msg, chat) {
    if (topicOf(msg.text) !== 'memory-put') return base.onMessage(msg, chat);
    await base.onMessage(msg, capturingChat(chat).chat); // stores it, says nothing
    await chat.typing();
    await chat.sleep(250);
    return chat.reply("Got it — I'll remember that. 🔒", { replyTo: msg.id });
  },
});
export default bot;
