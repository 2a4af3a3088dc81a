/**
 * Polarity of a subject in a reply: does the sentence that mentions "Z-Wave" say it is supported (positive) or
 * not (negative)? Sentences are split into clauses at contrast words ("but", "however", "но", "aber", "mais",
 * "pero"), at comma-led negations (", not Z-Wave"), at "and" + verb, between two full clauses and around relative
 * and concessive clauses; the negation cues of the subject's clause are counted (an even number cancels out, so
 * "it's not true that it doesn't support X" is positive). "except X" flips the polarity of what comes before it.
 * Negative concord ("ne … pas", "no … nunca", "ни … не", "neither … nor") counts once. Languages: EN RU DE FR ES.
 */

export type Polarity = 'positive' | 'negative';

export interface Mention {
  sentence: string;
  clause: string;
  polarity: Polarity;
  /** The negation cues that decided it (for the reason). */
  cues: string[];
}

/** Cues that always count as one negation each. */
const PRIMARY = new Set([
  // en
  'not', 'no', 'never', 'cannot', 'without', 'none', 'lacks', 'lack', 'lacking', 'unsupported', 'unavailable',
  'incompatible', 'closed', 'discontinued', 'disabled', 'missing', 'excluded', 'false', 'untrue', 'nothing', 'nowhere',
  // ru
  'не', 'нет', 'без', 'неправда', 'неверно', 'закрыт', 'закрыто', 'закрыта', 'закрыты', 'отсутствует', 'отсутствуют',
  // de
  'nicht', 'kein', 'keine', 'keinen', 'keiner', 'keinem', 'keines', 'nie', 'niemals', 'ohne', 'geschlossen',
  'nirgends', 'nichts', 'falsch',
  // fr
  'ne', 'non', 'sans', 'fermé', 'fermée', 'fermés', 'fermées', 'indisponible', 'indisponibles',
  // es
  'sin', 'cerrado', 'cerrada', 'cerrados', 'cerradas',
]);

/** Cues that agree with a primary one (negative concord): counted once per clause, only without a primary cue. */
const CONCORD = new Set([
  'neither', 'nor',
  'ни', 'никогда', 'ничего', 'нигде', 'никакой', 'никакая', 'никакие', 'никаких',
  'weder',
  'pas', 'jamais', 'aucun', 'aucune', 'rien', 'ni', 'personne', 'nullement',
  'nunca', 'jamás', 'ningún', 'ninguno', 'ninguna', 'nada', 'tampoco',
]);

/** Word prefixes that negate (недоступен, неподдерживаемый, nicht-…). */
const NEG_PREFIXES = ['недоступ', 'неподдерж', 'несовмест', 'unsupport', 'inaccessib', 'nicht-'];

