/**
 * Parses one scenario YAML file into a core `Scenario`, collecting every problem with its line:
 * `file:line: steps[2].expect.timeout: is not a duration (fix: …)`.
 */
import type { z } from '../schema-kit/zod.js';
import { parseClickUi } from './click-ui-parse.js';
import { ValidationError, type Issue } from '../core/errors.js';
import type { AssertionSpec, ExpectSpec, Scenario, Step, TargetName } from '../core/types.js';
import { TARGET_NAMES } from '../core/types.js';
import { DURATION_HINT, parseDuration } from '../schema-kit/duration.js';
import { lineAt, parseYamlSource, type YamlSource } from '../schema-kit/yaml-source.js';
import { formatPath, plainIssues, suggest } from '../schema-kit/zod-issues.js';
import { assertionObject, DURATION_MSG, keysOf, sendMediaSchema, sendTextOnly, sendWithOptions, STEP_KINDS, suiteFileSchema, validateSchemas, type StepKind } from './schema.js';
import { checkVariables, type TemplatedField } from './variables.js';
import { compileSafeRegex } from '../util/safe-regex.js';
import { parseBotSurfaceStep, parseInlineSend, type StepParseKit } from './parse-bot-surface.js';
import { SEND_FORMS } from './schema-bot-surface.js';
import { parseSendMedia, type SendMediaValue } from './send-media.js';

export interface ParseOptions {
  /** Is this a known assertion type? (src/scorers isScorerName). Absent: any type is accepted. */
  isScorer?: (type: string) => boolean;
  /** Checks an assertion value; returns a message with the fix, or undefined (src/scorers validateAssertionValue). */
  validateValue?: (type: string, value: unknown) => string | undefined;
}

export const DEFAULTS = { scenarioTimeoutMs: 120_000, expectTimeoutMs: 30_000, settleMs: 1000, settleMaxMs: 10_000, quietMs: 2000, webTimeoutMs: 10_000, threshold: 1 } as const;

type Path = PropertyKey[];
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class Ctx {
  readonly issues: Issue[] = [];
  readonly fields: TemplatedField[] = [];
  constructor(readonly file: string, readonly src: YamlSource | undefined, readonly opts: ParseOptions) {}

  add(path: Path, message: string, hint: string, keyOf?: string): void {
    const full = keyOf === undefined ? path : [...path, keyOf];
    const line = this.src ? lineAt(this.src, path, keyOf) : undefined;
    this.issues.push({ file: this.file, path: formatPath(full), line, message, hint });
  }

  zod(error: z.ZodError, input: unknown, schema: z.ZodType, base: Path): void {
    for (const pi of plainIssues(error, input, (p) => keysOf(schema, p), base)) {
      const hint = MESSAGE_HINTS[pi.message] ?? pi.hint ?? 'correct this value';
      if (pi.unknownKey) this.add(pi.path.slice(0, -1), pi.message, hint, String(pi.path[pi.path.length - 1]));
      else this.add(pi.path, pi.message, hint);
    }
  }

  /** Validates `value` against `schema`; true when valid. */
  check(schema: z.ZodType, value: unknown, base: Path): boolean {
    const r = schema.safeParse(value);
    if (!r.success) this.zod(r.error, value, schema, base);
    return r.success;
  }
}

const MESSAGE_HINTS: Record<string, string> = {
  [DURATION_MSG]: DURATION_HINT,
  'is not a valid scenario name': 'use letters, digits, dot, underscore or dash (no spaces), e.g. joke-fresh',
  'is not a valid suite name': 'use one word such as joke, memory, favor or rag',
  'is not a variable name': 'use letters, digits and underscores, starting with a letter, e.g. ref',
};

const ms = (v: unknown, dflt: number): number => (v === undefined ? dflt : parseDuration(v) ?? dflt);

/**
 * Regex check with `{{vars}}` replaced by a plain placeholder: the pattern must compile for the linear-time
 * engine (RE2: no lookaround, no backreferences). Returns the number of capture groups.
 */
