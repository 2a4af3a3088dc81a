/** Parses the keyboard and button parts of a `click:` step (click-ui-schema.ts) after the schema accepted them. */
import type { Step } from '../core/types.js';
import { parseDuration } from '../schema-kit/duration.js';
import { safeRegexProblem } from '../util/safe-regex.js';
import type { TemplatedField } from './variables.js';

type Path = PropertyKey[];

interface ParseCtx {
  add(path: Path, message: string, hint: string): void;
  readonly fields: TemplatedField[];
}

interface RawClickUi {
  'expect-answer'?: { alert?: boolean; equals?: string; icontains?: string; regex?: string };
  open?: { text?: string; selector?: string; screenshot?: boolean; timeout?: unknown };
}

export function parseClickUi(ctx: ParseCtx, value: unknown, vpath: Path, step: Extract<Step, { kind: 'click' }>, webTimeoutMs: number): void {
  const o = value as RawClickUi;
  const a = o['expect-answer'];
  if (a !== undefined) {
    const p = [...vpath, 'expect-answer'];
    if (a.alert === undefined && a.equals === undefined && a.icontains === undefined && a.regex === undefined) {
      ctx.add(p, 'is empty', 'say what the answer must be, e.g. `expect-answer: { alert: true, icontains: "sold out" }`');
    }
    if (a.regex !== undefined) {
      const problem = safeRegexProblem(a.regex.replace(/\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}/g, 'x'));
      if (problem) ctx.add([...p, 'regex'], problem, 'use RE2 syntax (no lookaround, no backreferences)');
    }
    for (const k of ['equals', 'icontains', 'regex'] as const) if (a[k] !== undefined) ctx.fields.push({ path: [...p, k], value: a[k] });
    step.answer = { ...a };
  }
  const w = o.open;
  if (w !== undefined) {
    if (w.text !== undefined) ctx.fields.push({ path: [...vpath, 'open', 'text'], value: w.text });
    step.open = {
      screenshot: w.screenshot ?? false,
      timeoutMs: w.timeout === undefined ? webTimeoutMs : parseDuration(w.timeout) ?? webTimeoutMs,
      ...(w.text !== undefined ? { text: w.text } : {}),
      ...(w.selector !== undefined ? { selector: w.selector } : {}),
    };
  }
}
