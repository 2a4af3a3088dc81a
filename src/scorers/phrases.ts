/**
 * Built-in refusal and error phrasings for `not-refusal` and `not-error` (health-scorers.ts), in EN RU DE FR ES.
 * Exported so users can see them; an assertion's value and the config (`checks.errorPhrases`,
 * `checks.refusalPhrases`) add more. Matching is case-insensitive on whole words. Structured error shapes
 * (error lines, HTTP status, stack traces) are patterns in error-patterns.ts.
 */
import { normalizeText } from './text.js';

export type PhraseLanguage = 'en' | 'ru' | 'de' | 'fr' | 'es';

export const REFUSAL_PHRASES: Readonly<Record<PhraseLanguage, readonly string[]>> = {
  en: [
    "I can't help with that", 'I cannot help with that', "I can't assist with", 'I cannot assist with',
    "I'm unable to help", 'I am unable to help', "I'm not able to help", "I won't be able to help",
    'as an AI', 'as a language model', "I'm sorry, but I can't", "I'm sorry, but I cannot", 'I must decline',
    "I can't comply", 'I cannot comply', 'against my guidelines', "I'm not allowed to", 'I am not allowed to',
    "I can't provide", 'I cannot provide', 'as an AI language model', 'as an artificial intelligence',
    "I'm sorry, I can't", "I'm sorry, I cannot", "I'm afraid I can't", "I'm afraid I cannot", "I can't fulfill",
    'I cannot fulfill', "I can't do that", 'I cannot do that', "I'm not comfortable", 'I am not comfortable',
    "I'm not able to provide", "I won't help with", 'I will not help with', "that's not something I can help with",
    'I am just an AI', "I'm just an AI", 'I do not have the ability to', "I don't have the ability to",
  ],
  ru: [
    'я не могу помочь с этим', 'я не могу с этим помочь', 'не могу с этим помочь', 'как ИИ', 'как языковая модель',
    'я не могу ответить на этот вопрос', 'извините, но я не могу', 'к сожалению, я не могу', 'я не могу это сделать',
    'как искусственный интеллект', 'я всего лишь ИИ', 'я не могу выполнить', 'я не могу помочь с этим запросом',
    'я не буду', 'это выходит за рамки моих возможностей',
  ],
  de: [
    'ich kann dabei nicht helfen', 'ich kann Ihnen dabei nicht helfen', 'ich kann dir dabei nicht helfen', 'als KI',
    'als Sprachmodell', 'tut mir leid, aber ich kann', 'das kann ich nicht beantworten', 'darauf kann ich nicht eingehen',
    'als künstliche Intelligenz', 'ich kann leider nicht', 'leider kann ich dabei nicht helfen', 'das kann ich nicht tun',
  ],
  fr: [
    'je ne peux pas vous aider', "je ne peux pas t'aider", 'je ne peux pas aider', "en tant qu'IA",
    'en tant que modèle de langage', 'désolé, mais je ne peux pas', 'je ne suis pas en mesure de',
    "en tant qu'intelligence artificielle", 'je ne peux pas répondre', 'je suis désolé, mais je ne peux pas',
    'je ne peux pas faire cela',
  ],
  es: [
    'no puedo ayudarte con eso', 'no puedo ayudar con eso', 'no puedo ayudarle con eso', 'como IA',
    'como modelo de lenguaje', 'lo siento, pero no puedo', 'no estoy en condiciones de',
    'como inteligencia artificial', 'lo siento, no puedo', 'no puedo cumplir', 'no puedo hacer eso',
  ],
};

export const ERROR_PHRASES: Readonly<Record<PhraseLanguage, readonly string[]>> = {
  en: [
    'something went wrong', 'try again later', 'please try again', 'an error occurred', 'an error has occurred',
    'an unexpected error', 'internal server error', 'service unavailable', 'temporarily unavailable', 'bad gateway',
    'gateway timeout', 'request timed out', 'unhandled exception', 'traceback (most recent call last)',
    'undefined is not a function', 'cannot read properties of undefined', 'cannot read property',
    '[object Object]', 'failed to process your request', 'error 500', 'error 502', 'error 503',
    'an error occurred while', 'unexpected error occurred', 'internal error', 'server error', 'we are having trouble',
    "we're having trouble", 'failed to generate a response', 'failed to fetch', 'could not process your request',
    'model is overloaded', 'the service is currently unavailable',
  ],
  ru: [
    'произошла ошибка', 'что-то пошло не так', 'попробуйте позже', 'попробуйте ещё раз', 'повторите попытку позже',
    'сервис недоступен', 'сервис временно недоступен', 'внутренняя ошибка', 'ошибка сервера',
    'не удалось обработать запрос', 'сервис перегружен', 'что-то сломалось', 'не удалось получить ответ',
  ],
  de: [
    'es ist ein Fehler aufgetreten', 'ein Fehler ist aufgetreten', 'etwas ist schiefgelaufen', 'etwas ist schief gelaufen',
    'versuchen Sie es später erneut', 'versuche es später noch einmal', 'Dienst nicht verfügbar', 'interner Fehler',
    'Serverfehler', 'ein unerwarteter Fehler', 'konnte nicht verarbeitet werden', 'bitte versuchen Sie es erneut',
  ],
  fr: [
    "une erreur s'est produite", 'une erreur est survenue', "quelque chose s'est mal passé", 'réessayez plus tard',
    'veuillez réessayer', 'service indisponible', 'erreur interne', 'erreur du serveur', 'erreur inattendue',
    'impossible de traiter votre demande', 'un problème est survenu',
  ],
  es: [
    'ha ocurrido un error', 'se produjo un error', 'ocurrió un error', 'algo salió mal', 'inténtalo más tarde',
    'inténtelo de nuevo más tarde', 'vuelve a intentarlo', 'servicio no disponible', 'error interno',
    'error del servidor', 'error inesperado', 'no se pudo procesar', 'hubo un problema',
  ],
};

function normPhrase(s: string): string {
  return normalizeText(s).replace(/ё/gu, 'е');
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}

interface CompiledList {
  re: RegExp;
  /** normalized phrase → the phrase as listed */
  byNorm: Map<string, string>;
}

const compiled = new Map<string, CompiledList>();

/**
 * One regex for a whole phrase list, compiled once: a `\p{L}` lookaround is costly to compile, and a hundred
 * separate ones made the first `not-error` check take ~60 ms (cold start of every run).
 */
function compileList(phrases: readonly string[]): CompiledList | undefined {
  const cacheKey = phrases.join('\u0000');
  let c = compiled.get(cacheKey);
  if (!c) {
    const byNorm = new Map<string, string>();
    for (const p of phrases) {
      const n = normPhrase(p);
      if (n !== '' && !byNorm.has(n)) byNorm.set(n, p);
    }
    if (byNorm.size === 0) return undefined;
    // Longest first, so a phrase that contains another one wins at the same position.
    const alts = [...byNorm.keys()].sort((a, b) => b.length - a.length).map(escapeRegex);
    c = { re: new RegExp(`(?<![\\p{L}\\p{N}])(?:${alts.join('|')})(?![\\p{L}\\p{N}])`, 'u'), byNorm };
    if (compiled.size > 200) compiled.clear();
    compiled.set(cacheKey, c);
  }
  return c;
}

/** A phrase of the list found in `text` as whole words (the leftmost one), or undefined. */
export function findPhrase(text: string, phrases: readonly string[]): string | undefined {
  const c = compileList(phrases);
  if (!c) return undefined;
  const m = c.re.exec(normPhrase(text));
  return m ? c.byNorm.get(m[0]) : undefined;
}
