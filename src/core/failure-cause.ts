/**
 * The cause of a failed scenario attempt, as signatures the verdict can match across targets and runs: the
 * normalized error text the bot showed (`text:…`), the class of that error (`class:timeout`, `class:no-reply`…),
 * or, when the reply shows no error, the normalized reply itself when it is short (`reply:…`, a canned fallback).
 * When canary and stable fail with the same signature, the failure has a shared cause (a model provider, a common
 * backend, Telegram) and says nothing about the canary. Pure: no I/O.
 */
import type { ScenarioResult } from './types.js';

/** Error classes, first match wins. Specific on purpose: a bare "error" is matched by its text, never by class. */
const CLASSES: readonly { name: string; re: RegExp }[] = [
  { name: 'timeout', re: /time[ds]?[\s-]?out|timed out|deadline exceeded|zeitüberschreitung|délai dépassé|tiempo de espera|тайм-?аут|время ожидания/iu },
  { name: 'rate-limit', re: /rate[\s-]?limit|too many requests|\b429\b|quota|лимит запросов|zu viele anfragen|trop de requêtes|demasiadas solicitudes/iu },
  { name: 'unavailable', re: /overload|unavailable|capacity|\b50[23]\b|bad gateway|недоступ|перегруж|nicht verfügbar|überlastet|indisponible|surchargé|no disponible|sobrecargad/iu },
  { name: 'server-error', re: /internal (?:server )?error|\b5\d\d\b|upstream|внутренняя ошибка|interner fehler|erreur interne|error interno/iu },
];

/** A line that reads as an error message rather than an answer. */
const ERROR_LINE =
  /\b(?:error|exception|traceback|failed|failure|timeout|timed out|unavailable|overloaded|rate limit|too many requests|try again later|something went wrong|internal server|bad gateway|http [45]\d\d)\b|ошибк|что-то пошло не так|fehler|schiefgelaufen|erreur|une erreur|algo salió mal|falló/iu;

const MAX_KEY = 120;
const MAX_REPLY_KEY_SOURCE = 300;

/** Lowercase, numbers and long hex ids folded to `#`, punctuation and emoji dropped, spaces collapsed. */
export function normalizeCauseText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\b[0-9a-f]{8,}\b/g, '#')
    .replace(/\d+(?:[.,]\d+)*/g, '#')
    .replace(/[^\p{L}\p{N}#:\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_KEY);
}

/** Text of the reply that was graded when the attempt failed (the step of its first failed assertion), if any. */
function failedReplyText(r: ScenarioResult): { text: string; silent: boolean } | undefined {
  const failed = r.assertions.find((a) => !a.pass);
  const step = failed ? r.steps.find((s) => s.index === failed.step) : undefined;
  const reply = step?.reply ?? [...r.steps].reverse().find((s) => s.reply)?.reply;
  if (!reply) return undefined;
  return { text: reply.text, silent: reply.messageCount === 0 };
}

/** Cause signatures of a failed attempt (empty for anything but `fail`, and for a failure with no telling sign). */
export function failureCauses(r: ScenarioResult): string[] {
  if (r.status !== 'fail') return [];
  const out = new Set<string>();
  const reply = failedReplyText(r);
  if (!reply || reply.silent) {
    out.add(r.errorCode === 'SCENARIO_TIMEOUT' ? 'class:scenario-timeout' : 'class:no-reply');
    return [...out];
  }
  const lines = reply.text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const errorLines = lines.filter((l) => ERROR_LINE.test(l));
  for (const line of errorLines) {
    const key = normalizeCauseText(line);
    if (key !== '') out.add(`text:${key}`);
    const cls = CLASSES.find((c) => c.re.test(line));
    if (cls) out.add(`class:${cls.name}`);
  }
  if (errorLines.length === 0 && reply.text.length <= MAX_REPLY_KEY_SOURCE) {
    const key = normalizeCauseText(reply.text);
    if (key !== '') out.add(`reply:${key}`);
  }
  return [...out];
}

/** A signature as people read it: `error text "…"`, `error class timeout`, `same reply "…"`. */
export function describeCause(key: string): string {
  const i = key.indexOf(':');
  const kind = key.slice(0, i);
  const body = key.slice(i + 1);
  if (kind === 'text') return `error text "${body}"`;
  if (kind === 'class') return `error class ${body}`;
  return `same reply "${body}"`;
}
