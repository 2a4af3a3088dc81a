/** Healthy: slow requests (jokes, knowledge base) get "On it! 🔎" at once, the answer as a second message later. */
import { baseAnswer, GENERATED, topicOf, type BotExport } from './kit.js';

const bot: BotExport = (base) => ({
  async onMessage(msg, chat) {
    if (!GENERATED.has(topicOf(msg.text))) return base.onMessage(msg, chat);
    await chat.reply('On it! 🔎', { replyTo: msg.id });
    await chat.typing();
    const answer = await baseAnswer(base, msg, chat);
    await chat.sleep(1500);
    for (const m of answer) await chat.reply(m.text, m.opts);
  },
});
export default bot;
