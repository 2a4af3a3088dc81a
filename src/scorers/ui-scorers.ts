/**
 * Assertions on a reply's keyboards and buttons (issue 18.3):
 *
 * | type | value | passes when |
 * |---|---|---|
 * | keyboard | `[["A", "B"], ["C"]]` | the reply shows a reply keyboard with exactly these rows |
 * | has-button | `"text"` | an inline button or a reply-keyboard button has this exact text |
 * | keyboard-removed | none | a message of the reply removes the reply keyboard |
 * | force-reply | none | a message of the reply asks for a reply (ReplyKeyboardForceReply) |
 * | button-url | `{ button, equals? \| prefix? \| regex? }` | that URL or Mini App button's URL matches |
 * | button-query | `{ button, equals? \| prefix? \| regex? }` | that switch-inline button's query matches |
 */
import type { InlineButton, Reply, ReplyKeyboard } from '../core/types.js';
import { preview } from './text.js';
import type { Scorer } from './types.js';
import { outcome } from './types.js';
import { isRecord, parseRegex } from './values.js';

const live = (r: Reply): Reply['messages'] => r.messages.filter((m) => !m.deleted);

/** The last reply keyboard the reply shows (undefined when none, or it was removed after). */
export function keyboardOf(reply: Reply): ReplyKeyboard | undefined {
  let kb: ReplyKeyboard | undefined;
  for (const m of live(reply)) {
    if (m.keyboard) kb = m.keyboard;
    else if (m.keyboardRemoved) kb = undefined;
  }
  return kb;
}

function inlineButtons(reply: Reply): InlineButton[] {
  return live(reply).flatMap((m) => (m.buttons ?? []).flat());
}

const layout = (rows: readonly (readonly string[])[]): string => rows.map((r) => `[${r.map((t) => preview(t, 40)).join(', ')}]`).join(' ');

export const keyboardScorer: Scorer = (spec, ctx) => {
  const want = Array.isArray(spec.value) ? (spec.value as unknown[]).map((r) => (Array.isArray(r) ? r.map(String) : [String(r)])) : [];
  const kb = keyboardOf(ctx.reply);
  if (!kb) return outcome(false, `no reply keyboard in the reply (expected ${layout(want)})`);
  const same = kb.rows.length === want.length && kb.rows.every((r, i) => r.length === want[i]?.length && r.every((t, j) => t === want[i]?.[j]));
  return same ? outcome(true, `reply keyboard ${layout(kb.rows)}`) : outcome(false, `reply keyboard is ${layout(kb.rows)}, expected ${layout(want)}`);
};

export const hasButtonScorer: Scorer = (spec, ctx) => {
  const want = String(spec.value ?? '');
  const inline = inlineButtons(ctx.reply).map((b) => b.text);
  const keys = keyboardOf(ctx.reply)?.rows.flat() ?? [];
  if (inline.includes(want)) return outcome(true, `inline button ${preview(want, 40)} found`);
  if (keys.includes(want)) return outcome(true, `reply-keyboard button ${preview(want, 40)} found`);
  const seen = [...inline, ...keys];
  return outcome(false, `no button ${preview(want, 40)}; buttons: ${seen.length ? seen.slice(0, 12).map((t) => preview(t, 30)).join(', ') : 'none'}`);
};

export const keyboardRemovedScorer: Scorer = (_spec, ctx) =>
  live(ctx.reply).some((m) => m.keyboardRemoved)
    ? outcome(true, 'the reply removes the reply keyboard')
    : outcome(false, keyboardOf(ctx.reply) ? 'the reply shows a reply keyboard instead of removing it' : 'the reply does not remove the reply keyboard');

/** `{ button, equals? | prefix? | regex? }` against a field of the named button. */
function buttonField(field: 'url' | 'query', kinds: readonly string[], what: string): Scorer {
  return (spec, ctx) => {
    const v = isRecord(spec.value) ? spec.value : {};
    const name = String(v.button ?? '');
    const b = inlineButtons(ctx.reply).find((x) => x.text === name);
    if (!b) return outcome(false, `no inline button ${preview(name, 40)} in the reply`);
    if (!kinds.includes(b.kind ?? 'callback')) return outcome(false, `button ${preview(name, 40)} is a ${b.kind ?? 'callback'} button, not ${what}`);
    const got = b[field] ?? '';
    const shown = preview(got, 120);
    if (typeof v.equals === 'string') return got === v.equals ? outcome(true, `${field} ${shown}`) : outcome(false, `${field} is ${shown}, expected ${preview(v.equals, 120)}`);
    if (typeof v.prefix === 'string') return got.startsWith(v.prefix) ? outcome(true, `${field} ${shown}`) : outcome(false, `${field} is ${shown}, expected it to start with ${preview(v.prefix, 120)}`);
    if (typeof v.regex === 'string') return parseRegex(v.regex).test(got) ? outcome(true, `${field} ${shown}`) : outcome(false, `${field} is ${shown}, expected /${v.regex}/`);
    return outcome(false, `${what} check needs equals, prefix or regex`);
  };
}

export const UI_SCORERS = {
  keyboard: keyboardScorer,
  'has-button': hasButtonScorer,
  'keyboard-removed': keyboardRemovedScorer,
  'force-reply': (_spec, ctx) =>
    live(ctx.reply).some((m) => m.forceReply) ? outcome(true, 'the reply asks for a reply') : outcome(false, 'the reply does not ask for a reply (no force_reply)'),
  'button-url': buttonField('url', ['url', 'webapp'], 'a URL or Mini App button'),
  'button-query': buttonField('query', ['switch-inline'], 'a switch-inline button'),
} satisfies Record<string, Scorer>;
