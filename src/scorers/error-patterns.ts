/**
 * Data tables for `not-error`, `not-leak` and `complete`: the shapes an error, a stack trace, a debug dump or a
 * leaked secret take in a bot reply. Phrases (phrases.ts) catch "something went wrong" prose; these patterns catch
 * structured failures ("⚠️ Error: upstream timeout", "HTTP 502", "    at handler (bot.js:10:5)").
 *
 * Every pattern is written by us for linear matching (no nested quantifiers); user-supplied extra patterns run on
 * re2js instead (see checks-config.ts). Patterns aim at the *shape* of an error so a bot that merely mentions
 * errors ("the error bars in the chart", "session timeout is 30 minutes") passes.
 */

export interface PatternRow {
  /** Family shown in the reason, e.g. "error line", "HTTP status". */
  family: string;
  re: RegExp;
}

/** Words that open an error line, by language: "Error:", "Ошибка:", "Fehler:", "Erreur :", "Error:". */
const ERROR_WORDS = 'error|err|fatal|exception|ошибка|сбой|fehler|erreur|fallo';

/** Leading decoration of a line: emoji, symbols, list marks, brackets. */
const LEAD = '^(?:[\\s\\p{So}\\p{Sk}\\p{Extended_Pictographic}*_>\\-–—•[(]|\\u200d|\\ufe0f){0,12}';

