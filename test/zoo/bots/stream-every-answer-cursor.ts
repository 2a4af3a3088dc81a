/** Healthy: streams every answer by editing one message about once a second, with a trailing cursor "▌" until done. */
import { baseAnswer, topicOf, type BotExport } from './kit.js';

const bot: BotExport = (base) => ({
  async onMessage(msg, chat) {
    if (topicOf(msg.text) === 'reminder' || topicOf(msg.text) === 'booking') return base.onMessage(msg, chat);
    await chat.typing();
    const [m] = await baseAnswer(base, msg, chat);
    if (!m) return;
    const words = m.text.split(' ');
    const cuts = [0.25, 0.5, 0.75].map((f) => Math.max(1, Math.round(words.length * f)));
    await chat.sleep(400);
    const id = await chat.reply(`${words.slice(0, cuts[0]).join(' ')} ▌`, { replyTo: msg.id });
    for (const c of cuts.slice(1)) {
      await chat.sleep(1050);
      await chat.edit(id, `${words.slice(0, c).join(' ')} ▌`);
    }
    await chat.sleep(1050);
    await chat.edit(id, m.text);
  },
});
export default bot;
