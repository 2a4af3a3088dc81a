/**
 * Linear-time regular expressions for patterns written by users and run on untrusted bot text (`regex`
 * assertions, `save:` and `click:` patterns, extra leak patterns from the config). Backed by re2js (RE2
 * semantics): `^(a+)+$` against any input returns at once, so a hostile reply can never block the event loop.
 * RE2 has no backreferences and no lookahead; such patterns are rejected up front with a message saying so.
 */
import { RE2JS } from 're2js';

export interface SafeMatch {
  /** The whole match. */
  match: string;
  index: number;
  /** Capture groups by number (index 0 = the whole match); undefined for a group that did not take part. */
  groups: (string | undefined)[];
}

export interface SafeRegex {
  /** The pattern as written (without `/…/flags`). */
  readonly source: string;
  readonly flags: string;
  /** Number of capture groups. */
  readonly groupCount: number;
  exec(text: string): SafeMatch | null;
  test(text: string): boolean;
  toString(): string;
}

export class UnsupportedRegexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedRegexError';
  }
}

/** Constructs RE2 cannot run, found by a scan that skips escaped characters and character classes. */
function unsupportedConstruct(source: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (!inClass && /[1-9]/u.test(next)) return `backreference \\${next}`;
      if (!inClass && next === 'k' && source[i + 2] === '<') return 'named backreference \\k<…>';
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      if (source[i + 1] === ']') i++; // a leading ] is literal inside a class
      continue;
    }
    if (c === '(' && source[i + 1] === '?') {
      const two = source.slice(i + 2, i + 4);
      if (two.startsWith('=')) return 'lookahead (?=…)';
      if (two.startsWith('!')) return 'negative lookahead (?!…)';
      if (two === '<=') return 'lookbehind (?<=…)';
      if (two === '<!') return 'negative lookbehind (?<!…)';
    }
  }
  return undefined;
}

const FLAG_BITS: Readonly<Record<string, number>> = {
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
};

/** Splits `/source/flags` (JavaScript literal style) from a bare source. */
export function splitRegexLiteral(value: string): { source: string; flags: string } {
  const m = /^\/(.*)\/([dgimsuvy]*)$/su.exec(value);
  return m ? { source: m[1], flags: m[2].replace(/[gyduv]/gu, '') } : { source: value, flags: '' };
}

/**
 * Compiles a pattern (`src` or `/src/flags`; flags i, m, s are honoured, g y d u v ignored) for the linear-time
 * engine. Throws UnsupportedRegexError with a message that names the construct and the fix.
 */
export function compileSafeRegex(value: string): SafeRegex {
  const { source, flags } = splitRegexLiteral(value);
  const bad = unsupportedConstruct(source);
  if (bad) {
    throw new UnsupportedRegexError(
      `uses a ${bad}, which the linear-time regex engine (RE2) cannot run; rewrite the pattern without it`,
    );
  }
  let bits = 0;
  for (const f of flags) bits |= FLAG_BITS[f] ?? 0;
  let re: RE2JS;
  try {
    // JavaScript spells script classes \p{Script=Greek}; RE2 spells them \p{Greek}.
    const re2Source = source.replace(/\\([pP])\{(?:Script|sc|Script_Extensions|scx)=([A-Za-z_]+)\}/gu, '\\$1{$2}');
    re = RE2JS.compile(RE2JS.translateRegExp(re2Source), bits);
  } catch (e) {
    const msg = e instanceof Error ? e.message.replace(/^error parsing regexp: /u, '') : String(e);
    throw new UnsupportedRegexError(`is not a valid regular expression (RE2 syntax): ${msg}`);
  }
  const groupCount = re.groupCount();
  return {
    source,
    flags,
    groupCount,
    exec(text: string): SafeMatch | null {
      const m = re.exec(text) as (RegExpExecArray & { index: number }) | null;
      if (!m) return null;
      const groups: (string | undefined)[] = [];
      for (let g = 0; g <= groupCount; g++) groups.push(m[g] ?? undefined);
      return { match: m[0], index: m.index, groups };
    },
    test(text: string): boolean {
      return re.test(text);
    },
    toString(): string {
      return `/${source}/${flags}`;
    },
  };
}

/** The problem with a pattern for the linear-time engine, or undefined when it compiles. */
export function safeRegexProblem(value: string): string | undefined {
  try {
    compileSafeRegex(value);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

const cache = new Map<string, SafeRegex>();

/** compileSafeRegex with a small cache (the runner compiles the same `save:`/`click:` patterns every run). */
export function cachedSafeRegex(value: string): SafeRegex {
  let re = cache.get(value);
  if (!re) {
    re = compileSafeRegex(value);
    if (cache.size > 500) cache.clear();
    cache.set(value, re);
  }
  return re;
}
