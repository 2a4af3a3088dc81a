/**
 * The scenario file format as zod schemas. Each field carries a `.describe()` so `tg-canary schema` emits a
 * JSON Schema with documentation for editor completion. Two builds share the same parts: `json` spells out the
 * step and assertion unions for editors; `validate` keeps steps and assertions as `unknown` so the parser can
 * check them one by one with precise messages.
 */
import * as z from 'zod';

export const DURATION_MSG = 'is not a duration';
export const VAR_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const SCENARIO_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const DURATION_RE = /^\s*(?:\d+(?:\.\d+)?\s*(?:ms|s|m|h|d)\s*)+$|^\s*\d+(?:\.\d+)?\s*$/;

export const duration = z
  .union([z.number().min(0, { error: DURATION_MSG }), z.string().regex(DURATION_RE, { error: DURATION_MSG })])
  .describe('A duration: 500ms, 5s, 2m, 3h, 1d, compounds like 1m30s, or a number of milliseconds.');

const varName = (what: string): z.ZodString =>
  z.string().regex(VAR_NAME_RE, { error: 'is not a variable name' }).describe(`${what} (letters, digits, underscore; used as {{name}}).`);

export const assertionObject = z
  .strictObject({
    type: z.string().min(1).describe('Assertion type, e.g. icontains, not-icontains-any, regex, latency, length, language, novel, not-error, similar, llm-rubric, javascript. Most string types can be negated with a not- prefix.'),
    value: z.unknown().optional().describe('Type-specific argument: a string, a list of strings, a number or a mapping. Strings may use {{variables}}.'),
    weight: z.number().min(0).optional().describe('Weight in the scenario score (default 1; 0 = informational).'),
    threshold: z.number().min(0).optional().describe('Pass mark for graded types (e.g. similar 0..1, levenshtein max distance).'),
    critical: z.boolean().optional().describe('When true the scenario fails if this assertion fails, whatever the score (default false).'),
  })
  .describe('An assertion with options.');

export const assertionJson = z
  .union([z.string().min(1).describe('An assertion type without options, e.g. not-error.'), assertionObject])
  .describe('An assertion: a bare type name or a mapping with `type`.');

const messages = z
  .strictObject({
    min: z.number().int().min(0).optional().describe('Fewest messages the reply must have (default 1; 0 allows silence).'),
    max: z.number().int().min(1).optional().describe('Most messages the reply may have.'),
  })
  .describe('How many messages the reply may have.');

/** Default checks every expect runs; names as in src/scorers/default-checks.ts. */
export const CHECK_SWITCH_NAMES = ['not-error', 'not-leak', 'complete', 'not-refusal', 'like-stable'] as const;

export const checkSwitches = z
  .strictObject(Object.fromEntries(CHECK_SWITCH_NAMES.map((n) => [n, z.boolean().optional().describe(`Run the ${n} check (true) or not (false).`)])) as Record<(typeof CHECK_SWITCH_NAMES)[number], z.ZodOptional<z.ZodBoolean>>)
  .describe('Default checks on (true) or off (false): not-error, not-leak, complete (on by default), not-refusal (joke, favor), like-stable (rag, favor).');

const expectParts = {
  timeout: duration.optional().describe('Deadline for the first message of the reply (default 30s).'),
  settle: duration.optional().describe('Quiet window with no new message or edit before the reply counts as final (default 1s).'),
  messages: messages.optional(),
  checks: checkSwitches.optional(),
};

function expectSchema(assert: z.ZodType): z.ZodObject {
  return z
    .strictObject({ ...expectParts, assert: z.array(assert).optional().describe('Assertions graded on the final reply text.') })
    .describe('Wait for the bot reply to settle, then grade it.');
}

