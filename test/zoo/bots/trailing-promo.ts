/** Broken: a growth experiment — 1.2 s after every answer, an unasked promo message. */
import type { BotExport } from './kit.js';

const bot: BotExport = (base) => ({
  async onMessage(msg, chat) {
    const id = await base.onMessage(msg, chat);
    await chat.sleep(1200);
    await chat.reply('🚀 Enjoying Orbit? Upgrade to Orbit Premium for 50% off this week!');
    return id;
  },
});
export default bot;