function checkRegex(ctx: Ctx, path: Path, source: string): number | undefined {
  try {
    return compileSafeRegex(source.replace(/\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}/g, 'x')).groupCount;
  } catch (e) {
    ctx.add(path, e instanceof Error ? e.message : 'is not a valid regular expression', REGEX_HINT);
    return undefined;
  }
}

const REGEX_HINT = 'patterns run on RE2 (linear time): no lookahead, lookbehind or backreferences; escape ( ) [ ] . * + ? with a backslash';

function parseAssertion(ctx: Ctx, raw: unknown, path: Path): AssertionSpec | undefined {
  let spec: AssertionSpec;
  if (typeof raw === 'string' && raw.trim() !== '') spec = { type: raw.trim(), weight: 1, critical: false };
  else if (isObj(raw)) {
    if (!ctx.check(assertionObject, raw, path)) return undefined;
    const o = raw as { type: string; value?: unknown; weight?: number; threshold?: number; critical?: boolean };
    spec = { type: o.type, weight: o.weight ?? 1, critical: o.critical ?? false };
    if (o.value !== undefined) spec.value = o.value;
    if (o.threshold !== undefined) spec.threshold = o.threshold;
  } else {
    ctx.add(path, 'must be an assertion type or a mapping with `type`', 'write e.g. `- not-error` or `- { type: icontains, value: "hello" }`');
    return undefined;
  }
  const typePath = isObj(raw) ? [...path, 'type'] : path;
  if (ctx.opts.isScorer && !ctx.opts.isScorer(spec.type)) {
    ctx.add(typePath, `unknown assertion type "${spec.type}"`, 'check the spelling; `tg-canary schema` lists every type');
    return undefined;
  }
  const bad = ctx.opts.validateValue?.(spec.type, spec.value);
  if (bad) ctx.add(isObj(raw) && 'value' in raw ? [...path, 'value'] : path, bad, `fix the value of this ${spec.type} assertion`);
  if (spec.value !== undefined) ctx.fields.push({ path: isObj(raw) ? [...path, 'value'] : path, value: spec.value });
  return spec;
}

function parseExpect(ctx: Ctx, raw: unknown, path: Path, scenarioTimeout: number | undefined): ExpectSpec | undefined {
  if (!ctx.check(validateSchemas.steps.expect, raw ?? {}, path)) return undefined;
  const o = (raw ?? {}) as {
    timeout?: unknown; settle?: unknown; 'settle-max'?: unknown; duplicates?: 'fail' | 'allow';
    messages?: { min?: number; max?: number }; assert?: unknown[]; checks?: Record<string, boolean>;
  };
  const spec: ExpectSpec = {
    timeoutMs: ms(o.timeout, DEFAULTS.expectTimeoutMs),
    settleMs: ms(o.settle, DEFAULTS.settleMs),
    minMessages: o.messages?.min ?? 1,
    assert: [],
  };
  if (o['settle-max'] !== undefined) spec.settleMaxMs = ms(o['settle-max'], DEFAULTS.settleMaxMs);
  if (o.duplicates !== undefined) spec.duplicates = o.duplicates;
  if (spec.settleMaxMs !== undefined && spec.settleMaxMs < spec.settleMs) {
    ctx.add([...path, 'settle-max'], `(${spec.settleMaxMs} ms) is less than settle (${spec.settleMs} ms)`, 'make settle-max at least settle');
  }
  if (o.messages?.max !== undefined) spec.maxMessages = o.messages.max;
  if (o.checks !== undefined) spec.checks = { ...o.checks };
  if (spec.maxMessages !== undefined && spec.maxMessages < spec.minMessages) {
    ctx.add([...path, 'messages'], `max (${spec.maxMessages}) is less than min (${spec.minMessages})`, 'make max at least min');
  }
  if (scenarioTimeout !== undefined && spec.timeoutMs > scenarioTimeout) {
    ctx.add([...path, 'timeout'], 'is longer than the scenario timeout', 'shorten it or raise the scenario `timeout`');
  }
  (o.assert ?? []).forEach((a, j) => {
    const spec1 = parseAssertion(ctx, a, [...path, 'assert', j]);
    if (spec1) spec.assert.push(spec1);
  });
  return spec;
}