function stepValueSchemas(assert: z.ZodType): Record<string, z.ZodType> {
  const expect = expectSchema(assert);
  return {
    send: z.string().min(1).describe('Send this text to the bot as the test user. {{variables}} are expanded.'),
    expect,
    click: z
      .strictObject({
        text: z.string().min(1).optional().describe('Exact text of the inline button to press.'),
        regex: z.string().min(1).optional().describe('Regular expression matched against button texts (first match is pressed).'),
        expect: expect.optional().describe('Reply expected after the press (edited message and callback answer).'),
      })
      .describe('Press an inline button of the latest bot message; give exactly one of text or regex.'),
    wait: duration.describe('Pause for this long.'),
    save: z
      .strictObject({
        name: varName('Variable to store the match in'),
        regex: z.string().min(1).describe('Regular expression run on the latest reply text.'),
        group: z.number().int().min(0).optional().describe('Capture group to keep (default 1; 0 = whole match).'),
      })
      .describe('Capture part of the latest reply into a variable.'),
    remember: z
      .strictObject({
        key: z.string().min(1).describe('Fact key stored across runs (per scenario and target).'),
        value: z.string().min(1).describe('Value to store, usually with {{nonce}} so each run plants a fresh one.'),
      })
      .describe('Store a fact for later runs (cross-run memory checks).'),
    recall: z
      .strictObject({
        key: z.string().min(1).describe('Fact key written by a `remember` step of an earlier run.'),
        as: varName('Variable that receives the value'),
        maxAge: duration.optional().describe('Ignore facts older than this.'),
      })
      .describe(
        'Load the value a previous run stored with `remember`. When none is stored (first run, or older than maxAge) the variable takes the value this run plants with a `remember` step of the same key; without such a step the scenario is skipped.',
      ),
    web: z
      .strictObject({
        url: z.string().min(1).describe('http(s) URL opened in headless Chromium.'),
        text: z.string().optional().describe('Text the page (or the selected element) must contain.'),
        selector: z.string().optional().describe('CSS selector of the element to check.'),
        screenshot: z.boolean().optional().describe('Save a screenshot in the report (default false).'),
        timeout: duration.optional().describe('Page load and check deadline (default 10s).'),
      })
      .describe('Check a web page (e.g. a dashboard the bot updates).'),
  };
}

/** Step kinds in the order they are documented. */
export const STEP_KINDS = ['send', 'expect', 'click', 'wait', 'save', 'remember', 'recall', 'web'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

function topSchema(step: z.ZodType): z.ZodObject {
  return z
    .strictObject({
      name: z.string().regex(SCENARIO_NAME_RE, { error: 'is not a valid scenario name' }).describe('Unique scenario name (letters, digits, . _ -).'),
      suite: z.string().regex(SCENARIO_NAME_RE, { error: 'is not a valid suite name' }).describe('Suite or tag: joke, memory, favor, rag or any word.'),
      description: z.string().optional().describe('What the scenario checks, shown in reports.'),
      targets: z.array(z.enum(['canary', 'stable'])).min(1).optional().describe('Bots to run against (default both).'),
      timeout: duration.optional().describe('Deadline of the whole scenario (default 2m).'),
      threshold: z.number().min(0).max(1).optional().describe('Weighted score (0..1) needed to pass (default 1).'),
      checks: checkSwitches.optional().describe('Default checks on or off for every expect of this scenario, e.g. { not-leak: false }.'),
      steps: z.array(step).min(1).describe('What the test user does, in order.'),
    })
    .describe('A tg-canary scenario file.');
}

/** Schemas used by the parser (steps and assertions checked one at a time). */
export const validateSchemas = {
  top: topSchema(z.unknown()),
  steps: stepValueSchemas(z.unknown()),
};

/** Keys allowed in the mapping found at a (local) path of the given schema. */
export function keysOf(schema: z.ZodType, path: readonly PropertyKey[]): readonly string[] {
  let node: z.ZodType = schema;
  for (const part of [...path, null]) {
    for (;;) {
      if (node instanceof z.ZodOptional || node instanceof z.ZodDefault) node = node.unwrap() as z.ZodType;
      else break;
    }
    if (part === null) break;
    if (node instanceof z.ZodObject) {
      const next = (node.shape as Record<string, z.ZodType>)[String(part)];
      if (!next) return [];
      node = next;
    } else if (node instanceof z.ZodArray) node = node.element as z.ZodType;
    else return [];
  }
  return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

/** JSON Schema of a scenario file. `assertionTypes` (if given) becomes an enum on `type` for completion. */
export function scenarioJsonSchema(opts: { assertionTypes?: readonly string[] } = {}): object {
  let assertion: z.ZodType = assertionJson;
  if (opts.assertionTypes && opts.assertionTypes.length > 0) {
    const types = opts.assertionTypes as [string, ...string[]];
    const typeEnum = z.enum(types).describe(assertionObject.shape.type.description ?? '');
    assertion = z.union([typeEnum, assertionObject.extend({ type: typeEnum })]).describe(assertionJson.description ?? '');
  }
  const parts = stepValueSchemas(assertion);
  const step = z
    .union(STEP_KINDS.map((k) => z.strictObject({ [k]: parts[k] }).describe(parts[k].description ?? k)) as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]])
    .describe('One step: a mapping with exactly one of send, expect, click, wait, save, remember, recall, web.');
  const schema = z.toJSONSchema(topSchema(step), { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, $id: 'https://tg-canary.dev/schema/scenario.json', title: 'tg-canary scenario' };
}
