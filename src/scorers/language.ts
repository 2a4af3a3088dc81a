/**
 * A small, self-written language detector: the dominant script first, then (for Latin and Cyrillic) stop-word
 * frequency plus a few telltale letters. Good enough to tell a French joke from an English one; not a linguist.
 */
import type { Scorer } from './types.js';
import { outcome } from './types.js';
import { normalizeText, preview } from './text.js';
import { asText } from './values.js';

const SCRIPTS: ReadonlyArray<[string, RegExp]> = [
  ['latin', /\p{Script=Latin}/u],
  ['cyrillic', /\p{Script=Cyrillic}/u],
  ['greek', /\p{Script=Greek}/u],
  ['arabic', /\p{Script=Arabic}/u],
  ['hebrew', /\p{Script=Hebrew}/u],
  ['hangul', /\p{Script=Hangul}/u],
  ['kana', /[\p{Script=Hiragana}\p{Script=Katakana}]/u],
  ['han', /\p{Script=Han}/u],
  ['devanagari', /\p{Script=Devanagari}/u],
  ['thai', /\p{Script=Thai}/u],
  ['armenian', /\p{Script=Armenian}/u],
  ['georgian', /\p{Script=Georgian}/u],
];

/** Scripts that identify one language on their own. */
const SCRIPT_LANGUAGE: Readonly<Record<string, string>> = {
  greek: 'el', arabic: 'ar', hebrew: 'he', hangul: 'ko', kana: 'ja', han: 'zh', devanagari: 'hi', thai: 'th',
  armenian: 'hy', georgian: 'ka',
};

const words = (s: string): ReadonlySet<string> => new Set(s.split(' '));

const STOP_WORDS: Readonly<Record<string, ReadonlySet<string>>> = {
  en: words('the and is are was were to of in that it you for on with this be have has not but what why because a an i my your they do does at from will can there their if or so'),
  fr: words("le la les et est un une des du de que qui pas pour dans ce il elle ils elles vous nous je sur avec au aux sont mais parce pourquoi qu ne se leur très ça cette mon ton son on y"),
  es: words('el la los las y es un una de que en por porque qué con para no se su sus lo al del está son muy pero como mi te yo tu le ya cuando también'),
  de: words('der die das und ist nicht ein eine zu den dem des mit sich auf für ich du es sie wir weil warum von im auch wenn noch hat haben bin sind aber oder wie was'),
  it: words('il lo la gli le e è un una di che non per con sono perché del della mi ti ma come questo anche ho ha'),
  pt: words('o a os as e é um uma de que não para com do da dos das em por porque você mas como isso muito eu ele ela'),
  nl: words('de het een en is van niet dat die ik je op te met voor zijn maar waarom omdat ook er wat hij zij'),
  ru: words('и в не на что я с он она как это по но из у за от так то же вы ты мы все они был была почему потому его её мне'),
  uk: words('і в не на що я з він вона як це по але із у за від так то ж ви ти ми всі вони був була чому тому його її мені'),
};

/** Letters that strongly suggest one language within its script. */
const TELLTALES: ReadonlyArray<[RegExp, string, number]> = [
  [/[ñ¿¡]/u, 'es', 2],
  [/[ß]/u, 'de', 3],
  [/[äöü]/u, 'de', 1.5],
  [/[çœ]|[èêëàâîôûù]/u, 'fr', 1.5],
  [/[ãõ]/u, 'pt', 2],
  [/[ìò]/u, 'it', 1],
  [/[іїєґ]/u, 'uk', 3],
  [/[ыэъё]/u, 'ru', 2],
];

const LATIN = ['en', 'fr', 'es', 'de', 'it', 'pt', 'nl'];
const CYRILLIC = ['ru', 'uk'];

/** ISO 639-1 codes the detector can name. */
export const SUPPORTED_LANGUAGES: readonly string[] = [...LATIN, ...CYRILLIC, ...Object.values(SCRIPT_LANGUAGE)];

export interface Detection {
  /** ISO 639-1 code, or `und` when undetermined. */
  language: string;
  /** 0..1, share of the winning evidence. */
  confidence: number;
}

export function detectLanguage(text: string): Detection {
  const counts = new Map<string, number>();
  for (const ch of text) {
    if (!/\p{L}/u.test(ch)) continue;
    const script = SCRIPTS.find(([, re]) => re.test(ch))?.[0] ?? 'other';
    counts.set(script, (counts.get(script) ?? 0) + 1);
  }
  // Japanese mixes kana and han: any kana makes it Japanese.
  if ((counts.get('kana') ?? 0) > 0) counts.set('kana', (counts.get('kana') ?? 0) + (counts.get('han') ?? 0));
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  if (ranked.length === 0) return { language: 'und', confidence: 0 };
  const [script] = ranked[0];
  const fixed = SCRIPT_LANGUAGE[script];
  if (fixed) return { language: fixed, confidence: 1 };
  const candidates = script === 'latin' ? LATIN : script === 'cyrillic' ? CYRILLIC : [];
  if (candidates.length === 0) return { language: 'und', confidence: 0 };
  const norm = normalizeText(text);
  const toks = norm.match(/[\p{L}\p{M}]+/gu) ?? [];
  const scores = new Map<string, number>(candidates.map((c) => [c, 0]));
  for (const t of toks) for (const c of candidates) if (STOP_WORDS[c].has(t)) scores.set(c, (scores.get(c) ?? 0) + 1);
  for (const [re, lang, bonus] of TELLTALES) if (scores.has(lang) && re.test(norm)) scores.set(lang, (scores.get(lang) ?? 0) + bonus);
  if (script === 'cyrillic' && (scores.get('uk') ?? 0) <= (scores.get('ru') ?? 0)) {
    return { language: 'ru', confidence: 1 };
  }
  const best = [...scores.entries()].sort((a, b) => b[1] - a[1]);
  const total = best.reduce((s, [, v]) => s + v, 0);
  if (best[0][1] === 0) return { language: 'und', confidence: 0 };
  return { language: best[0][0], confidence: best[0][1] / total };
}

export const languageScorer: Scorer = (spec, ctx) => {
  const expected = asText(spec.value).trim().toLowerCase();
  const text = ctx.reply.text;
  if (!/\p{L}/u.test(text)) return outcome(false, `reply has no letters to detect a language in: ${preview(text)}`);
  const d = detectLanguage(text);
  if (d.language === 'und') return outcome(false, `could not tell the language of ${preview(text)}`);
  return d.language === expected
    ? outcome(true, `reply is in ${expected} (confidence ${d.confidence.toFixed(2)})`)
    : outcome(false, `reply looks like ${d.language}, not ${expected}: ${preview(text)}`);
};
