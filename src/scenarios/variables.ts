/** Load-time check of `{{variables}}`: each must be a built-in or defined by an earlier save/recall step. */
import { BUILTIN_VARS, templateVars } from './template.js';

export interface TemplatedField {
  /** Path in the file, starting `['steps', i, …]`. */
  path: PropertyKey[];
  value: unknown;
}

interface Sink {
  readonly fields: TemplatedField[];
  add(path: PropertyKey[], message: string, hint: string): void;
}

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => strings(v, out));
  return out;
}

function definedBy(raw: unknown): { name: string; key: 'save' | 'recall' } | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const r = raw as { save?: { name?: unknown }; recall?: { as?: unknown } };
  if (r.save && typeof r.save.name === 'string') return { name: r.save.name, key: 'save' };
  if (r.recall && typeof r.recall.as === 'string') return { name: r.recall.as, key: 'recall' };
  return undefined;
}

export function checkVariables(sink: Sink, rawSteps: unknown[]): void {
  const firstDef = new Map<string, number>();
  rawSteps.forEach((raw, i) => {
    const def = definedBy(raw);
    if (!def) return;
    if ((BUILTIN_VARS as readonly string[]).includes(def.name)) {
      sink.add(['steps', i, def.key, def.key === 'save' ? 'name' : 'as'], `shadows the built-in variable {{${def.name}}}`, 'pick another name');
    } else if (!firstDef.has(def.name)) firstDef.set(def.name, i);
  });
  const builtins = BUILTIN_VARS.join(', ');
  for (const field of sink.fields) {
    const step = typeof field.path[1] === 'number' ? field.path[1] : Number.MAX_SAFE_INTEGER;
    const reported = new Set<string>();
    for (const s of strings(field.value)) {
      for (const name of templateVars(s)) {
        if ((BUILTIN_VARS as readonly string[]).includes(name) || reported.has(name)) continue;
        const at = firstDef.get(name);
        if (at !== undefined && at < step) continue;
        reported.add(name);
        if (at !== undefined) sink.add(field.path, `uses {{${name}}} before steps[${at}] defines it`, `move the step that defines {{${name}}} before this one`);
        else sink.add(field.path, `unknown variable {{${name}}}`, `define it with a save or recall step before this one, or use a built-in: ${builtins}`);
      }
    }
  }
}
