/** Healthy: a busier region — each request waits 0.2–3 s (seeded) before the bot starts, typing shown meanwhile. */
import { seeded, type BotExport } from './kit.js';

const bot: BotExport = (base) => {
  const random = seeded(7);
  return {
    async onMessage(msg, chat) {
      await chat.typing();
      await chat.sleep(200 + Math.round(random() * 2800));
      return base.onMessage(msg, chat);
    },
  };
};
export default bot;