export const ERROR_PATTERNS: readonly PatternRow[] = [
  // An error line: a line that starts (after emoji) with an error word and a colon, code or bracket.
  { family: 'error line', re: new RegExp(`${LEAD}(?:${ERROR_WORDS})\\s?(?:[:：]|\\]|\\s5\\d\\d\\b)`, 'imu') },
  { family: 'error line', re: new RegExp(`${LEAD}(?:Error|ERROR|ERR)\\s(?:[A-Z][A-Z_]{3,}|5\\d\\d)\\b`, 'mu') },
  // "… Error: …" anywhere with a capital E (mid-line error text), and ERROR in capitals.
  { family: 'error line', re: /(?:^|[\s(])(?:Error|ERROR|Ошибка|Fehler|Erreur)\s?[:：]\s*\S/mu },
  { family: 'error line', re: /\[(?:ERROR|FATAL|ERR)\]/u },
  // Exception names: TypeError: …, KeyError: …, NullPointerException.
  { family: 'exception', re: /\b[A-Z][A-Za-z]{1,40}(?:Error|Exception)\b(?::|\s+at\b| in thread)/u },
  { family: 'exception', re: /\bException in thread "/u },
  { family: 'exception', re: /\bpanic: \S/u },
  // Timeouts.
  {
    family: 'timeout',
    re: /\b(?:timed out|time-?out error|(?:upstream|gateway) time-?out|deadline exceeded|ETIMEDOUT|ESOCKETTIMEDOUT)\b/iu,
  },
  { family: 'timeout', re: /(?:превышено|истекло) время ожидания|тайм-?аут (?:запроса|соединения|ответа)/iu },
  { family: 'timeout', re: /Zeitüberschreitung|Zeitlimit (?:wurde )?überschritten/iu },
  { family: 'timeout', re: /délai d'attente (?:a été )?dépassé|délai (?:de la requête )?dépassé/iu },
  { family: 'timeout', re: /tiempo de espera (?:se ha )?agotado|se agotó el tiempo de espera/iu },
  // Network and upstream failures.
  { family: 'upstream', re: /\b(?:upstream (?:error|connect error|request|unavailable|failure|failed)|no healthy upstream|ECONNREFUSED|ECONNRESET|EAI_AGAIN|ENOTFOUND|socket hang up|connection refused|connection reset by peer)\b/iu },
  { family: 'rate limit', re: /\b(?:rate limit(?:ed)? (?:exceeded|reached)|too many requests|quota exceeded|insufficient_quota|overloaded_error)\b/iu },
  // HTTP status: "HTTP 502", "HTTP/1.1 503", "status code 500", "Error 504", "502 Bad Gateway", "429".
  { family: 'HTTP status', re: /\bHTTP(?:\/\d(?:\.\d)?)?[\s:]+(?:error\s+)?(?:5\d\d|429)\b/iu },
  {
    family: 'HTTP status',
    re: /(?:\b(?:status(?: code)?|error code|response code|Statuscode|Fehlercode|code d'erreur|código de (?:error|estado))|код ошибки)[\s:=]+(?:5\d\d|429)\b/iu,
  },
  { family: 'HTTP status', re: /\b(?:5\d\d|429)\s+(?:Internal Server Error|Bad Gateway|Service Unavailable|Gateway Time-?out|Too Many Requests)\b/iu },
  // Stack traces (also leaks).
  ...stackTracePatterns(),
];

function stackTracePatterns(): PatternRow[] {
  return [
    { family: 'stack trace', re: /^\s*at [\w$.<>[\] ]{1,200}\(?(?:file:\/\/)?[\w/\\.:@-]{1,300}:\d+:\d+\)?\s*$/mu },
    { family: 'stack trace', re: /Traceback \(most recent call last\)/u },
    { family: 'stack trace', re: /^\s*File "[^"\n]{1,300}", line \d+/mu },
    { family: 'stack trace', re: /^\s*at [\w$.]{1,200}\([\w$]{1,100}\.(?:java|kt|scala):\d+\)/mu },
    { family: 'stack trace', re: /^goroutine \d+ \[\w+\]:/mu },
  ];
}

export const STACK_TRACE_PATTERNS: readonly PatternRow[] = stackTracePatterns();

/** System-prompt and debug markers that must never reach a user. */
export const LEAK_MARKERS: readonly PatternRow[] = [
  { family: 'system prompt', re: /\bsystem[ _-]?prompt\s*[:：=]|\bsystem (?:message|instructions?)\s*[:：]/iu },
  { family: 'system prompt', re: /системн(?:ый|ая|ое) (?:промпт|подсказка|инструкция|сообщение)\s*[:：]|System-?Prompt\s*[:：]|prompt (?:du )?système\s*[:：]|prompt del sistema\s*[:：]|instrucciones del sistema\s*[:：]/iu },
  { family: 'system prompt', re: /^\s*(?:You are (?:a|an) (?:helpful |friendly |customer[- ]support )?(?:AI )?(?:assistant|chatbot|bot)\b[^\n]{0,120}\b(?:Always|Never|Do not|Don't|You must)\b)/imu },
  { family: 'chat template', re: /<\|(?:im_start|im_end|system|user|assistant|endoftext|eot_id|start_header_id)\|>|<<SYS>>|\[\/?INST\]|<\/?system>/iu },
  { family: 'debug marker', re: /(?:^|\s)\[(?:debug|trace|internal|verbose)\](?=\s|$|[:\]])/imu },
  { family: 'debug marker', re: /^\s*(?:DEBUG|TRACE)\s*[:：|]/mu },
  { family: 'internal note', re: /\b(?:internal (?:note|notes|comment)|note to self|hidden note|developer note)\s*[:：]/iu },
  { family: 'internal note', re: /внутренн(?:яя|ие) (?:заметк[аи]|примечани[ея])\s*[:：]|interne (?:Notiz|Anmerkung)\s*[:：]|note interne\s*[:：]|nota interna\s*[:：]/iu },
  { family: 'tool trace', re: /\b(?:tool_calls?|function_call|retrieved (?:context|chunks|documents)|context documents|scratchpad|chain[- ]of[- ]thought)\s*[:：=]/iu },
];

export interface SecretRow {
  kind: string;
  re: RegExp;
}

/** Key-like secrets. Reasons never print the match itself, only its kind and length. */
export const SECRET_PATTERNS: readonly SecretRow[] = [
  { kind: 'OpenAI-style API key (sk-…)', re: /\bsk-(?:proj-|ant-|live-|test-)?[A-Za-z0-9_-]{20,}/u },
  { kind: 'GitHub token (ghp_…)', re: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}|\bgithub_pat_[A-Za-z0-9_]{40,}/u },
  { kind: 'AWS access key (AKIA…)', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/u },
  { kind: 'Telegram bot token', re: /\b\d{8,10}:AA[A-Za-z0-9_-]{30,}/u },
  { kind: 'Slack token (xox…)', re: /\bxox[abprs]-[A-Za-z0-9-]{10,}/u },
  { kind: 'Google API key (AIza…)', re: /\bAIza[0-9A-Za-z_-]{35}\b/u },
  { kind: 'private key block', re: /-----BEGIN (?:RSA |EC |OPENSSH |DSA )?PRIVATE KEY-----/u },
  { kind: 'JSON Web Token', re: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/u },
  { kind: 'Stripe secret key', re: /\b[rs]k_live_[A-Za-z0-9]{20,}/u },
];

/** Keys that mark a JSON object in a reply as a raw internal dump (a request, a model response, a debug record). */
export const INTERNAL_JSON_KEYS: ReadonlySet<string> = new Set([
  'role', 'system', 'system_prompt', 'systemprompt', 'messages', 'prompt', 'choices', 'usage', 'tool_calls',
  'function_call', 'finish_reason', 'debug', 'trace', 'stack', 'stacktrace', 'traceback', 'api_key', 'apikey',
  'access_token', 'secret', 'top_p', 'max_tokens', 'prompt_tokens', 'completion_tokens',
  'embedding', 'retrieved', 'chunks', 'internal', 'exception', 'errno', 'session_id', 'request_id',
]);

/** First row whose pattern matches, with the matched text. */
export function firstMatch<T extends { re: RegExp }>(text: string, rows: readonly T[]): { row: T; match: string } | undefined {
  for (const row of rows) {
    const m = row.re.exec(text);
    if (m) return { row, match: m[0] };
  }
  return undefined;
}
