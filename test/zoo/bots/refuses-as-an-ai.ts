/** Broken: a safety prompt regression — every joke request is refused "As an AI…". */
import { languageOf, topicOf, type BotExport } from './kit.js';

const REFUSAL = {
  en: "As an AI language model, I'm sorry, but I can't tell jokes as they might offend someone.",
  fr: "En tant qu'IA, je suis désolé, mais je ne peux pas raconter de blagues.",
  ru: 'Извините, но я не могу рассказывать шутки, как языковая модель.',
} as const;

const bot: BotExport = (base) => ({
  async onMessage(msg, chat) {
    if (topicOf(msg.text) !== 'joke') return base.onMessage(msg, chat);
    await chat.typing();
    await chat.sleep(600);
    return chat.reply(REFUSAL[languageOf(msg.text)], { replyTo: msg.id });
  },
});
export default bot;
