/** Property-based fuzzing of the scenario parser: generated and mutated inputs never crash it. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ValidationError } from '../../src/core/errors.js';
import { checkScenarioText, parseScenarioFile } from '../../src/scenarios/index.js';
import { isScorerName, validateAssertionValue } from '../../src/scorers/index.js';

const opts = { isScorer: isScorerName, validateValue: validateAssertionValue };
const root = join(import.meta.dirname, '../../scenarios');
const shipped = readdirSync(root, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => readFileSync(join(root, f), 'utf8'));

/** The property: a scenario, or a ValidationError whose every issue has a file, a path and a hint. */
function wellBehaved(text: string): void {
  const r = checkScenarioText('fuzz.yaml', text, opts);
  if (r.scenario) {
    expect(r.issues).toEqual([]);
    expect(r.scenario.steps.length).toBeGreaterThan(0);
    return;
  }
  expect(r.issues.length).toBeGreaterThan(0);
  for (const i of r.issues) {
    expect(i.file).toBe('fuzz.yaml');
    expect(typeof i.path).toBe('string');
    expect(i.hint && i.hint.length > 0).toBe(true);
    expect(i.message.length).toBeGreaterThan(0);
  }
  let thrown: unknown;
  try {
    parseScenarioFile('fuzz.yaml', text, opts);
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(ValidationError);
}

const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom('5s', '300ms', '1m30s', '-1s', 'x', '{{nonce}}', '{{nope}}', '(['));
const assertion = fc.oneof(
  fc.constantFrom('not-error', 'icontains', 'novel', 'bogus', ''),
  fc.record({ type: fc.constantFrom('icontains', 'regex', 'length', 'latency', 'language', 'x'), value: fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(fc.constantFrom('min', 'max', 'first', 'last'), scalar)), weight: scalar, critical: fc.oneof(fc.boolean(), scalar) }, { requiredKeys: ['type'] }),
  scalar,
);
const expectBody = fc.record({ timeout: scalar, settle: scalar, messages: fc.record({ min: scalar, max: scalar }, { requiredKeys: [] }), assert: fc.oneof(fc.array(assertion, { maxLength: 4 }), scalar) }, { requiredKeys: [] });
const step = fc.oneof(
  fc.record({ send: scalar }),
  fc.record({ expect: fc.oneof(expectBody, fc.constant(null)) }),
  fc.record({ click: fc.record({ text: scalar, regex: scalar, expect: expectBody }, { requiredKeys: [] }) }),
  fc.record({ wait: scalar }),
  fc.record({ save: fc.record({ name: scalar, regex: scalar, group: scalar }, { requiredKeys: [] }) }),
  fc.record({ remember: fc.record({ key: scalar, value: scalar }, { requiredKeys: [] }) }),
  fc.record({ recall: fc.record({ key: scalar, as: scalar, maxAge: scalar }, { requiredKeys: [] }) }),
  fc.record({ web: fc.record({ url: scalar, text: scalar, screenshot: scalar, timeout: scalar }, { requiredKeys: [] }) }),
  fc.dictionary(fc.string({ maxLength: 6 }), scalar, { maxKeys: 2 }),
  scalar,
);
const scenarioObj = fc.record(
  {
    name: fc.oneof(fc.constantFrom('ok-name', 'bad name'), scalar),
    suite: fc.oneof(fc.constant('joke'), scalar),
    targets: fc.oneof(fc.array(fc.constantFrom('canary', 'stable', 'prod'), { maxLength: 3 }), scalar),
    timeout: scalar,
    threshold: scalar,
    steps: fc.oneof(fc.array(step, { maxLength: 6 }), scalar),
    extra: scalar,
  },
  { requiredKeys: [] },
);

/** Character-level mutation of a text. */
const mutated = (texts: string[]): fc.Arbitrary<string> =>
  fc.tuple(fc.constantFrom(...texts), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 8 }), fc.string({ maxLength: 4 })), { minLength: 1, maxLength: 4 })).map(([text, edits]) => {
    let t = text;
    for (const [pos, del, ins] of edits) {
      const p = pos % (t.length + 1);
      t = t.slice(0, p) + ins + t.slice(p + del);
    }
    return t;
  });

// thousands of parses: CPU-bound, so a busy machine needs more than the default 30 s
describe('scenario parser fuzzing', { timeout: 120_000 }, () => {
  it('arbitrary text (2,000 inputs)', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 100 })), wellBehaved), { numRuns: 2000 });
  });

  it('generated scenario structures as YAML (4,000 inputs)', () => {
    fc.assert(fc.property(scenarioObj, (obj) => wellBehaved(stringify(obj))), { numRuns: 4000 });
  });

  it('mutated shipped scenarios (2,500 inputs)', () => {
    fc.assert(fc.property(mutated(shipped), wellBehaved), { numRuns: 2500 });
  });
});