interface SendStepOptions {
  text: string;
  mention?: boolean;
  'reply-to'?: 'last-bot-message';
}

/** `send: { text, mention, reply-to }`: mention only makes sense in a group chat (the scenario's `chat:`). */
function parseSendOptions(ctx: Ctx, o: SendStepOptions, vpath: Path, state: { inGroup?: boolean }): Step {
  ctx.fields.push({ path: [...vpath, 'text'], value: o.text });
  if (o.mention && !state.inGroup) ctx.add([...vpath, 'mention'], 'only applies in a group chat', 'add `chat: { group: "@your_group" }` to the scenario, or drop `mention`');
  const step: Step = { kind: 'send', text: o.text };
  if (o.mention) step.mention = true;
  if (o['reply-to']) step.replyTo = o['reply-to'];
  return step;
}

function stepKind(ctx: Ctx, raw: unknown, path: Path): StepKind | undefined {
  const kinds = STEP_KINDS.join(', ');
  if (!isObj(raw)) {
    ctx.add(path, 'must be a mapping with one action', `start the step with one of ${kinds}, e.g. \`- send: "hello"\``);
    return undefined;
  }
  const keys = Object.keys(raw);
  const known = keys.filter((k): k is StepKind => (STEP_KINDS as readonly string[]).includes(k));
  for (const k of keys.filter((key) => !known.includes(key as StepKind))) {
    const near = suggest(k, STEP_KINDS);
    ctx.add(path, `unknown step action "${k}"`, near ? `did you mean "${near}"?` : `use one of ${kinds}`, k);
  }
  if (known.length === 0 && keys.length === 0) ctx.add(path, 'is an empty step', `start the step with one of ${kinds}`);
  if (known.length > 1) ctx.add(path, `has more than one action (${known.join(', ')})`, 'split it into one step per action');
  return known.length === 1 && keys.length === 1 ? known[0] : undefined;
}

