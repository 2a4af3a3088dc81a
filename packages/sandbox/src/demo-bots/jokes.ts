/**
 * Joke skill of the demo bots: detects a joke request and its language, and hands out jokes that never repeat
 * within a chat until the repertoire is exhausted. Each chat starts at a random point of the cycle.
 */
import { EN_JOKES, FR_JOKES, type JokeMaterial } from './jokes-latin.js';
import { DE_JOKES, ES_JOKES, RU_JOKES } from './jokes-more.js';

export type JokeLanguage = 'en' | 'fr' | 'es' | 'de' | 'ru';

const MATERIAL: Readonly<Record<JokeLanguage, JokeMaterial>> = {
  en: EN_JOKES,
  fr: FR_JOKES,
  es: ES_JOKES,
  de: DE_JOKES,
  ru: RU_JOKES,
};

const JOKE_TRIGGER = /joke|blague|chiste|witz|шутк|анекдот/iu;

/** Explicit language requests, checked in order. */
const LANGUAGE_ASKS: ReadonlyArray<[RegExp, JokeLanguage]> = [
  [/\bin french\b|en fran[çc]ais/iu, 'fr'],
  [/\bin spanish\b|en espa[ñn]ol/iu, 'es'],
  [/\bin german\b|auf deutsch/iu, 'de'],
  [/\bin russian\b|по-русски|на русском/iu, 'ru'],
  [/\bin english\b/iu, 'en'],
];

/** The language implied by the word used for "joke", when no language is asked for explicitly. */
const TRIGGER_LANGUAGE: ReadonlyArray<[RegExp, JokeLanguage]> = [
  [/blague/iu, 'fr'],
  [/chiste/iu, 'es'],
  [/witz/iu, 'de'],
  [/шутк|анекдот/iu, 'ru'],
];

export function isJokeRequest(text: string): boolean {
  return JOKE_TRIGGER.test(text);
}

export function jokeLanguage(text: string): JokeLanguage {
  for (const [re, lang] of LANGUAGE_ASKS) if (re.test(text)) return lang;
  for (const [re, lang] of TRIGGER_LANGUAGE) if (re.test(text)) return lang;
  return 'en';
}

/** Number of distinct jokes per language. */
export function jokeCount(lang: JokeLanguage): number {
  const m = MATERIAL[lang];
  return m.bases.length * m.tags.length;
}

/** The k-th joke of the cycle. Base and tag counts are coprime, so k ↦ (k mod B, k mod T) is a bijection. */
export function jokeAt(lang: JokeLanguage, k: number): string {
  const m = MATERIAL[lang];
  const n = jokeCount(lang);
  const i = ((k % n) + n) % n;
  return `${m.bases[i % m.bases.length]} ${m.tags[i % m.tags.length]}`;
}

interface JokeCursor {
  start: number;
  served: number;
}

/** Next joke for this chat; `state` is the chat's state map. */
export function nextJoke(state: Map<string, unknown>, lang: JokeLanguage, random: () => number): string {
  const key = `demo:jokes:${lang}`;
  let cursor = state.get(key) as JokeCursor | undefined;
  if (!cursor) {
    cursor = { start: Math.floor(random() * jokeCount(lang)), served: 0 };
    state.set(key, cursor);
  }
  const joke = jokeAt(lang, cursor.start + cursor.served);
  cursor.served += 1;
  return joke;
}
