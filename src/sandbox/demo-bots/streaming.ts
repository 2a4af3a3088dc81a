/** LLM-like streaming for the canary demo bot: a placeholder, then growing edits up to the final text. */

export const STREAM_PLACEHOLDER = 'Thinking…';
export const STREAM_TOTAL_MS = 60;

/**
 * `parts` strictly growing prefixes of `text` (cut at word boundaries when there are enough words), the last
 * one being `text` itself. Fewer are returned when the text is too short to grow `parts` times.
 */
export function streamPrefixes(text: string, parts: number): string[] {
  const words = text.match(/\S+\s*/gu) ?? [];
  const units = words.length >= parts ? words : Array.from(text);
  const out: string[] = [];
  for (let i = 1; i <= parts; i++) {
    const cut = Math.round((i * units.length) / parts);
    const prefix = i === parts ? text : units.slice(0, cut).join('').trimEnd();
    if (prefix.length > 0 && prefix !== out[out.length - 1] && prefix !== STREAM_PLACEHOLDER) out.push(prefix);
  }
  if (out[out.length - 1] !== text) out.push(text);
  return out;
}
