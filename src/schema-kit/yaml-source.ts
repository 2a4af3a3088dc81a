/**
 * YAML parsing that keeps line numbers, so config and scenario problems can say `file:line`. Parser messages
 * are cut to their first line: the `yaml` package appends a source excerpt, which could hold a secret.
 */
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';

/** Plain YAML to a JS value, for callers that need no line numbers (the sandbox's fault files). */
export { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

export interface YamlSource {
  /** Plain JS value of the document (undefined for an empty file). */
  value: unknown;
  doc: Document;
  lines: LineCounter;
  errors: { line?: number; message: string }[];
}

export function parseYamlSource(text: string): YamlSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, strict: true, logLevel: 'error' });
  const errors: { line?: number; message: string }[] = [];
  for (const e of doc.errors) {
    const first = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').trim();
    const offset = e.pos?.[0];
    errors.push({ line: offset === undefined ? undefined : lines.linePos(offset).line, message: first || 'YAML syntax error' });
  }
  let value: unknown;
  if (errors.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      errors.push({ message: e instanceof Error ? e.message.split('\n')[0] : 'YAML could not be read' });
    }
  }
  return { value, doc, lines, errors };
}

/**
 * Line (1-based) of the node at `path` (of its key, for mapping values), or of its nearest existing ancestor.
 * With `keyOf`, the line of the key `keyOf` inside the mapping at `path` (for unknown keys).
 */
export function lineAt(src: YamlSource, path: readonly PropertyKey[], keyOf?: string): number | undefined {
  const parts = keyOf === undefined ? [...path] : [...path, keyOf];
  for (let n = parts.length; n >= 1; n--) {
    const parent: unknown = n === 1 ? src.doc.contents : src.doc.getIn(parts.slice(0, n - 1).map(String2), true);
    const last = parts[n - 1];
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(last));
      if (pair && isNode(pair.key) && pair.key.range) return src.lines.linePos(pair.key.range[0]).line;
    } else if (isSeq(parent) && typeof last === 'number') {
      const item = parent.items[last];
      if (isNode(item) && item.range) return src.lines.linePos(item.range[0]).line;
    }
  }
  const root = src.doc.contents;
  return isNode(root) && root.range ? src.lines.linePos(root.range[0]).line : undefined;
}

function String2(p: PropertyKey): string | number {
  return typeof p === 'number' ? p : String(p);
}
