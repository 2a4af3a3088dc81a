/** Healthy: sends the answer with a typo, then fixes it by an edit 900 ms later (the final text is right). */
import { baseAnswer, GENERATED, topicOf, type BotExport } from './kit.js';

const bot: BotExport = (base) => ({
  async onMessage(msg, chat) {
    if (!GENERATED.has(topicOf(msg.text))) return base.onMessage(msg, chat);
    await chat.typing();
    const [m] = await baseAnswer(base, msg, chat);
    if (!m) return;
    await chat.sleep(500);
    const swapped = m.text.replace(/(\p{L})(\p{L})/u, '$2$1');
    const id = await chat.reply(swapped === m.text ? m.text.toUpperCase() : swapped, { replyTo: msg.id });
    await chat.sleep(900);
    await chat.edit(id, m.text);
  },
});
export default bot;
