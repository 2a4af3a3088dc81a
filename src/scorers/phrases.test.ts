import { describe, expect, it } from 'vitest';
import { DEMO_FALLBACK, KB_NOT_FOUND, jokeCount, jokeAt } from '@tg-canary/sandbox/demo-bots';
import { ERROR_PHRASES, REFUSAL_PHRASES, findPhrase } from './phrases.js';
import { scorerContext, textReply } from './reply.js';
import { scoreAssertion } from './score.js';
import type { AssertionOutcome } from './types.js';

const grade = (type: string, text: string | string[], value?: unknown): Promise<AssertionOutcome> =>
  scoreAssertion({ type, value, weight: 1, critical: false }, scorerContext(textReply(text)));

describe('phrase lists', () => {
  it('cover en, ru, de, fr and es', () => {
    for (const table of [REFUSAL_PHRASES, ERROR_PHRASES]) {
      expect(Object.keys(table).sort()).toEqual(['de', 'en', 'es', 'fr', 'ru']);
      for (const list of Object.values(table)) expect(list.length).toBeGreaterThanOrEqual(5);
    }
  });
  it('match whole words only', () => {
    expect(findPhrase('Как ИИ, я не могу', ['как ИИ'])).toBe('как ИИ');
    expect(findPhrase('как иисус ходил', ['как ИИ'])).toBeUndefined();
  });
});

describe('not-error', () => {
  it.each([
    'Oops! Something went wrong. Please try again later.',
    'Извините, произошла ошибка.',
    'Es ist ein Fehler aufgetreten.',
    "Désolé, une erreur s’est produite.",
    'Lo sentimos, ha ocurrido un error.',
    'Traceback (most recent call last):\n  File "bot.py"',
    'Что-то пошло не так 😢',
  ])('flags %s', async (text) => {
    const r = await grade('not-error', text);
    expect(r.pass).toBe(false);
    expect(r.reason).toMatch(/an error/u);
  });
  it('passes healthy replies, empty, RTL and long ones; value adds phrasings', async () => {
    expect((await grade('not-error', 'The Orbit X1 weighs 1.2 kg.')).pass).toBe(true);
    expect((await grade('not-error', [])).pass).toBe(true);
    expect((await grade('not-error', 'שלום עולם 👋 مرحبا')).pass).toBe(true);
    expect((await grade('not-error', `${'ok '.repeat(1360)}fine!`)).pass).toBe(true);
    expect((await grade('not-error', `${'ok '.repeat(1360)}ошибка 42`, 'ошибка 42')).pass).toBe(false);
    expect((await grade('not-error', 'Bot is on fire', ['on fire', 'kaput'])).pass).toBe(false);
  });
});

describe('not-refusal', () => {
  it.each([
    "I'm sorry, but I can't help with that.",
    'As an AI language model, I do not have opinions.',
    'К сожалению, я не могу ответить на этот вопрос.',
    'Tut mir leid, aber ich kann das nicht tun.',
    'Désolé, mais je ne peux pas répondre.',
    'Lo siento, pero no puedo hacer eso.',
  ])('flags %s', async (text) => {
    expect((await grade('not-refusal', text)).pass).toBe(false);
  });
  it('passes healthy replies, empty, unicode and long ones; value adds phrasings', async () => {
    expect((await grade('not-refusal', 'Your code word is Ёжик-🦔-42.')).pass).toBe(true);
    expect((await grade('not-refusal', [])).pass).toBe(true);
    expect((await grade('not-refusal', 'שלום עולם')).pass).toBe(true);
    expect((await grade('not-refusal', 'x'.repeat(4096))).pass).toBe(true);
    expect((await grade('not-refusal', 'That is not my department', 'not my department')).pass).toBe(false);
  });
  it('never flags the healthy demo bots', async () => {
    const texts = [DEMO_FALLBACK, KB_NOT_FOUND];
    for (const lang of ['en', 'fr', 'es', 'de', 'ru'] as const) {
      for (let k = 0; k < jokeCount(lang); k++) texts.push(jokeAt(lang, k));
    }
    for (const t of texts) {
      expect(findPhrase(t, Object.values(REFUSAL_PHRASES).flat()), t).toBeUndefined();
      expect(findPhrase(t, Object.values(ERROR_PHRASES).flat()), t).toBeUndefined();
    }
  });
});
