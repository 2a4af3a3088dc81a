/**
 * Untrusted text (bot replies, receivers' error bodies) on its way to a terminal or a notification: control
 * characters are shown as visible escapes (`\x1b`, `\u202e`) instead of being sent raw, so a reply cannot clear the
 * screen, recolour it, retitle the window or reorder the line (ESC/CSI/OSC sequences, C1 controls, DEL, bidi
 * overrides). Tabs stay; newlines stay unless `singleLine`. Stored transcripts are never passed through this.
 */

// C0 except \t and \n, DEL, C1, and the Unicode bidi embedding/override/isolate controls and marks.
// eslint-disable-next-line no-control-regex -- matching control characters is what this is for
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function visible(ch: string): string {
  const code = ch.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

export function safeText(text: string, opts: { singleLine?: boolean } = {}): string {
  const out = text.replace(CONTROL, visible);
  return opts.singleLine ? out.replace(/\n/g, ' ') : out;
}
