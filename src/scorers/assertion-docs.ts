/**
 * One line per assertion type, for the README's generated assertion reference (`npm run docs`). Typed against the
 * scorer name map: a new scorer without a line here does not compile, so the reference never misses one.
 */
import { NEGATABLE_SCORERS, SCORER_NAMES, type ScorerName } from './registry.js';

export const ASSERTION_DOCS = {
  equals: 'The reply text equals `value` exactly (after trimming).',
  contains: 'The reply contains `value` (case-sensitive).',
  icontains: 'The reply contains `value`, ignoring case.',
  'contains-any': 'The reply contains at least one of the strings in `value`.',
  'contains-all': 'The reply contains every string in `value`.',
  'icontains-any': 'Like contains-any, ignoring case.',
  'icontains-all': 'Like contains-all, ignoring case.',
  regex: 'The reply matches the regular expression `value` (linear-time engine: no backtracking blow-ups).',
  'starts-with': 'The reply starts with `value`.',
  'is-json': 'The reply is valid JSON (a fenced ```json block counts).',
  levenshtein: 'Edit distance to `value` at most `threshold` (default 5).',
  similar: 'Similarity to `value` (a string or a list) at least `threshold` (0..1, default 0.6).',
  latency: 'Latency limits in ms: a number (the final text), or `{ firstToken, first, final }`.',
  length: 'Reply length within `value`: `{ min, max }` characters.',
  novel: 'The reply differs from this scenario\'s recent replies (jokes that must not repeat).',
  language: 'The reply is in the language `value` (ISO 639-1, e.g. fr).',
  'not-error': 'The reply is not an error message, a stack trace or a placeholder (default check).',
  'not-refusal': 'The reply is not a refusal ("I can\'t help with that") (default check).',
  'not-leak': 'The reply leaks no system prompt, secret or internal marker (default check).',
  complete: 'The reply is complete: not cut off mid-sentence or still "thinking…" (default check).',
  claims: 'The reply states the facts in `value` (each claim found, negations respected).',
  'like-stable': 'The canary answers like stable did to the same prompt in the same run (default check on canary).',
  javascript: 'A JavaScript expression over `output` (the reply text) returns true or a score, in a sandboxed worker with a time limit.',
  'llm-rubric': 'An LLM judge grades the reply against the rubric `value` (off unless a judge is configured).',
  'has-command': '`bot-info:` the command menu has every command in `value` (without the slash).',
  commands: '`bot-info:` the command menu is exactly the list `value`, in order.',
  'inline-count': '`inline:` the number of inline results: a number (at least that many) or `{ min, max }`.',
  'inline-kinds': '`inline:` every inline result is of the kind(s) `value` (article, photo, gif, video, audio, voice, document, sticker, …).',
  'inline-titles': '`inline:` the results\' titles contain each string in `value`.',
  'inline-descriptions': '`inline:` the results\' descriptions contain each string in `value`.',
  keyboard: 'The reply keyboard\'s layout is exactly the rows `value` (`[["A", "B"], ["C"]]`).',
  'has-button': 'An inline or reply-keyboard button of the reply has exactly the text `value`.',
  'keyboard-removed': 'The reply removes the reply keyboard (ReplyKeyboardHide).',
  'force-reply': 'The reply asks for a reply (ForceReply).',
  'button-url': 'A URL or Mini App button\'s URL matches: `value: { button, equals | prefix | regex }`.',
  'button-query': 'A switch-inline button\'s query matches: `value: { button, equals | prefix | regex }`.',
  'media-kind': 'The reply is media of the kind `value`: photo, document, voice, audio, video, video-note, animation, sticker, location, contact or poll.',
  'mime-type': 'The reply\'s file has the MIME type `value` (or a family such as `image/*`).',
  'file-size': 'The reply\'s file size in bytes is within `value` (`{ min, max }`); read from the message, no download.',
  duration: 'The reply\'s voice, audio or video lasts `value` seconds (`{ min, max }`).',
  'file-name': 'The reply\'s document is named `value`.',
  sha256: 'The reply\'s file bytes hash to `value` (downloaded, up to MEDIA_MAX_DOWNLOAD_BYTES).',
  'file-is-json': 'The reply\'s document is valid JSON (downloaded, with the size cap).',
  'file-contains': 'The reply\'s document contains `value` (downloaded, with the size cap).',
  'file-icontains': 'Like file-contains, ignoring case.',
  'file-regex': 'The reply\'s document matches the regular expression `value`.',
  'file-equals': 'The reply\'s document is exactly `value` (as UTF-8 text).',
} satisfies Record<ScorerName, string>;

/** The README's assertion table: every type, whether `not-` negates it, and what it checks. */
export function renderAssertionReference(): string {
  const rows = SCORER_NAMES.map((n) => `| \`${n}\` | ${NEGATABLE_SCORERS.includes(n) ? `\`not-${n}\`` : ''} | ${ASSERTION_DOCS[n].replace(/\|/g, '\\|')} |`);
  return ['| Type | Negated form | Checks |', '| --- | --- | --- |', ...rows].join('\n');
}
