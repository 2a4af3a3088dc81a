/**
 * Escaping for untrusted text (bot replies are hostile) in HTML, XML and Markdown.
 * Every renderer passes bot-provided strings through one of these before output.
 */

/** Bidi controls (embeddings, overrides, isolates, marks) that can reorder what a reader sees. */
const BIDI_RE = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
/** Invisible characters that can hide text (zero-width space, word joiner, BOM, soft hyphen). */
const INVISIBLE_RE = /[\u00AD\u200B\u2060\uFEFF]/g;
/** C0 and C1 controls except tab and newline. */
// eslint-disable-next-line no-control-regex -- stripping control characters is the point
const CONTROL_RE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
/** A high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const LONE_SURROGATE_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function codePointLabel(ch: string): string {
  return `[U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}]`;
}

/**
 * Makes untrusted text safe to show: lone surrogates become U+FFFD, control characters (other than tab and
 * newline; a CR is kept only as part of CRLF, which becomes LF) are dropped, and bidi or invisible characters
 * are shown as visible `[U+XXXX]` markers so a reply cannot disguise itself.
 */
export function cleanText(input: unknown): string {
  const s = typeof input === 'string' ? input : input === undefined || input === null ? '' : String(input);
  return s
    .replace(LONE_SURROGATE_RE, '\uFFFD')
    .replace(/\r\n/g, '\n')
    .replace(CONTROL_RE, '')
    .replace(BIDI_RE, codePointLabel)
    .replace(INVISIBLE_RE, codePointLabel);
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for HTML element content and quoted attribute values (after cleaning it). */
export function escapeHtml(input: unknown): string {
  return cleanText(input).replace(/[&<>"'`]/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** Shortens text to `max` code points, adding an ellipsis. Never splits a surrogate pair. */
export function truncate(input: string, max: number): string {
  const chars = Array.from(input);
  return chars.length <= max ? input : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** Characters XML 1.0 forbids (outside #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | supplementary). */
// eslint-disable-next-line no-control-regex -- stripping control characters is the point
const XML_FORBIDDEN_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Escapes text for XML 1.0 content and attributes: forbidden characters removed, lone surrogates replaced. */
export function escapeXml(input: unknown): string {
  const s = typeof input === 'string' ? input : input === undefined || input === null ? '' : String(input);
  return s
    .replace(LONE_SURROGATE_RE, '\uFFFD')
    .replace(XML_FORBIDDEN_RE, '')
    .replace(/[&<>"']/g, (c) => (c === "'" ? '&apos;' : (HTML_ESCAPES[c] ?? c)));
}

/**
 * Escapes text for Markdown (GitHub, GitLab, chat): Markdown punctuation is backslash-escaped so a reply
 * cannot make links, code or tables, `<`/`>` become entities, and newlines become spaces when `inline`
 * (table cells).
 */
export function escapeMarkdown(input: unknown, opts: { inline?: boolean } = {}): string {
  let s = cleanText(input)
    .replace(/[\\`*_{}[\]()#+!|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
  if (opts.inline) s = s.replace(/[\t\n]+/g, ' ');
  return s;
}

/** Allows only relative URLs and http(s) URLs in links; any other scheme (javascript:, data:) becomes `#`. */
export function safeHref(url: string): string {
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  const u = url.replace(/[\u0000-\u0020\u007F-\u009F]/g, '');
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(u);
  if (scheme && !/^https?$/i.test(scheme[1] ?? '')) return '#';
  return escapeHtml(u);
}

/** The Content-Security-Policy every rendered page carries (meta tag and HTTP header). */
export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** Formats milliseconds for humans: `850 ms`, `2.4 s`, `1 m 05 s`; `—` for null. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return `${m} m ${String(s).padStart(2, '0')} s`;
}

/** ISO-8601 time in UTC, or `—`. */
export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC');
}
