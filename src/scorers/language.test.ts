import { describe, expect, it } from 'vitest';
import { createDemoBot, jokeAt, type JokeLanguage } from '@tg-canary/sandbox/demo-bots';
import { detectLanguage } from './language.js';
import { scorerContext, textReply } from './reply.js';
import { scoreAssertion } from './score.js';

const grade = async (value: string, text: string | string[]): Promise<boolean> =>
  (await scoreAssertion({ type: 'language', value, weight: 1, critical: false }, scorerContext(textReply(text)))).pass;

describe('detectLanguage', () => {
  it.each([
    ['The Orbit X1 comes with a 2-year warranty.', 'en'],
    ["Pourquoi les plongeurs plongent-ils toujours en arrière ? Parce que sinon, ils tombent dans le bateau.", 'fr'],
    ['¿Por qué el mar es tan amable? Porque siempre saluda con las olas.', 'es'],
    ['Warum ist der Mond nie hungrig? Weil er immer voll ist.', 'de'],
    ['Почему луна никогда не голодна? Потому что она всегда полная.', 'ru'],
    ['Чому місяць ніколи не голодний? Тому що він завжди повний, і їсти не треба.', 'uk'],
    ['Perché il mare è così gentile? Perché saluta sempre con le onde.', 'it'],
    ['Por que o mar é tão simpático? Porque ele sempre acena com as ondas, não é?', 'pt'],
    ['שלום עולם, מה שלומך היום?', 'he'],
    ['مرحبا بالعالم، كيف حالك اليوم؟', 'ar'],
    ['今日はいい天気ですね。', 'ja'],
    ['你好，世界', 'zh'],
    ['안녕하세요 세계', 'ko'],
    ['Γειά σου Κόσμε', 'el'],
  ])('%s → %s', (text, lang) => {
    expect(detectLanguage(text).language).toBe(lang);
  });

  it('is undetermined without letters or evidence', () => {
    expect(detectLanguage('').language).toBe('und');
    expect(detectLanguage('👋🏽 123 !!!').language).toBe('und');
    expect(detectLanguage('Xyzzy plugh').language).toBe('und');
  });

  it('recognises every demo-bot joke in its language', () => {
    const langs: JokeLanguage[] = ['en', 'fr', 'es', 'de', 'ru'];
    for (const lang of langs) {
      for (let k = 0; k < 304; k += 1) expect(detectLanguage(jokeAt(lang, k)).language, jokeAt(lang, k)).toBe(lang);
    }
  });
});

describe('language scorer', () => {
  it('passes the right language and fails the wrong one', async () => {
    expect(await grade('fr', 'Pourquoi les vaches portent-elles des cloches ? Parce que leurs cornes ne marchent pas.')).toBe(true);
    expect(await grade('en', 'Pourquoi les vaches portent-elles des cloches ? Parce que leurs cornes ne marchent pas.')).toBe(false);
  });
  it('handles empty, unicode (emoji, RTL), long and negation', async () => {
    expect(await grade('en', [])).toBe(false);
    expect(await grade('ru', 'Привет 👋🏽! Как у тебя дела? Это всё очень хорошо 🇷🇺')).toBe(true);
    expect(await grade('he', 'שלום! 👋 מה שלומך?')).toBe(true);
    const long = 'This is the answer and it is long. '.repeat(120).slice(0, 4096);
    expect(await grade('en', long)).toBe(true);
    const neg = await scoreAssertion(
      { type: 'not-language', value: 'en', weight: 1, critical: false },
      scorerContext(textReply('Warum spielen Fische kein Tennis? Weil sie Angst vor dem Netz haben.')),
    );
    expect(neg.pass).toBe(true);
  });
  it('the demo bot answers in French when asked', async () => {
    const bot = createDemoBot('stable_bot');
    let sent = '';
    const chat = {
      id: '1', userId: '1', state: new Map<string, unknown>(),
      reply: async (t: string): Promise<number> => { sent = t; return 1; },
      edit: async (): Promise<void> => undefined, delete: async (): Promise<void> => undefined,
      typing: async (): Promise<void> => undefined, sleep: async (): Promise<void> => undefined,
      draft: async (): Promise<void> => undefined,
    };
    await bot?.onMessage({ id: 1, text: 'Tell me a joke in French', date: 0 }, chat);
    expect(await grade('fr', sent)).toBe(true);
  });
});
