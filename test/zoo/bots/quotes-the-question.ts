/** Healthy: every answer quotes the user's question on its first line ("> …"), then answers, as a Telegram reply. */
import type { BotExport } from './kit.js';
import { rewritingChat } from './kit.js';

const bot: BotExport = (base) => ({
  onMessage: (msg, chat) =>
    base.onMessage(msg, rewritingChat(chat, msg, {
      text: (t, m, kind) => (kind === 'draft' ? t : `> ${m.text.slice(0, 60)}\n${t}`),
      options: (o, m) => ({ ...o, replyTo: o?.replyTo ?? m.id }),
    })),
});
export default bot;
