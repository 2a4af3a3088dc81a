/** Broken: the joke is streamed by drafts, then the worker dies before sending the message. */
import { baseAnswer, topicOf, type BotExport } from './kit.js';

const bot: BotExport = (base) => ({
  async onMessage(msg, chat) {
    if (topicOf(msg.text) !== 'joke') return base.onMessage(msg, chat);
    await chat.typing();
    const [m] = await baseAnswer(base, msg, chat);
    if (!m) return;
    const chars = Array.from(m.text);
    for (const f of [0.3, 0.6, 0.9]) {
      await chat.sleep(400);
      await chat.draft(chars.slice(0, Math.round(chars.length * f)).join(''));
    }
  },
});
export default bot;
