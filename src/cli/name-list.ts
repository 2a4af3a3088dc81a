/** A comma-separated flag value (`--accounts a1,a2`) as a list; the config schema validates the names. */
export function parseNameList(v: string): string[] {
  return v.split(',').map((s) => s.trim()).filter((s) => s !== '');
}
