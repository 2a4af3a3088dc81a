/**
 * The scenario file format as zod schemas. Each field carries a `.describe()` so `tg-canary schema` emits a
 * JSON Schema with documentation for editor completion. Two builds share the same parts: `json` spells out the
 * step and assertion unions for editors; `validate` keeps steps and assertions as `unknown` so the parser can
 * check them one by one with precise messages.
 */
import { z } from '../schema-kit/zod.js';
import { MAX_DURATION_MS, MAX_DURATION_MSG, parseDuration } from '../schema-kit/duration.js';
import { botSurfaceStepSchemas, inlineSendSchema } from './schema-bot-surface.js';
import { clickUiParts } from './click-ui-schema.js';

export const DURATION_MSG = 'is not a duration';
export const VAR_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const SCENARIO_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const DURATION_RE = /^\s*(?:\d+(?:\.\d+)?\s*(?:ms|s|m|h|d)\s*)+$|^\s*\d+(?:\.\d+)?\s*$/;

export const duration = z
  .union([z.number().min(0, { error: DURATION_MSG }), z.string().regex(DURATION_RE, { error: DURATION_MSG })])
  .describe('A duration: 500ms, 5s, 2m, 3h, 1d, compounds like 1m30s, or a number of milliseconds.');

/** A deadline, window or wait: a timer runs for it, so it is capped at 24h (Node's timers overflow past ~24.8 days). */
export const timerDuration = duration
  .refine((v) => (parseDuration(v) ?? 0) <= MAX_DURATION_MS, { error: MAX_DURATION_MSG })
  .describe('A duration of at most 24h: 500ms, 5s, 2m, 3h, compounds like 1m30s, or a number of milliseconds.');

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
  timeout: timerDuration.optional().describe('Deadline for the first message of the reply (default 30s).'),
  settle: timerDuration.optional().describe('Floor of the quiet window: no new message, edit, typing or draft for this long (and at least twice the largest gap the bot left in this reply) before the reply counts as final (default 1s).'),
  'settle-max': timerDuration.optional().describe('Ceiling of the adaptive quiet window (default 10s): a bot streaming slower than this is cut at it.'),
  duplicates: z.enum(['fail', 'allow']).optional().describe('The same text twice, or a second complete answer to one prompt, fails `duplicate-reply` (default fail).'),
  messages: messages.optional(),
  checks: checkSwitches.optional(),
};

function expectSchema(assert: z.ZodType): z.ZodObject {
  return z
    .strictObject({ ...expectParts, assert: z.array(assert).optional().describe('Assertions graded on the final reply text.') })
    .describe('Wait for the bot reply to settle, then grade it.');
}

const sendText = z.string().min(1).describe('The text.');

/** `send: { text, mention, reply-to }` (the parser checks this form when the value is a mapping). */
export const sendWithOptions = z
  .strictObject({
    text: z.string().min(1).describe('The text. {{variables}} are expanded.'),
    mention: z.boolean().optional().describe('Groups: start the message with @bot_username (a bot with privacy mode on sees only commands, mentions and replies to it). Default false.'),
    'reply-to': z.enum(['last-bot-message']).optional().describe("Send it as a reply to the bot's latest message in this chat (or topic)."),
  })
  .describe('The text with options.');

/** `send: "text"`: the form the parser checks when the value is not a mapping (its messages stay plain). */
export const sendTextOnly = sendText;

const filePath = (what: string): z.ZodOptional<z.ZodString> =>
  z.string().min(1).optional().describe(`${what}: a path relative to the scenario file.`);

/** A `send:` step with media: exactly one of the file kinds, location or contact (checked by the parser). */
export const sendMediaSchema = z
  .strictObject({
    photo: filePath('A photo (JPEG, PNG) to send'),
    document: filePath('A file to send as a document'),
    voice: filePath('A voice note (OGG/Opus) to send'),
    'video-note': filePath('A round video note (MP4) to send'),
    sticker: filePath('A sticker (WEBP) to send'),
    location: z
      .strictObject({
        lat: z.number().min(-90).max(90).describe('Latitude, -90..90.'),
        lon: z.number().min(-180).max(180).describe('Longitude, -180..180.'),
      })
      .optional()
      .describe('Send a location.'),
    contact: z
      .strictObject({
        phone: z.string().min(1).describe('Phone number, e.g. +15550100.'),
        firstName: z.string().min(1).describe('First name.'),
        lastName: z.string().optional().describe('Last name.'),
      })
      .optional()
      .describe('Send a contact.'),
    caption: z.string().max(1024).optional().describe('Caption of the file (up to 1024 characters). {{variables}} are expanded.'),
    duration: z.number().min(0).optional().describe('Seconds of a voice or video note (default: read from the OGG file, else 1).'),
  })
  .describe('Send media: one of photo, document, voice, video-note, sticker (a file), location or contact.');

/** A `send:` step with text. */
export const sendTextSchema = z.string().min(1).describe('Send this text to the bot as the test user. {{variables}} are expanded.');

