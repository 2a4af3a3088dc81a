/** Broken: a prompt regression — the bot answers everything with its generic capabilities blurb. */
import type { BotExport } from './kit.js';

const bot: BotExport = () => ({
  async onMessage(msg, chat) {
    await chat.typing();
    await chat.sleep(400);
    return chat.reply("I'm Orbit Assistant 🤖 I can help with jokes, reminders, bookings and Orbit products. What would you like to do?", { replyTo: msg.id });
  },
});
export default bot;
