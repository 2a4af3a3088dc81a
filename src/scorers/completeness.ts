/**
 * Is a reply complete? Signs of a generation cut short or broken at the end: a streaming cursor left behind, an
 * unclosed code fence, a dangling comma or function word, a last sentence cut off after well-punctuated ones, an
 * error line after the content. A reply ending in an emoji, a URL, a code block, a number or a list passes.
 */
import { ERROR_PATTERNS, firstMatch } from './error-patterns.js';
import { findPhrase, ERROR_PHRASES } from './phrases.js';
import { preview } from './text.js';

/** Glyphs streaming UIs use as a cursor while a message is still being written. */
export const CURSOR_GLYPHS = ['▌', '▍', '▎', '▏', '▋', '▊', '▉', '█', '▐', '⎸', '|'];

/** Words a sentence cannot end on, by language (lower case). */
export const DANGLING_WORDS: Readonly<Record<string, readonly string[]>> = {
  en: ['and', 'or', 'but', 'the', 'a', 'an', 'of', 'to', 'with', 'for', 'from', 'by', 'that', 'which', 'because', 'is', 'are', 'was', 'were', 'my', 'your', 'their', 'our', 'its', 'if', 'when', 'than', 'as', 'into', 'onto', 'at', 'in', 'on'],
  ru: ['и', 'или', 'но', 'а', 'в', 'на', 'с', 'к', 'по', 'что', 'который', 'которая', 'потому', 'чтобы', 'для', 'из', 'от', 'если', 'когда', 'как'],
  de: ['und', 'oder', 'aber', 'der', 'die', 'das', 'ein', 'eine', 'einen', 'mit', 'zu', 'für', 'von', 'weil', 'dass', 'wenn', 'als', 'im', 'in', 'auf'],
  fr: ['et', 'ou', 'mais', 'le', 'la', 'les', 'un', 'une', 'des', 'du', 'de', 'à', 'avec', 'pour', 'que', 'qui', 'parce', 'si', 'quand', 'dans', 'sur'],
  es: ['y', 'o', 'pero', 'el', 'la', 'los', 'las', 'un', 'una', 'de', 'del', 'con', 'para', 'que', 'porque', 'si', 'cuando', 'en', 'por'],
};

const DANGLING = new Set(Object.values(DANGLING_WORDS).flat());

/** Ends a sentence: . ! ? … and their CJK forms, optionally followed by closing quotes or brackets. */
const TERMINAL_END = /[.!?…。！？‼⁉][\p{Pf}\p{Pe}"'»”’)\]*_~]*$/u;
const SENTENCE_BREAK = /[.!?…。！？](?:[\p{Pf}\p{Pe}"'»”’)\]]*)\s+/gu;
const EMOJI_END = /(?:\p{Extended_Pictographic}|\p{So}|\u200d|\ufe0f|\u20e3)$/u;
const URL_END = /(?:https?:\/\/|www\.)\S+$|\b[\w-]+\.[a-z]{2,}(?:\/\S*)?$/iu;
const LIST_LINE = /^\s*(?:[-*•–—+]|\d{1,3}[.)]|[a-z][.)])\s+\S/iu;
const TABLE_LINE = /^\s*\|.*\|\s*$/u;
const HEADING_LINE = /^\s*#{1,6}\s/u;
const CLOSER_END = /[)\]}>»”"'`*_~]$/u;
const DIGIT_OR_CODE_END = /(?:\p{N}|[A-Z0-9]{2,}|[%°€$£₽¥])$/u;

function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trimEnd()).filter((l) => l.trim() !== '');
  return lines[lines.length - 1] ?? '';
}

/** The error line that follows the content, if the reply ends with one (and has content before it). */
export function trailingErrorLine(text: string): string | undefined {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length < 2) {
    // One line: "…the road to ⚠️ Error: upstream timeout" — content, then an error sentence at the end.
    const one = lines[0] ?? '';
    const m = /(?:^|\s)((?:[\p{So}\p{Extended_Pictographic}\ufe0f]\s*)?(?:Error|ERROR|Ошибка|Fehler|Erreur)\s?[:：][^\n]*)$/u.exec(one);
    return m && m.index > 0 ? m[1].trim() : undefined;
  }
  const last = lines[lines.length - 1];
  const asError = firstMatch(last, ERROR_PATTERNS) ?? (findPhrase(last, Object.values(ERROR_PHRASES).flat()) ? { match: last } : undefined);
  return asError ? last : undefined;
}

/** Why a reply looks incomplete, or undefined when it looks complete. */
export function incompleteReason(text: string): string | undefined {
  const trimmed = text.replace(/\s+$/u, '');
  if (trimmed === '') return 'the reply is empty';
  const lastChar = Array.from(trimmed).pop() ?? '';
  if (CURSOR_GLYPHS.includes(lastChar) && !(lastChar === '|' && TABLE_LINE.test(lastLine(trimmed)))) {
    return `it ends with a streaming cursor ${preview(lastChar)} (the generation did not finish)`;
  }
  const fences = trimmed.match(/^\s*```/gmu)?.length ?? 0;
  if (fences % 2 === 1) return 'a code block is opened with ``` but never closed';
  const errorLine = trailingErrorLine(trimmed);
  if (errorLine !== undefined) return `an error line follows the content: ${preview(errorLine, 60)}`;
  if (fences > 0 && /```$/u.test(trimmed)) return undefined;
  const line = lastLine(trimmed);
  if (TERMINAL_END.test(line) || EMOJI_END.test(line) || URL_END.test(line)) return undefined;
  if (/[,;:([{–—-]$/u.test(line) && !/:-?[)(DP]$/u.test(line)) {
    return `it stops at ${preview(Array.from(line).slice(-30).join(''))} (mid-sentence)`;
  }
  const words = line.match(/[\p{L}\p{N}'-]+/gu) ?? [];
  const lastWord = words[words.length - 1] ?? '';
  const allWords = trimmed.match(/[\p{L}\p{N}'-]+/gu) ?? [];
  if (allWords.length >= 3 && lastWord === lastWord.toLowerCase() && DANGLING.has(lastWord) && !CLOSER_END.test(line)) {
    return `it stops on ${preview(lastWord)} (mid-sentence)`;
  }
  if (LIST_LINE.test(line) || TABLE_LINE.test(line) || HEADING_LINE.test(line)) return undefined;
  if (CLOSER_END.test(line) || DIGIT_OR_CODE_END.test(line)) return undefined;
  // A last sentence without an end after sentences that all had one: prose cut off mid-sentence.
  const breaks = [...line.matchAll(SENTENCE_BREAK)];
  const earlierLinesEnd = trimmed.split('\n').filter((l) => l.trim() !== '').slice(0, -1).some((l) => TERMINAL_END.test(l.trimEnd()));
  if (breaks.length > 0 || earlierLinesEnd) {
    const tail = breaks.length > 0 ? line.slice((breaks[breaks.length - 1].index ?? 0) + breaks[breaks.length - 1][0].length) : line;
    const tailWords = tail.match(/[\p{L}\p{N}'-]+/gu) ?? [];
    if (tailWords.length >= 4 && /\p{Ll}$/u.test(tail)) {
      return `the last sentence stops without an end: ${preview(`…${Array.from(tail).slice(-40).join('')}`)}`;
    }
  }
  return undefined;
}
