/** Healthy: long answers go out as two messages (first sentence, then the rest) 700 ms apart. */
import { baseAnswer, GENERATED, topicOf, type BotExport } from './kit.js';

const bot: BotExport = (base) => ({
  async onMessage(msg, chat) {
    if (!GENERATED.has(topicOf(msg.text))) return base.onMessage(msg, chat);
    await chat.typing();
    const [m] = await baseAnswer(base, msg, chat);
    if (!m) return;
    const cut = m.text.search(/[.?!…]\s+\S/u);
    await chat.sleep(600);
    if (cut < 0) return chat.reply(m.text, { replyTo: msg.id });
    await chat.reply(m.text.slice(0, cut + 1), { replyTo: msg.id });
    await chat.typing();
    await chat.sleep(700);
    await chat.reply(m.text.slice(cut + 1).trim());
  },
});
export default bot;
