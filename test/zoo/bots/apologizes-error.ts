/** Broken: the model gateway is misconfigured on canary only — generated answers are an apology and an error. */
import { topicOf, type BotExport } from './kit.js';

const bot: BotExport = (base) => ({
  async onMessage(msg, chat) {
    if (topicOf(msg.text) !== 'kb') return base.onMessage(msg, chat);
    await chat.typing();
    await chat.sleep(700);
    return chat.reply('Sorry, something went wrong. Please try again later.', { replyTo: msg.id });
  },
});
export default bot;
