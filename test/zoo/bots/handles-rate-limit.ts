/** Healthy: streams by fast edits (every 250 ms), hits Telegram's 429, waits retry_after and lands the final text. */
import { baseAnswer, GENERATED, topicOf, type BotExport } from './kit.js';

const bot: BotExport = (base) => ({
  async onMessage(msg, chat) {
    if (!GENERATED.has(topicOf(msg.text))) return base.onMessage(msg, chat);
    await chat.typing();
    const [m] = await baseAnswer(base, msg, chat);
    if (!m) return;
    const words = m.text.split(' ');
    const id = await chat.reply(`${words[0]} ▌`, { replyTo: msg.id });
    const steps = [0.3, 0.5, 0.7, 0.85, 1].map((f) => Math.max(1, Math.round(words.length * f)));
    for (const [i, c] of steps.entries()) {
      const text = i === steps.length - 1 ? m.text : `${words.slice(0, c).join(' ')} ▌`;
      await chat.sleep(250);
      for (let attempt = 0; attempt < 5; attempt++) {
        try {
          await chat.edit(id, text);
          break;
        } catch (e) {
          const err = e as { code?: number; retryAfter?: number };
          if (err.code !== 429) throw e;
          if (i < steps.length - 1) break; // an intermediate frame can be dropped
          await chat.sleep((err.retryAfter ?? 1) * 1000);
        }
      }
    }
  },
});
export default bot;
