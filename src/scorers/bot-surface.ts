/**
 * Assertions on what a bot shows besides its messages: its command menu (`has-command`, `commands`, graded on a
 * `bot-info` step) and its inline answers (`inline-count`, `inline-kinds`, `inline-titles`, `inline-descriptions`,
 * graded on an `inline` step). Text assertions on those steps grade the description or the results' lines.
 */
import { preview } from './text.js';
import type { Scorer } from './types.js';
import { outcome } from './types.js';
import { asTextList, isRecord } from './values.js';

const bare = (c: string): string => c.trim().replace(/^\//u, '').toLowerCase();

const noProfile = outcome(false, 'no command menu to grade: use this assertion in a bot-info step');
const noInline = outcome(false, 'no inline results to grade: use this assertion in an inline step');

/** Every listed command is in the bot's menu. */
export const hasCommand: Scorer = (spec, ctx) => {
  const profile = ctx.reply.botProfile;
  if (!profile) return noProfile;
  const have = new Set(profile.commands.map((c) => bare(c.command)));
  const want = asTextList(spec.value).map(bare);
  const missing = want.filter((c) => !have.has(c));
  const menu = profile.commands.length ? profile.commands.map((c) => `/${c.command}`).join(' ') : '(empty)';
  return missing.length === 0
    ? outcome(true, `the menu has ${want.map((c) => `/${c}`).join(', ')}`)
    : outcome(false, `the menu lacks ${missing.map((c) => `/${c}`).join(', ')}; it has ${preview(menu, 200)}`, 1 - missing.length / want.length);
};

/** The menu is exactly these commands, in this order. */
export const commandsExactly: Scorer = (spec, ctx) => {
  const profile = ctx.reply.botProfile;
  if (!profile) return noProfile;
  const have = profile.commands.map((c) => bare(c.command));
  const want = asTextList(spec.value).map(bare);
  const same = have.length === want.length && have.every((c, i) => c === want[i]);
  const show = (l: string[]): string => (l.length ? l.map((c) => `/${c}`).join(' ') : '(empty)');
  return same ? outcome(true, `the menu is ${show(want)}`) : outcome(false, `the menu is ${preview(show(have), 200)}, expected ${show(want)}`);
};

/** The number of results: a number (at least that many) or { min, max }. */
export const inlineCount: Scorer = (spec, ctx) => {
  const inline = ctx.reply.inline;
  if (!inline) return noInline;
  const n = inline.results.length;
  const v = spec.value;
  const min = typeof v === 'number' ? v : isRecord(v) && typeof v.min === 'number' ? v.min : 1;
  const max = isRecord(v) && typeof v.max === 'number' ? v.max : Infinity;
  const range = max === Infinity ? `at least ${min}` : `${min}–${max}`;
  return n >= min && n <= max ? outcome(true, `${n} results (${range})`) : outcome(false, `${n} results, expected ${range}`);
};

/** Every result is of one of these kinds (article, photo, gif, video, audio, voice, document, sticker, …). */
export const inlineKinds: Scorer = (spec, ctx) => {
  const inline = ctx.reply.inline;
  if (!inline) return noInline;
  const allowed = new Set(asTextList(spec.value).map((k) => k.trim().toLowerCase()));
  const bad = inline.results.filter((r) => !allowed.has(r.kind.toLowerCase()));
  if (inline.results.length === 0) return outcome(false, 'no results to check the kind of');
  return bad.length === 0
    ? outcome(true, `every result is ${[...allowed].join(' or ')}`)
    : outcome(false, `${bad.length} of ${inline.results.length} results are not ${[...allowed].join(' or ')}: ${bad.slice(0, 3).map((r) => `${r.kind} ${preview(r.title ?? r.id, 40)}`).join(', ')}`, 1 - bad.length / inline.results.length);
};

function fieldContains(field: 'title' | 'description'): Scorer {
  return (spec, ctx) => {
    const inline = ctx.reply.inline;
    if (!inline) return noInline;
    const have = inline.results.map((r) => (r[field] ?? '').toLowerCase());
    const want = asTextList(spec.value);
    const missing = want.filter((w) => !have.some((h) => h.includes(w.toLowerCase())));
    const shown = inline.results.slice(0, 5).map((r) => preview(r[field] ?? '', 40)).join(', ') || '(no results)';
    return missing.length === 0
      ? outcome(true, `a result ${field} has each of ${want.map((w) => `"${w}"`).join(', ')}`)
      : outcome(false, `no result ${field} contains ${missing.map((w) => preview(w, 40)).join(', ')}; ${field}s: ${shown}`, 1 - missing.length / want.length);
  };
}

export const BOT_SURFACE_SCORERS = {
  'has-command': hasCommand,
  commands: commandsExactly,
  'inline-count': inlineCount,
  'inline-kinds': inlineKinds,
  'inline-titles': fieldContains('title'),
  'inline-descriptions': fieldContains('description'),
} satisfies Record<string, Scorer>;

type Check = (value: unknown) => string | undefined;

const commandList: Check = (v) => {
  const list = typeof v === 'string' ? [v] : Array.isArray(v) ? v : undefined;
  if (!list || list.length === 0 || list.some((c) => typeof c !== 'string' || !/^\/?[A-Za-z0-9_]{1,32}$/u.test(c))) {
    return 'needs a command name or a list of them (1–32 of a-z, 0-9, _; the slash is optional), e.g. value: [start, help]';
  }
  return undefined;
};

const textList: Check = (v) => {
  const list = typeof v === 'string' ? [v] : Array.isArray(v) ? v : undefined;
  if (!list || list.length === 0 || list.some((x) => typeof x !== 'string' || x.trim() === '')) return 'needs a text or a list of texts, e.g. value: ["Joke"]';
  return undefined;
};

const countCheck: Check = (v) => {
  const fix = 'needs a number (at least that many) or { min?, max? }, e.g. value: { min: 1, max: 50 }';
  const int = (x: unknown): boolean => typeof x === 'number' && Number.isInteger(x) && x >= 0;
  if (typeof v === 'number') return int(v) ? undefined : fix;
  if (!isRecord(v) || (v.min === undefined && v.max === undefined)) return fix;
  if (Object.keys(v).some((k) => k !== 'min' && k !== 'max')) return fix;
  if ((v.min !== undefined && !int(v.min)) || (v.max !== undefined && !int(v.max))) return fix;
  if (typeof v.min === 'number' && typeof v.max === 'number' && v.min > v.max) return `min ${v.min} is above max ${v.max}`;
  return undefined;
};

/** Load-time value checks of these types (src/scorers/validate.ts). */
export const BOT_SURFACE_CHECKS: Readonly<Record<keyof typeof BOT_SURFACE_SCORERS, Check>> = {
  'has-command': commandList,
  commands: commandList,
  'inline-count': countCheck,
  'inline-kinds': textList,
  'inline-titles': textList,
  'inline-descriptions': textList,
};
