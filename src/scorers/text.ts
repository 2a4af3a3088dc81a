/** Text helpers shared by the scorers: normalisation, code points, tokens, similarity, edit distance. */

/** NFKC, lower case, unified apostrophes and quotes, collapsed whitespace. */
export function normalizeText(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’‘ʼ`´]/gu, "'")
    .replace(/[“”«»„]/gu, '"')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** Length in Unicode code points (an emoji counts once, as a human would count it roughly). */
export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Word tokens (letters, digits, combining marks), normalised. */
export function tokenize(s: string): string[] {
  return normalizeText(s).match(/[\p{L}\p{N}\p{M}]+/gu) ?? [];
}

/** F1 of the token multisets: 1 for the same words, 0 for none shared. */
export function tokenF1(a: string, b: string): number {
  const ta = tokenize(a);
  const tb = tokenize(b);
  if (ta.length === 0 && tb.length === 0) return 1;
  if (ta.length === 0 || tb.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const t of ta) counts.set(t, (counts.get(t) ?? 0) + 1);
  let common = 0;
  for (const t of tb) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      common++;
      counts.set(t, c - 1);
    }
  }
  if (common === 0) return 0;
  const p = common / tb.length;
  const r = common / ta.length;
  return (2 * p * r) / (p + r);
}

function bigrams(s: string): string[] {
  const cps = Array.from(tokenize(s).join(' '));
  if (cps.length < 2) return cps.length === 1 ? [cps[0]] : [];
  const out: string[] = [];
  for (let i = 0; i < cps.length - 1; i++) out.push(cps[i] + cps[i + 1]);
  return out;
}

/** Sørensen–Dice coefficient of character bigrams (code points, normalised text). */
export function diceBigrams(a: string, b: string): number {
  const ba = bigrams(a);
  const bb = bigrams(b);
  if (ba.length === 0 && bb.length === 0) return 1;
  if (ba.length === 0 || bb.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const g of ba) counts.set(g, (counts.get(g) ?? 0) + 1);
  let common = 0;
  for (const g of bb) {
    const c = counts.get(g) ?? 0;
    if (c > 0) {
      common++;
      counts.set(g, c - 1);
    }
  }
  return (2 * common) / (ba.length + bb.length);
}

/** Lexical similarity 0..1: the mean of token F1 and bigram Dice. No model, any script. */
export function similarity(a: string, b: string): number {
  return (tokenF1(a, b) + diceBigrams(a, b)) / 2;
}

/** Levenshtein distance in code points (two-row dynamic programming). */
export function levenshtein(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  if (x.length === 0) return y.length;
  if (y.length === 0) return x.length;
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  let cur = new Array<number>(y.length + 1);
  for (let i = 1; i <= x.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[y.length];
}

/** Shortens untrusted text for a reason string. */
export function preview(s: string, max = 80): string {
  const cps = Array.from(s.replace(/\s+/gu, ' '));
  return JSON.stringify(cps.length > max ? `${cps.slice(0, max).join('')}…` : cps.join(''));
}
