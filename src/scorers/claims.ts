/**
 * `claims`: facts with polarity. `value: [{ about: "Z-Wave", says: no }, { about: [Zigbee, ZigBee], says: yes }]`.
 * For each claim the sentences that mention the subject are found and their polarity decided (polarity.ts):
 * - `says: yes` — the reply must state it (a positive mention, no negative one);
 * - `says: no` — the reply must not state it; a negative mention or none at all passes (`required: true` asks
 *   for an explicit negative mention).
 * A reply that says both ("supports Z-Wave … does not support Z-Wave") fails as self-contradictory.
 */
import { mentionsOf, type Mention } from './polarity.js';
import { preview } from './text.js';
import type { Scorer } from './types.js';
import { outcome } from './types.js';
import { isRecord } from './values.js';

export interface Claim {
  about: string[];
  says: boolean;
  required: boolean;
}

const YES = new Set(['yes', 'true', 'y', 'supported', 'positive', 'да', 'ja', 'oui', 'sí', 'si']);
const NO = new Set(['no', 'false', 'n', 'unsupported', 'negative', 'нет', 'nein', 'non']);

function parseSays(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v !== 'string') return undefined;
  const t = v.trim().toLowerCase();
  return YES.has(t) ? true : NO.has(t) ? false : undefined;
}

/** Reads claims from an assertion value; throws with the fix on a malformed one. */
export function parseClaims(value: unknown): Claim[] {
  const list = Array.isArray(value) ? value : isRecord(value) ? [value] : undefined;
  const fix = 'write claims as a list such as value: [{ about: "Z-Wave", says: no }, { about: "Zigbee", says: yes }]';
  if (!list || list.length === 0) throw new Error(`needs claims; ${fix}`);
  return list.map((c, i) => {
    if (!isRecord(c)) throw new Error(`claim ${i} must be a mapping; ${fix}`);
    const extra = Object.keys(c).filter((k) => !['about', 'says', 'required'].includes(k));
    if (extra.length > 0) throw new Error(`claim ${i} has unknown key ${extra[0]}; ${fix}`);
    const about = (Array.isArray(c.about) ? c.about : [c.about]).map((a) => (typeof a === 'number' ? String(a) : a));
    if (about.length === 0 || about.some((a) => typeof a !== 'string' || a.trim() === '')) {
      throw new Error(`claim ${i} needs about: the subject as a non-empty string (or a list of spellings); ${fix}`);
    }
    const says = parseSays(c.says);
    if (says === undefined) throw new Error(`claim ${i} needs says: yes or says: no; ${fix}`);
    if (c.required !== undefined && typeof c.required !== 'boolean') throw new Error(`claim ${i}: required must be true or false`);
    return { about: about as string[], says, required: typeof c.required === 'boolean' ? c.required : says };
  });
}

function show(m: Mention): string {
  return preview(m.clause, 70);
}

export function judgeClaim(text: string, claim: Claim): { pass: boolean; reason: string } {
  const name = preview(claim.about[0], 40);
  const mentions = mentionsOf(text, claim.about);
  const pos = mentions.filter((m) => m.polarity === 'positive');
  const neg = mentions.filter((m) => m.polarity === 'negative');
  if (pos.length > 0 && neg.length > 0) {
    return { pass: false, reason: `contradicts itself about ${name}: ${show(pos[0])} vs ${show(neg[0])}` };
  }
  if (claim.says) {
    if (pos.length > 0) return { pass: true, reason: `states ${name}: ${show(pos[0])}` };
    if (neg.length > 0) return { pass: false, reason: `denies ${name} (cue ${neg[0].cues.join(', ')}): ${show(neg[0])}` };
    return { pass: false, reason: `does not mention ${name}` };
  }
  if (pos.length > 0) return { pass: false, reason: `states ${name}, which should be denied: ${show(pos[0])}` };
  if (neg.length > 0) return { pass: true, reason: `denies ${name}: ${show(neg[0])}` };
  return claim.required ? { pass: false, reason: `does not say anything about ${name}` } : { pass: true, reason: `does not claim ${name}` };
}

export const claimsScorer: Scorer = (spec, ctx) => {
  const claims = parseClaims(spec.value);
  const results = claims.map((c) => judgeClaim(ctx.reply.text, c));
  const failed = results.filter((r) => !r.pass);
  const score = (results.length - failed.length) / results.length;
  return failed.length === 0
    ? outcome(true, results.map((r) => r.reason).join('; '), 1)
    : outcome(false, failed.map((r) => r.reason).join('; '), score);
};
