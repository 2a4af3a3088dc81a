/**
 * Exact storage of untrusted JS strings.
 *
 * SQLite TEXT is UTF-8. A JS string holding a lone surrogate (half of an emoji pair, which a bot can send) is
 * not valid Unicode: better-sqlite3 writes it as a 3-byte WTF-8 sequence and reads it back as three U+FFFD, so
 * it would not round-trip. Well-formed strings (nearly all) are stored as TEXT; ill-formed ones are stored as
 * a BLOB of their UTF-16LE code units and decoded back to the identical string.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isWellFormed(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}

export function encText(s: string): string | Buffer {
  return isWellFormed(s) ? s : Buffer.from(s, 'utf16le');
}

export function encOptText(s: string | undefined | null): string | Buffer | null {
  return s === undefined || s === null ? null : encText(s);
}

export function decText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf16le');
  if (v === null || v === undefined) return '';
  return String(v);
}

export function decOptText(v: unknown): string | undefined {
  return v === null || v === undefined ? undefined : decText(v);
}
