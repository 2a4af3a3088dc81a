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
