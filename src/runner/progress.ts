/**
 * Messages that LLM bots show while they work: "🔎 Searching…", "On it!", "Thinking...", a trailing cursor ▌.
 * A reply whose newest message looks like this is not final yet; the tester keeps waiting (up to the deadline).
 * Data, not code: one table of phrasings per language, plus patterns from config.
 */

/** Whole-message phrasings (case-insensitive, matched after trimming decoration), per language. */
export const PROGRESS_PHRASES: Readonly<Record<string, readonly string[]>> = {
  en: [
    'thinking', 'typing', 'generating', 'loading', 'searching', 'looking (?:it|that|this) up', 'checking',
    'working on it', 'on it', 'one moment', 'one sec(?:ond)?', 'just a (?:moment|sec(?:ond)?|minute)', 'hold on',
    'please wait', 'let me (?:check|think|look(?: (?:it|that) up)?|see)', 'processing', 'give me a (?:moment|sec(?:ond)?)',
    'writing', 'composing', 'analy[sz]ing', 'fetching', 'querying', 'running tools?', 'calling tools?',
  ],
  ru: ['думаю', 'печатает', 'генерирую', 'ищу', 'проверяю', 'секунд(?:у|очку)', 'минут(?:у|ку|очку)', 'подождите', 'обрабатываю', 'сейчас(?: посмотрю| проверю| отвечу)?', 'уже пишу', 'пишу ответ'],
  de: ['denke nach', 'ich denke', 'suche', 'einen moment(?: bitte)?', 'moment(?: bitte)?', 'bitte warten', 'wird generiert', 'ich schaue(?: nach)?', 'ich prüfe', 'verarbeite', 'schreibe'],
  fr: ['je réfléchis', 'réflexion', 'recherche(?: en cours)?', 'je cherche', 'un instant', 'un moment', 'patientez', 'en cours', 'je vérifie', 'génération(?: en cours)?'],
  es: ['pensando', 'buscando', 'un momento', 'espera', 'un segundo', 'generando', 'procesando', 'déjame (?:ver|pensar|revisar)', 'escribiendo'],
};

/** Glyphs that mark work in progress when a message ends with them (or is made of them). */
const PROGRESS_GLYPHS = /(?:…|\.{3}|⏳|⌛|🔎|🔍|💭|🤔|✍️?|⚙️?|🔄|▌|▍|▎|▏|█|▋|▊|▉)\s*$/u;
/** Leading decoration a bot may put around its progress words. */
const DECORATION = /^[\s\p{Extended_Pictographic}\p{So}*_~`>|.…!-]+|[\s\p{Extended_Pictographic}\p{So}*_~`.…!-]+$/gu;

/** Progress messages are short: a real answer that happens to end in "…" is longer than this. */
const SHORT = 60;

export type ProgressMatcher = (text: string) => boolean;

/** Builds the matcher from the built-in table and extra patterns (regex source strings, case-insensitive). */
export function makeProgressMatcher(extra: readonly string[] = []): ProgressMatcher {
  const phrases = [...Object.values(PROGRESS_PHRASES).flat(), ...extra];
  const whole = new RegExp(`^(?:${phrases.join('|')})(?:[\\s.…!]*)$`, 'iu');
  return (text: string): boolean => {
    const t = text.trim();
    if (t === '') return true;
    if (t.length > SHORT) return false;
    if (PROGRESS_GLYPHS.test(t)) return true;
    const core = t.replace(DECORATION, '').trim();
    return core === '' || whole.test(core);
  };
}

export const isProgressText: ProgressMatcher = makeProgressMatcher();