const EXCEPT = /(?:^|\s)(except(?: for)?|excluding|other than|apart from|кроме|за исключением|außer|ausgenommen|mit ausnahme|sauf|excepté|hormis|à part|à l'exception|excepto|salvo|a excepción)(?=\s|$)/gu;

/** Phrases whose negation word is not a negation ("not only … but also", "no problem"). */
const NOT_NEGATIONS = /\b(?:not only|not just|not merely|whether or not|no problem|no worries|no doubt)\b|не только|нет проблем|nicht nur|kein problem|non seulement|pas de problème|no solo|no sólo|no solamente|sin problema|no hay problema/gu;

/** Answer particles at the start of a sentence ("No, it doesn't …"): not part of the claim. */
const ANSWER_PARTICLE = /^\s*(?:no|nope|yes|yeah|yep|sure|нет|да|nein|ja|doch|non|oui|si|sí)\s*[,.!:—–-]+\s*/u;

/** Verbs and auxiliaries that show a clause has a predicate of its own. */
const VERBISH = new Set([
  'is', "isn't", 'are', "aren't", 'was', "wasn't", 'were', "weren't", 'does', "doesn't", 'do', "don't", 'did', "didn't",
  'can', "can't", 'cannot', 'will', "won't", 'has', "hasn't", 'have', "haven't", 'supports', 'support', 'works', 'work',
  'lacks', 'offers', 'includes', 'comes', 'runs', 'accepts', "it's", "we're", "they're",
  'ist', 'sind', 'wird', 'hat', 'unterstützt', 'funktioniert',
  'est', 'sont', 'prend', 'fonctionne', "n'est",
  'es', 'está', 'son', 'soporta', 'funciona', 'admite',
  'поддерживает', 'поддерживается', 'работает', 'есть', 'является',
]);

const OPENERS = new Set([
  'while', 'although', 'though', 'whereas', 'unlike', 'which', 'who', 'хотя', 'который', 'которая', 'которое', 'которые',
  'obwohl', 'während', 'bien', 'if', 'unless', 'если', 'wenn', 'falls', 'si', 'alors', 'tandis', 'qui', 'aunque', 'mientras', 'que',
]);

const CONTRAST = /(?:,\s*|\s)(?=(?:but|however|although|though|whereas|while|unlike|instead|но|однако|зато|хотя|aber|jedoch|sondern|obwohl|während|mais|cependant|toutefois|tandis|pero|sino|aunque|mientras)(?:\s|,|$))|,\s*(?=а\s)|;/gu;
const DASH = /\s[—–]\s/gu;
const COMMA_NEGATION = /,\s*(?=(?:and |or |but |и |или |und |oder |et |ou |y |o )?(?:not|no|never|не|нет|nicht|kein\w*|pas|non|ne|n'|no)(?:\s|$))/gu;
const AND_VERB = /\s(?=(?:and|or)\s+(?:does|doesn't|do|don't|is|isn't|are|aren't|was|wasn't|can|can't|cannot|will|won't|has|hasn't|have|haven't|not|also|supports?|works?|lacks?|offers?|includes?|comes?|runs?|accepts?)\b)/gu;
const COMMA_RELATIVE = /,\s*(?=(?:which|who|где|который|которая|которое|которые|der|die|das|qui|lequel|laquelle|que|quien)\s)/gu;

const CONDITIONAL = /^[\s,;]*(?:if|unless|whether|если|wenn|falls|ob|si|s'il|siempre que)\s/u;

const WORD = /[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*'?/gu;

export function normalizeForPolarity(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/[’‘ʼ`´]/gu, "'").replace(/ё/gu, 'е');
}

const ABBREVIATIONS = /(?:\be\.g|\bi\.e|\betc|\bvs|\bapprox|\bz\.b|\bd\.h|\bт\.е|\bт\.к|\bp\.ex|\bp\.ej|\bmr|\bmrs|\bdr)\.$/iu;

/** Sentences of a text: split at . ! ? … followed by a space, and at line breaks (not inside 6.21 or e.g.). */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\n+/u)) {
    let start = 0;
    const re = /[.!?…。！？]+["'»”’)\]]*(?=\s|$)/gu;
    for (const m of line.matchAll(re)) {
      const end = (m.index ?? 0) + m[0].length;
      const piece = line.slice(start, end);
      if (m[0] === '.' && ABBREVIATIONS.test(piece.slice(-10))) continue;
      if (piece.trim() !== '') out.push(piece.trim());
      start = end;
    }
    const rest = line.slice(start).trim();
    if (rest !== '') out.push(rest);
  }
  return out;
}

function boundariesOf(s: string): number[] {
  const cuts = new Set<number>();
  for (const re of [CONTRAST, COMMA_NEGATION, AND_VERB, COMMA_RELATIVE]) {
    for (const m of s.matchAll(re)) cuts.add(m.index ?? 0);
  }
  // A comma between two clauses that each have a predicate: "Zigbee is supported, Z-Wave is not".
  const segments = s.split(',');
  let c = -1;
  for (let i = 0; i < segments.length - 1; i++) {
    c += segments[i].length + 1; // index of the comma after segments[i]
    const beforeWords = segments[i].match(WORD) ?? [];
    const afterWords = segments[i + 1].match(WORD) ?? [];
    if (afterWords.slice(0, 4).some((w) => VERBISH.has(w)) && beforeWords.some((w) => VERBISH.has(w))) cuts.add(c);
    // An elliptical clause after a comma: "Zigbee wird unterstützt, Z-Wave nicht", "Zigbee sí, Z-Wave no".
    else if (afterWords.length > 0 && afterWords.length <= 4 && cuesIn(segments[i + 1]).length > 0 && cuesIn(segments[i]).length === 0) cuts.add(c);
  }
  // A dash between clauses ("… are supported — Z-Wave is not"), but not after a bare topic ("Z-Wave — нет").
  for (const m of s.matchAll(DASH)) {
    const at = m.index ?? 0;
    const last = Math.max(0, ...[...cuts].filter((x) => x < at));
    if ((s.slice(last, at).match(WORD) ?? []).length > 3) cuts.add(at);
  }
  // A parenthetical with a predicate of its own after a clause with one is a clause of its own: "runs on iOS 16+
  // and Android 12+ (Windows is not supported)" (but "Z-Wave ❌ (not supported)" keeps its subject).
  for (const m of s.matchAll(/\([^()]*\)/gu)) {
    const at = m.index ?? 0;
    const inner = m[0].match(WORD) ?? [];
    const before = s.slice(Math.max(0, ...[...cuts].filter((x) => x < at)), at).match(WORD) ?? [];
    if (inner.some((w) => VERBISH.has(w)) && before.some((w) => VERBISH.has(w))) {
      cuts.add(at);
      cuts.add(at + m[0].length);
    }
  }
  return [...cuts].filter((c) => c > 0).sort((a, b) => a - b);
}

/** Clauses of a (normalised) sentence as [start, end) ranges. */
export function clauseRanges(s: string): Array<[number, number]> {
  const cuts = boundariesOf(s);
  const ranges: Array<[number, number]> = [];
  let start = 0;
  for (const c of [...cuts, s.length]) {
    if (c > start) ranges.push([start, c]);
    start = c;
  }
  // A concessive or relative clause ends at its first comma: "while the old hub didn't, the new one supports X".
  const out: Array<[number, number]> = [];
  for (const [a, b] of ranges) {
    const text = s.slice(a, b);
    const first = (text.match(WORD) ?? [])[0];
    const comma = text.indexOf(',');
    if (first && OPENERS.has(first) && comma > 0) {
      out.push([a, a + comma], [a + comma, b]);
    } else out.push([a, b]);
  }
  return out;
}

function cuesIn(text: string): string[] {
  const clean = text.replace(NOT_NEGATIONS, ' ');
  const words = clean.match(WORD) ?? [];
  const primary: string[] = [];
  const concord: string[] = [];
  for (const w of words) {
    if (PRIMARY.has(w) || w.endsWith("n't") || NEG_PREFIXES.some((p) => w.startsWith(p))) primary.push(w);
    else if (w.startsWith("n'") && w.length > 2) primary.push("n'");
    else if (CONCORD.has(w)) concord.push(w);
  }
  if (primary.length > 0) return primary;
  return concord.length > 0 ? [concord.join('…')] : [];
}

/** A regex finding the subject as whole words, tolerant to hyphen/space variants and plural endings. */
export function subjectPattern(subject: string): RegExp {
  const norm = normalizeForPolarity(subject).trim();
  const body = Array.from(norm)
    .map((ch) => (/[-\s]/u.test(ch) ? '[-\\s]?' : ch.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')))
    .join('');
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}(?:'s|s|es|\\p{Script=Cyrillic}{1,3})?(?![\\p{L}\\p{N}])`, 'gu');
}

/**
 * Bounds that keep the analysis linear in practice on hostile replies: only the first MAX_TEXT characters are
 * read, sentences are cut into pieces of at most MAX_SENTENCE characters, and at most MAX_HITS mentions of a
 * subject are read per sentence (the cost is about text length × sentence length).
 */
export const POLARITY_LIMITS = { MAX_TEXT: 20_000, MAX_SENTENCE: 600, MAX_HITS: 20 } as const;

function boundedSentences(text: string): string[] {
  const out: string[] = [];
  for (const s of splitSentences(text.slice(0, POLARITY_LIMITS.MAX_TEXT))) {
    for (let i = 0; i < s.length; i += POLARITY_LIMITS.MAX_SENTENCE) out.push(s.slice(i, i + POLARITY_LIMITS.MAX_SENTENCE));
  }
  return out;
}

/**
 * Mentions of several subjects (each a list of spellings) in one pass over the sentences: result[i] holds the
 * mentions of groups[i]. Questions are not claims and are skipped.
 */
export function mentionsOfEach(text: string, groups: ReadonlyArray<readonly string[]>): Mention[][] {
  const out: Mention[][] = groups.map(() => []);
  const patterns = groups.map((g) => g.map(subjectPattern));
  for (const raw of boundedSentences(text)) {
    if (/\?["'»”’)\]]*$/u.test(raw)) continue;
    const s = normalizeForPolarity(raw).replace(ANSWER_PARTICLE, (m) => ' '.repeat(m.length));
    const hitsOf = patterns.map((ps) => {
      const hits: Array<[number, number]> = [];
      for (const re of ps) {
        for (const m of s.matchAll(re)) {
          hits.push([m.index ?? 0, (m.index ?? 0) + m[0].length]);
          if (hits.length >= POLARITY_LIMITS.MAX_HITS) break;
        }
      }
      return hits;
    });
    if (hitsOf.every((h) => h.length === 0)) continue;
    // Mask the subjects so their own words ("No Frills") are never read as cues or clause breaks.
    const chars = Array.from(s);
    const mask = new Array<boolean>(s.length).fill(false);
    for (const hits of hitsOf) for (const [a, b] of hits) for (let i = a; i < b; i++) mask[i] = true;
    let masked = '';
    let pos = 0;
    for (const ch of chars) {
      masked += mask[pos] ? 'x'.repeat(ch.length) : ch;
      pos += ch.length;
    }
    const ranges = clauseRanges(masked);
    const clauseInfo = new Map<number, { clause: string; conditional: boolean; excepts: RegExpMatchArray[]; cues: string[] }>();
    const infoAt = (ca: number, cb: number): { clause: string; conditional: boolean; excepts: RegExpMatchArray[]; cues: string[] } => {
      let info = clauseInfo.get(ca);
      if (!info) {
        const clause = masked.slice(ca, cb);
        info = { clause, conditional: CONDITIONAL.test(clause), excepts: [...clause.matchAll(EXCEPT)], cues: cuesIn(clause) };
        clauseInfo.set(ca, info);
      }
      return info;
    };
    hitsOf.forEach((hits, g) => {
      const seen = new Set<string>();
      for (const [a] of hits) {
        const [ca, cb] = ranges.find(([x, y]) => a >= x && a < y) ?? [0, masked.length];
        const info = infoAt(ca, cb);
        // "If you need Z-Wave, …": a condition states nothing about the subject.
        if (info.conditional) continue;
        const at = a - ca;
        let cues: string[];
        let flipped = false;
        const excepts = info.excepts.filter((m) => (m.index ?? 0) < at);
        if (excepts.length > 0) {
          const last = excepts[excepts.length - 1];
          cues = [...cuesIn(info.clause.slice(0, last.index ?? 0)), last[1]];
          flipped = true;
        } else cues = info.cues;
        const negations = flipped ? cues.length - 1 : cues.length;
        const negative = (negations % 2 === 1) !== flipped;
        const key = `${ca}:${negative}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out[g].push({ sentence: raw, clause: s.slice(ca, cb).trim(), polarity: negative ? 'negative' : 'positive', cues });
      }
    });
  }
  return out;
}

/** Every mention of `subject` (any of its spellings) in `text` with its polarity. */
export function mentionsOf(text: string, subjects: readonly string[]): Mention[] {
  return mentionsOfEach(text, [subjects])[0];
}
