/** Broken: streams by edits every 200 ms and ignores Telegram's 429 — the final edit is lost, the cursor stays. */
import { baseAnswer, GENERATED, topicOf, type BotExport } from './kit.js';

const bot: BotExport = (base) => ({
  async onMessage(msg, chat) {
    if (!GENERATED.has(topicOf(msg.text))) return base.onMessage(msg, chat);
    await chat.typing();
    const [m] = await baseAnswer(base, msg, chat);
    if (!m) return;
    const words = m.text.split(' ');
    const id = await chat.reply(`${words[0]} ▌`, { replyTo: msg.id });
    const cuts = [0.2, 0.4, 0.6, 0.8, 1].map((f) => Math.max(1, Math.round(words.length * f)));
    for (const [i, c] of cuts.entries()) {
      await chat.sleep(200);
      await chat.edit(id, i === cuts.length - 1 ? m.text : `${words.slice(0, c).join(' ')} ▌`).catch(() => undefined); // 429 swallowed
    }
  },
});
export default bot;