function parseStep(ctx: Ctx, raw: unknown, i: number, state: { sent: boolean; inline?: boolean; scenarioTimeout?: number; inGroup?: boolean }): Step | undefined {
  const path: Path = ['steps', i];
  const kind = stepKind(ctx, raw, path);
  if (!kind) return undefined;
  const value = (raw as Obj)[kind];
  const vpath: Path = [...path, kind];
  const kit: StepParseKit = {
    add: (p, m, h) => ctx.add(p, m, h),
    assertion: (a, p) => parseAssertion(ctx, a, p),
    field: (p, v) => ctx.fields.push({ path: p, value: v }),
    regex: (p, r) => void checkRegex(ctx, p, r),
    state,
  };
  const schema = kind === 'send' ? (isObj(value) ? ('result' in value ? SEND_FORMS.result : 'text' in value ? sendWithOptions : sendMediaSchema) : sendTextOnly) : validateSchemas.steps[kind];
  if (!ctx.check(schema, kind === 'expect' || kind === 'bot-info' ? value ?? {} : value, vpath)) {
    if (kind === 'send') state.sent = true;
    return undefined;
  }
  const needsSend = (): void => {
    if (!state.sent) ctx.add(vpath, 'comes before any send step', 'add a `send` step before it: the bot has nothing to answer yet');
  };
  switch (kind) {
    case 'send': {
      if (isObj(value) && 'result' in value) return parseInlineSend(kit, value, vpath);
      state.sent = true;
      if (typeof value === 'string') {
        ctx.fields.push({ path: vpath, value });
        return { kind, text: value };
      }
      if (isObj(value) && 'text' in value) return parseSendOptions(ctx, value as unknown as SendStepOptions, vpath, state);
      return parseSendMedia(ctx, value as SendMediaValue, vpath);
    }
    case 'expect': {
      needsSend();
      const expect = parseExpect(ctx, value, vpath, state.scenarioTimeout);
      return expect ? { kind, expect } : undefined;
    }
    case 'click': {
      needsSend();
      const o = value as { text?: string; regex?: string; expect?: unknown };
      if ((o.text === undefined) === (o.regex === undefined)) {
        ctx.add(vpath, 'needs exactly one of text or regex', 'write `click: { text: "✅ Confirm" }` or `click: { regex: "^✅" }`');
        return undefined;
      }
      if (o.regex !== undefined) checkRegex(ctx, [...vpath, 'regex'], o.regex);
      ctx.fields.push({ path: [...vpath, o.text !== undefined ? 'text' : 'regex'], value: o.text ?? o.regex });
      const step: Step = { kind, button: o.text !== undefined ? { text: o.text } : { regex: o.regex as string } };
      if (o.expect !== undefined) {
        const expect = parseExpect(ctx, o.expect, [...vpath, 'expect'], state.scenarioTimeout);
        if (!expect) return undefined;
        step.expect = expect;
      }
      parseClickUi(ctx, value, vpath, step, DEFAULTS.webTimeoutMs);
      return step;
    }
    case 'wait':
      return { kind, ms: ms(value, 0) };
    case 'save': {
      needsSend();
      const o = value as { name: string; regex: string; group?: number };
      const group = o.group ?? 1;
      const groups = checkRegex(ctx, [...vpath, 'regex'], o.regex);
      if (groups !== undefined && group > groups) {
        ctx.add([...vpath, 'group'], `is ${group} but the regex has ${groups} capture group${groups === 1 ? '' : 's'}`, 'add parentheses around the part to keep, or lower `group`');
      }
      ctx.fields.push({ path: [...vpath, 'regex'], value: o.regex });
      return { kind, name: o.name, regex: o.regex, group };
    }
    case 'remember': {
      const o = value as { key: string; value: string };
      ctx.fields.push({ path: [...vpath, 'value'], value: o.value });
      return { kind, key: o.key, value: o.value };
    }
    case 'recall': {
      const o = value as { key: string; as: string; maxAge?: unknown };
      const step: Step = { kind, key: o.key, as: o.as };
      if (o.maxAge !== undefined) step.maxAgeMs = ms(o.maxAge, 0);
      return step;
    }
    case 'web': {
      const o = value as { url: string; text?: string; selector?: string; screenshot?: boolean; timeout?: unknown };
      const probe = o.url.replace(/\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}/g, 'x');
      if (!/^https?:\/\/[^\s/]+/i.test(probe)) ctx.add([...vpath, 'url'], 'must be an http(s) URL', 'write a full URL such as http://127.0.0.1:8080/');
      ctx.fields.push({ path: [...vpath, 'url'], value: o.url });
      if (o.text !== undefined) ctx.fields.push({ path: [...vpath, 'text'], value: o.text });
      if (o.selector !== undefined) ctx.fields.push({ path: [...vpath, 'selector'], value: o.selector });
      const step: Step = { kind, url: o.url, screenshot: o.screenshot ?? false, timeoutMs: ms(o.timeout, DEFAULTS.webTimeoutMs) };
      if (o.text !== undefined) step.text = o.text;
      if (o.selector !== undefined) step.selector = o.selector;
      return step;
    }
    default:
      return parseBotSurfaceStep(kit, kind, value, vpath);
  }
}

/** Defaults a suite file sets for every scenario of its suite. */
export interface SuiteDefaults {
  suite: string;
  file: string;
  repeat?: number;
}

/** A mapping with `defaults` and no `steps` is a suite file. */
export function isSuiteFile(value: unknown): boolean {
  return isObj(value) && 'defaults' in value && !('steps' in value);
}

