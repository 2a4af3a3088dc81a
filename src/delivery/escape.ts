/** Escaping for untrusted text (bot replies end up in alert bodies). */

/** HTML escape for bodies and attributes (email HTML). */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Telegram's HTML parse mode accepts only these three entities outside tags. */
export function escapeTelegramHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Cuts already-escaped text to `max` characters (with a trailing ellipsis) without splitting an entity such as
 * `&amp;` in the middle.
 */
export function truncateEscaped(escaped: string, max: number): string {
  if (escaped.length <= max) return escaped;
  let cut = escaped.slice(0, Math.max(0, max - 1));
  const amp = cut.lastIndexOf('&');
  if (amp !== -1 && cut.indexOf(';', amp) === -1) cut = cut.slice(0, amp);
  return `${cut}…`;
}

/** Replaces every occurrence of each secret (non-empty) in `s` with `[redacted]`. */
export function scrubSecrets(s: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = s;
  for (const secret of secrets) {
    if (!secret) continue;
    out = out.split(secret).join('[redacted]');
    const enc = encodeURIComponent(secret);
    if (enc !== secret) out = out.split(enc).join('[redacted]');
  }
  return out;
}

/**
 * Escapes `raw` and cuts it so the escaped text fits in `max` characters (with a trailing ellipsis), never
 * splitting an escape sequence: the raw text is shortened, then escaped again.
 */
export function fitEscaped(raw: string, max: number, escape: (s: string) => string): string {
  const whole = escape(raw);
  if (whole.length <= max) return whole;
  if (max < 1) return '';
  // the longest raw prefix whose escaped form leaves room for the ellipsis (escaping grows with the prefix)
  let lo = 0;
  let hi = raw.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (escape(raw.slice(0, mid)).length + 1 <= max) lo = mid;
    else hi = mid - 1;
  }
  // never end on half of a surrogate pair (an emoji): receivers reject lone surrogates
  const code = raw.charCodeAt(lo - 1);
  if (lo > 0 && code >= 0xd800 && code <= 0xdbff) lo -= 1;
  return `${escape(raw.slice(0, lo))}…`;
}
