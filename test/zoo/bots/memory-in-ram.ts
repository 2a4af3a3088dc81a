/**
 * Broken (across runs): memory moved from the store into process RAM — within a conversation it works, after a
 * redeploy (a new module instance) everything planted is gone.
 */
import { topicOf, type BotExport } from './kit.js';

const PUT = /^\s*remember(?:\s*:\s*|\s+that\s+|\s+)my\s+(.+?)\s+is\s+(.+?)\.?\s*$/isu;
const GET = /^\s*what(?:'s|\s+is)\s+my\s+(.+?)\s*\??\s*$/isu;

const bot: BotExport = (base) => {
  const ram = new Map<string, string>();
  return {
    async onMessage(msg, chat) {
      const t = topicOf(msg.text);
      if (t !== 'memory-put' && t !== 'memory-get') return base.onMessage(msg, chat);
      await chat.typing();
      await chat.sleep(250);
      const put = PUT.exec(msg.text);
      if (put) {
        ram.set(`${chat.id}:${put[1].toLowerCase()}`, put[2]);
        return chat.reply(`Got it — I'll remember that your ${put[1]} is ${put[2]}.`, { replyTo: msg.id });
      }
      const key = GET.exec(msg.text)?.[1] ?? '';
      const v = ram.get(`${chat.id}:${key.toLowerCase()}`);
      return chat.reply(v === undefined ? `I don't know your ${key} yet.` : `Your ${key} is ${v}.`, { replyTo: msg.id });
    },
  };
};
export default bot;
