/** Healthy: streams every generated answer by drafts about once a second for ~4 s, then sends the message. */
import { baseAnswer, GENERATED, topicOf, type BotExport } from './kit.js';

const bot: BotExport = (base) => ({
  async onMessage(msg, chat) {
    if (!GENERATED.has(topicOf(msg.text))) return base.onMessage(msg, chat);
    await chat.typing();
    const [m] = await baseAnswer(base, msg, chat);
    if (!m) return;
    const chars = Array.from(m.text);
    for (const f of [0.2, 0.4, 0.6, 0.8]) {
      await chat.sleep(1000);
      // sendMessageDraft is for private chats only: in a group it thinks just as long, then sends
      if ((chat.type ?? 'private') === 'private') await chat.draft(chars.slice(0, Math.max(1, Math.round(chars.length * f))).join(''));
    }
    await chat.sleep(1000);
    await chat.reply(m.text, { replyTo: msg.id });
  },
});
export default bot;
