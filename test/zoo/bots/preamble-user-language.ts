/** Healthy: a chattier prompt opens every answer with a preamble in the user's language. */
import { languageOf, rewrite, topicOf } from './kit.js';

const PREAMBLE = { en: 'Sure! Here you go:', fr: 'Bien sûr ! Voici :', ru: 'Конечно! Вот, пожалуйста:' } as const;

export default rewrite({
  text: (t, msg, kind) => (kind === 'draft' || topicOf(msg.text) === 'other' || msg.text === '' ? t : `${PREAMBLE[languageOf(msg.text)]}\n\n${t}`),
});
