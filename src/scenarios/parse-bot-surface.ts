/**
 * Parses the bot-surface steps (`start`, `bot-info`, `inline`, `send: { result }`) once their schema has passed:
 * assertion lists, the order checks (a result is sent after an inline step) and the templated fields.
 */
import type { AssertionSpec, Step } from '../core/types.js';
import type { InlineResultPick } from '../core/bot-surface.js';

type Path = PropertyKey[];

/** What parse-file.ts lends these parsers: its issue list, assertion parser and templated-field list. */
export interface StepParseKit {
  add(path: Path, message: string, hint: string): void;
  assertion(raw: unknown, path: Path): AssertionSpec | undefined;
  field(path: Path, value: unknown): void;
  regex(path: Path, source: string): void;
  /** Shared across the steps of one file. */
  state: { sent: boolean; inline?: boolean };
}

function assertions(kit: StepParseKit, raw: unknown, path: Path): AssertionSpec[] {
  const out: AssertionSpec[] = [];
  (Array.isArray(raw) ? raw : []).forEach((a, j) => {
    const spec = kit.assertion(a, [...path, j]);
    if (spec) out.push(spec);
  });
  return out;
}

export function parseBotSurfaceStep(kit: StepParseKit, kind: 'start' | 'bot-info' | 'inline', value: unknown, vpath: Path): Step | undefined {
  switch (kind) {
    case 'start': {
      kit.state.sent = true;
      kit.field(vpath, value);
      return { kind, payload: value as string };
    }
    case 'bot-info': {
      const o = (value ?? {}) as { assert?: unknown[]; about?: unknown[]; 'empty-description'?: 'fail' | 'allow' };
      return {
        kind,
        info: { assert: assertions(kit, o.assert, [...vpath, 'assert']), about: assertions(kit, o.about, [...vpath, 'about']), emptyDescription: o['empty-description'] ?? 'fail' },
      };
    }
    case 'inline': {
      const o = value as { query: string; bot?: string; offset?: string; results?: { min?: number; max?: number }; assert?: unknown[] };
      kit.state.inline = true;
      kit.field([...vpath, 'query'], o.query);
      const min = o.results?.min ?? 1;
      if (o.results?.max !== undefined && o.results.max < min) {
        kit.add([...vpath, 'results'], `max (${o.results.max}) is less than min (${min})`, 'make max at least min');
      }
      const inline: Extract<Step, { kind: 'inline' }>['inline'] = { query: o.query, minResults: min, assert: assertions(kit, o.assert, [...vpath, 'assert']) };
      if (o.bot !== undefined) inline.bot = o.bot.replace(/^@/u, '');
      if (o.offset !== undefined) inline.offset = o.offset;
      if (o.results?.max !== undefined) inline.maxResults = o.results.max;
      return { kind, inline };
    }
  }
}

/** `send: { result: N | { title } | { regex }, assert? }`. */
export function parseInlineSend(kit: StepParseKit, value: unknown, vpath: Path): Step | undefined {
  const o = value as { result: number | { title?: string; regex?: string }; assert?: unknown[] };
  if (!kit.state.inline) kit.add(vpath, 'sends an inline result before any inline step', 'add an `inline: { query: … }` step before it');
  kit.state.sent = true;
  let pick: InlineResultPick;
  if (typeof o.result === 'number') pick = { index: o.result };
  else if ((o.result.title === undefined) === (o.result.regex === undefined)) {
    kit.add([...vpath, 'result'], 'needs exactly one of title or regex', 'write `result: { title: "Joke" }`, `result: { regex: "^Joke" }` or `result: 1`');
    return undefined;
  } else if (o.result.title !== undefined) {
    kit.field([...vpath, 'result', 'title'], o.result.title);
    pick = { title: o.result.title };
  } else {
    kit.regex([...vpath, 'result', 'regex'], o.result.regex as string);
    kit.field([...vpath, 'result', 'regex'], o.result.regex);
    pick = { regex: o.result.regex as string };
  }
  return { kind: 'send-inline', pick, assert: assertions(kit, o.assert, [...vpath, 'assert']) };
}
