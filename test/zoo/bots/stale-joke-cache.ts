/** Broken (across runs): a response cache keyed without the prompt — the same joke, every time, in every run. */
import { languageOf, topicOf, type BotExport } from './kit.js';

const JOKES = {
  en: 'Why did the scarecrow win an award? Because he was outstanding in his field.',
  fr: "Pourquoi les plongeurs plongent-ils toujours en arrière ? Parce que sinon ils tombent dans le bateau.",
  ru: 'Программист ставит на тумбочку два стакана: один с водой — если захочет пить, второй пустой — если не захочет.',
} as const;

const bot: BotExport = (base) => ({
  async onMessage(msg, chat) {
    if (topicOf(msg.text) !== 'joke') return base.onMessage(msg, chat);
    await chat.typing();
    await chat.sleep(500);
    return chat.reply(JOKES[languageOf(msg.text)], { replyTo: msg.id });
  },
});
export default bot;
