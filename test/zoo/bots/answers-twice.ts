/** Broken: a retry loop that does not know the first send succeeded — every generated answer arrives twice. */
import { baseAnswer, GENERATED, topicOf, type BotExport } from './kit.js';

const bot: BotExport = (base) => ({
  async onMessage(msg, chat) {
    if (!GENERATED.has(topicOf(msg.text))) return base.onMessage(msg, chat);
    await chat.typing();
    const [m] = await baseAnswer(base, msg, chat);
    if (!m) return;
    await chat.sleep(600);
    await chat.reply(m.text, { replyTo: msg.id });
    await chat.sleep(400);
    await chat.reply(m.text, { replyTo: msg.id });
  },
});
export default bot;
