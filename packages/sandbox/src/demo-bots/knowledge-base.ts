/**
 * The fictional "Orbit by Acme" knowledge base of the demo bots, answered by keyword retrieval. A question that
 * no fact covers gets the fixed "couldn't find" answer: the bot never invents.
 */

export const KB_NOT_FOUND = "I couldn't find that in the Orbit knowledge base.";

interface Fact {
  /** Every one of these tokens must be in the question (e.g. the product). */
  all: readonly string[];
  /** At least one of these tokens must be in the question (the topic). */
  any: readonly string[];
  answer: string;
}

export const ORBIT_FACTS: readonly Fact[] = [
  { all: ['x1'], any: ['warranty', 'warranties', 'guarantee'], answer: 'The Orbit X1 comes with a 2-year warranty.' },
  {
    all: ['x1'],
    any: ['battery', 'batteries', 'charge', 'last', 'lasts'],
    answer: 'The Orbit X1 battery lasts 18 hours on a single charge.',
  },
  { all: ['x1'], any: ['weigh', 'weighs', 'weight', 'heavy', 'kg'], answer: 'The Orbit X1 weighs 1.2 kg.' },
  {
    all: ['hub'],
    any: ['zigbee', 'matter', 'z-wave', 'zwave', 'wave', 'protocol', 'protocols', 'standards'],
    answer: 'The Orbit Hub supports Zigbee and Matter. It does not support Z-Wave.',
  },
  {
    all: ['support'],
    any: ['hours', 'open', 'when', 'available', 'time', 'times'],
    answer: 'Acme support is available 9:00–17:00 CET on weekdays.',
  },
  {
    all: [],
    any: ['return', 'returns', 'refund', 'refunds', 'returned'],
    answer: 'Acme accepts returns within 30 days of purchase.',
  },
  { all: ['x2'], any: ['camera', 'cameras', 'video', 'resolution', '4k'], answer: 'The Orbit X2 has a 4K camera.' },
  {
    all: ['app'],
    any: ['ios', 'android', 'iphone', 'phone', 'phones', 'run', 'runs', 'requirements', 'version', 'versions', 'work', 'works'],
    answer: 'The Orbit app runs on iOS 16+ and Android 12+.',
  },
];

const PRODUCTS = ['x1', 'x2', 'hub', 'app'];

function tokens(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu) ?? []);
}

/** Best fact for a question, or undefined. A fact about one product never answers a question about another. */
export function lookupOrbit(question: string): string | undefined {
  const toks = tokens(question);
  let best: { score: number; answer: string } | undefined;
  for (const fact of ORBIT_FACTS) {
    if (!fact.all.every((t) => toks.has(t))) continue;
    const otherProduct = PRODUCTS.some((p) => toks.has(p) && !fact.all.includes(p));
    if (otherProduct && fact.all.some((t) => PRODUCTS.includes(t))) continue;
    const hits = fact.any.filter((t) => toks.has(t)).length;
    if (hits === 0) continue;
    const score = hits + fact.all.length;
    if (!best || score > best.score) best = { score, answer: fact.answer };
  }
  return best?.answer;
}

/** True for a message the bot should treat as a knowledge-base question. */
export function isKbQuestion(text: string): boolean {
  const t = text.trim();
  if (/\b(orbit|acme)\b/iu.test(t)) return true;
  return /\?\s*$/u.test(t) || /^(what|how|does|do|is|are|can|which|when|where|who|why|tell me)\b/iu.test(t);
}
