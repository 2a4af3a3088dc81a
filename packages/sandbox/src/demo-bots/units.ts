/** Unit conversion skill of the demo bots: "Convert <n> <unit> to <unit>". */

type Unit = 'km' | 'mi' | 'kg' | 'lb' | 'c' | 'f' | 'm' | 'ft' | 'l' | 'gal';

const ALIASES: Readonly<Record<string, Unit>> = {
  km: 'km', kms: 'km', kilometer: 'km', kilometers: 'km', kilometre: 'km', kilometres: 'km',
  mi: 'mi', mile: 'mi', miles: 'mi',
  kg: 'kg', kgs: 'kg', kilogram: 'kg', kilograms: 'kg',
  lb: 'lb', lbs: 'lb', pound: 'lb', pounds: 'lb',
  c: 'c', '°c': 'c', celsius: 'c',
  f: 'f', '°f': 'f', fahrenheit: 'f',
  m: 'm', meter: 'm', meters: 'm', metre: 'm', metres: 'm',
  ft: 'ft', foot: 'ft', feet: 'ft',
  l: 'l', liter: 'l', liters: 'l', litre: 'l', litres: 'l',
  gal: 'gal', gallon: 'gal', gallons: 'gal',
};

const KM_PER_MILE = 1.609344;
const KG_PER_LB = 0.45359237;
const M_PER_FT = 0.3048;
const L_PER_GAL = 3.785411784;

const CONVERSIONS: Readonly<Record<string, (x: number) => number>> = {
  'km>mi': (x) => x / KM_PER_MILE,
  'mi>km': (x) => x * KM_PER_MILE,
  'kg>lb': (x) => x / KG_PER_LB,
  'lb>kg': (x) => x * KG_PER_LB,
  'c>f': (x) => (x * 9) / 5 + 32,
  'f>c': (x) => ((x - 32) * 5) / 9,
  'm>ft': (x) => x / M_PER_FT,
  'ft>m': (x) => x * M_PER_FT,
  'l>gal': (x) => x / L_PER_GAL,
  'gal>l': (x) => x * L_PER_GAL,
};

const CONVERT_RE = /^\s*convert\s+(-?\d+(?:[.,]\d+)?)\s*(°?[\p{L}]+)\s+(?:to|in|into)\s+(°?[\p{L}]+)\s*[.?!]?\s*$/iu;

/** Rounds to 2 decimals and drops trailing zeros: 212 → "212", 6.2137 → "6.21". */
export function formatNumber(x: number): string {
  const r = Math.round(x * 100) / 100;
  return String(Object.is(r, -0) ? 0 : r);
}

/** The answer to a conversion request, or undefined when the text is not one. */
export function convertUnits(text: string): string | undefined {
  const m = CONVERT_RE.exec(text);
  if (!m) return undefined;
  const [, rawN, rawFrom, rawTo] = m;
  const from = ALIASES[rawFrom.toLowerCase()];
  const to = ALIASES[rawTo.toLowerCase()];
  const fn = from && to ? CONVERSIONS[`${from}>${to}`] : undefined;
  if (!fn) {
    return `Sorry, I can only convert km↔miles, kg↔lb, C↔F, m↔ft and l↔gal, not ${rawFrom} to ${rawTo}.`;
  }
  const n = Number(rawN.replace(',', '.'));
  return `${rawN} ${rawFrom} = ${formatNumber(fn(n))} ${rawTo}`;
}
