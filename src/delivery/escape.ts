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
  let out = escape(raw);
  if (out.length <= max) return out;
  let keep = Math.max(0, Math.min(raw.length, max - 1));
  for (;;) {
    out = `${escape(raw.slice(0, keep))}…`;
    if (out.length <= max || keep === 0) return out.length <= max ? out : '…';
    keep = Math.max(0, keep - Math.max(1, out.length - max));
  }
}