/** Parses one file's text; returns the scenario or the suite defaults (when valid) and every problem found. */
export function checkSourceText(file: string, text: string, opts: ParseOptions = {}): { scenario?: Scenario; suite?: SuiteDefaults; issues: Issue[] } {
  const src = parseYamlSource(text);
  if (src.errors.length > 0 || !isSuiteFile(src.value)) return checkScenarioText(file, text, opts);
  const ctx = new Ctx(file, src, opts);
  if (!ctx.check(suiteFileSchema, src.value, [])) return { issues: ctx.issues };
  const o = src.value as { suite: string; defaults: { repeat?: number } };
  const suite: SuiteDefaults = { suite: o.suite, file };
  if (o.defaults.repeat !== undefined) suite.repeat = o.defaults.repeat;
  return { suite, issues: [] };
}

/** Parses one file's text; returns the scenario (when valid) and every problem found. */
export function checkScenarioText(file: string, text: string, opts: ParseOptions = {}): { scenario?: Scenario; issues: Issue[] } {
  const src = parseYamlSource(text);
  const ctx = new Ctx(file, src, opts);
  if (src.errors.length > 0) {
    for (const e of src.errors) ctx.issues.push({ file, path: '', line: e.line, message: e.message, hint: 'fix the YAML syntax (indentation, quotes, colons)' });
    return { issues: ctx.issues };
  }
  const value = src.value;
  if (!isObj(value)) {
    ctx.add([], 'must be a mapping with name, suite and steps', 'start the file with `name:`, `suite:` and `steps:`');
    return { issues: ctx.issues };
  }
  ctx.check(validateSchemas.top, value, []);
  const timeoutOk = value.timeout !== undefined && parseDuration(value.timeout) !== undefined;
  const state: { sent: boolean; inline?: boolean; scenarioTimeout?: number; inGroup?: boolean } = { sent: false, scenarioTimeout: timeoutOk ? parseDuration(value.timeout) : undefined, inGroup: isObj(value.chat) };
  const steps: Step[] = [];
  const rawSteps = Array.isArray(value.steps) ? value.steps : [];
  rawSteps.forEach((raw, i) => {
    const step = parseStep(ctx, raw, i, state);
    if (step) steps.push(step);
  });
  const targets = Array.isArray(value.targets) ? (value.targets as TargetName[]) : [...TARGET_NAMES];
  const seen = new Set<string>();
  targets.forEach((t, i) => {
    if (seen.has(t)) ctx.add(['targets', i], `lists "${t}" twice`, 'remove the duplicate');
    seen.add(t);
  });
  checkVariables(ctx, rawSteps);
  if (ctx.issues.length > 0) return { issues: ctx.issues };
  const scenario: Scenario = {
    name: value.name as string,
    suite: value.suite as string,
    targets: [...seen] as TargetName[],
    timeoutMs: ms(value.timeout, DEFAULTS.scenarioTimeoutMs),
    quietMs: ms(value.quiet, DEFAULTS.quietMs),
    threshold: (value.threshold as number | undefined) ?? DEFAULTS.threshold,
    steps,
    file,
  };
  if (typeof value.description === 'string') scenario.description = value.description;
  if (typeof value.repeat === 'number') scenario.repeat = value.repeat;
  if (isObj(value.checks)) scenario.checks = { ...(value.checks as Record<string, boolean>) };
  if (isObj(value.chat)) scenario.chat = chatOf(value.chat as { group: string | number; topic?: string });
  return { scenario, issues: [] };
}

/** The scenario's `chat:` (a numeric id is kept as written, as a string). */
function chatOf(c: { group: string | number; topic?: string }): NonNullable<Scenario['chat']> {
  const chat: NonNullable<Scenario['chat']> = { group: String(c.group).trim() };
  if (c.topic !== undefined) chat.topic = c.topic;
  return chat;
}

/** Parses one scenario file; throws a ValidationError listing every problem. */
export function parseScenarioFile(file: string, text: string, opts: ParseOptions = {}): Scenario {
  const { scenario, issues } = checkScenarioText(file, text, opts);
  if (!scenario) throw new ValidationError('SCENARIO_INVALID', issues, 'fix the listed problems; `tg-canary validate` re-checks all scenarios');
  return scenario;
}