/** The media keys of a `send:` mapping, in the order they are documented. */
export const SEND_MEDIA_KEYS = ['photo', 'document', 'voice', 'video-note', 'sticker', 'location', 'contact'] as const;

function stepValueSchemas(assert: z.ZodType): Record<string, z.ZodType> {
  const expect = expectSchema(assert);
  return {
    send: z
      .union([sendTextSchema, sendWithOptions, sendMediaSchema, inlineSendSchema(assert)])
      .describe('Send a text to the bot as the test user, in its private chat or in the scenario `chat:` ({{variables}} are expanded); a mapping `{ text, mention, reply-to }` adds options; a file (photo, document, voice, video-note, sticker: a path next to the scenario file) with an optional caption, a location or a contact sends media; `{ result: N }` sends a result of the last inline step.'),
    expect,
    click: z
      .strictObject({
        text: z.string().min(1).optional().describe('Exact text of the inline button to press.'),
        regex: z.string().min(1).optional().describe('Regular expression matched against button texts (first match is pressed).'),
        expect: expect.optional().describe('Reply expected after the press (edited message and callback answer).'),
        ...clickUiParts(timerDuration),
      })
      .describe('Press an inline button of the latest bot message, or a button of the reply keyboard shown (its text is sent as a message); give exactly one of text or regex.'),
    wait: timerDuration.describe('Pause for this long.'),
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
        timeout: timerDuration.optional().describe('Page load and check deadline (default 10s).'),
      })
      .describe('Check a web page (e.g. a dashboard the bot updates).'),
    ...botSurfaceStepSchemas(assert),
  };
}

export const MAX_REPEAT = 100;

const repeatSchema = z
  .number()
  .min(1)
  .max(MAX_REPEAT)
  .refine(Number.isInteger, { error: 'must be a whole number of attempts' })
  .describe(
    'Attempts per target and run, each a fresh conversation (default 1, or the suite default). The verdict compares canary and stable failure rates over every attempt; reports show the pass rate and pass^k. A suite default goes in a suite file: `suite: rag` and `defaults: { repeat: 3 }`, with no steps.',
  );

/** A suite file: defaults for every scenario of a suite (a scenario's own value wins). */
export const suiteFileSchema = z
  .strictObject({
    suite: z.string().regex(SCENARIO_NAME_RE, { error: 'is not a valid suite name' }).describe('The suite these defaults apply to.'),
    description: z.string().optional().describe('What the suite checks.'),
    defaults: z
      .strictObject({ repeat: repeatSchema.optional() })
      .describe('Defaults for the scenarios of the suite.'),
  })
  .describe('A tg-canary suite file: defaults for every scenario of one suite.');

/** Step kinds in the order they are documented. */
export const STEP_KINDS = ['send', 'expect', 'click', 'wait', 'save', 'remember', 'recall', 'web', 'start', 'bot-info', 'inline'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

function topSchema(step: z.ZodType): z.ZodObject {
  return z
    .strictObject({
      name: z.string().regex(SCENARIO_NAME_RE, { error: 'is not a valid scenario name' }).describe('Unique scenario name (letters, digits, . _ -).'),
      suite: z.string().regex(SCENARIO_NAME_RE, { error: 'is not a valid suite name' }).describe('Suite or tag: joke, memory, favor, rag or any word.'),
      description: z.string().optional().describe('What the scenario checks, shown in reports.'),
      targets: z.array(z.enum(['canary', 'stable'])).min(1).optional().describe('Bots to run against (default both).'),
      timeout: timerDuration.optional().describe('Deadline of the whole scenario (default 2m).'),
      quiet: timerDuration.optional().describe('After the last step, watch the chat this long: a message nobody asked for fails `unexpected-message` (default 2s; 0 disables).'),
      threshold: z.number().min(0).max(1).optional().describe('Weighted score (0..1) needed to pass (default 1).'),
      repeat: repeatSchema.optional(),
      checks: checkSwitches.optional().describe('Default checks on or off for every expect of this scenario, e.g. { not-leak: false }.'),
      chat: z
        .strictObject({
          group: z.union([z.string().min(1), z.number().int()]).describe('The group, shared by the test user and the bot: a supergroup by "@username" (public) or its id (-100… or the bare id); a basic group by its exact title or "chat:<id>" (or -<id>).'),
          topic: z.string().min(1).optional().describe('A forum topic by title (default: the General topic / a group without topics).'),
        })
        .optional()
        .describe('Talk to the bot in a group or forum topic instead of its private chat. Only the bot\'s messages there that reply to ours, or follow ours, count as its reply; other members\' messages never do.'),
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
    .describe(`One step: a mapping with exactly one of ${STEP_KINDS.join(', ')}.`);
  const schema = z.toJSONSchema(topSchema(step), { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, $id: 'https://tg-canary.dev/schema/scenario.json', title: 'tg-canary scenario' };
}
