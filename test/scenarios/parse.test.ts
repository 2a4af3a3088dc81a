import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '../../src/core/errors.js';
import { checkScenarioText, loadScenarios, parseScenarioFile, scenarioJsonSchema } from '../../src/scenarios/index.js';
import { isScorerName, validateAssertionValue } from '../../src/scorers/index.js';
import { EXPECTED } from './bad-fixtures.expected.js';

const opts = { isScorer: isScorerName, validateValue: validateAssertionValue };
const badDir = join(import.meta.dirname, '../fixtures/scenarios-bad');

const FULL = `name: joke-fresh
suite: joke
description: A fresh joke, not repeated from recent runs
targets: [canary, stable]
timeout: 60s
threshold: 0.8
steps:
  - send: "Tell me a joke please ({{nonce}})"
  - expect:
      timeout: 20s
      settle: 1.5s
      messages: { min: 1, max: 3 }
      assert:
        - not-error
        - { type: novel, value: { last: 20 }, critical: true }
        - { type: length, value: { min: 10, max: 600 }, weight: 0.5 }
  - click: { text: "✅ Confirm", expect: { settle: 500ms, assert: [{ type: icontains, value: "Booked" }] } }
  - wait: 3s
  - save: { name: ref, regex: "Reference: ([A-Z0-9]{6})", group: 1 }
  - remember: { key: favourite-city, value: "Zurich-{{nonce}}" }
  - recall: { key: favourite-city, as: city, maxAge: 3h }
  - send: "My ref is {{ref}} and city {{city}}"
  - web: { url: "http://127.0.0.1:8080/", text: "tg-canary", selector: "#status", screenshot: true, timeout: 10s }
`;

describe('parseScenarioFile', () => {
  it('parses every field of the documented format into core types', () => {
    const s = parseScenarioFile('full.yaml', FULL, opts);
    expect(s).toMatchObject({ name: 'joke-fresh', suite: 'joke', targets: ['canary', 'stable'], timeoutMs: 60_000, threshold: 0.8, file: 'full.yaml' });
    expect(s.steps[1]).toEqual({
      kind: 'expect',
      expect: {
        timeoutMs: 20_000, settleMs: 1500, minMessages: 1, maxMessages: 3,
        assert: [
          { type: 'not-error', weight: 1, critical: false },
          { type: 'novel', value: { last: 20 }, weight: 1, critical: true },
          { type: 'length', value: { min: 10, max: 600 }, weight: 0.5, critical: false },
        ],
      },
    });
    expect(s.steps[2]).toEqual({ kind: 'click', button: { text: '✅ Confirm' }, expect: { timeoutMs: 30_000, settleMs: 500, minMessages: 1, assert: [{ type: 'icontains', value: 'Booked', weight: 1, critical: false }] } });
    expect(s.steps.slice(3, 6)).toEqual([
      { kind: 'wait', ms: 3000 },
      { kind: 'save', name: 'ref', regex: 'Reference: ([A-Z0-9]{6})', group: 1 },
      { kind: 'remember', key: 'favourite-city', value: 'Zurich-{{nonce}}' },
    ]);
    expect(s.steps[6]).toEqual({ kind: 'recall', key: 'favourite-city', as: 'city', maxAgeMs: 3 * 3_600_000 });
    expect(s.steps[8]).toEqual({ kind: 'web', url: 'http://127.0.0.1:8080/', text: 'tg-canary', selector: '#status', screenshot: true, timeoutMs: 10_000 });
  });

  it('applies defaults: both targets, 2m, threshold 1, expect 30s/1s/min 1', () => {
    const s = parseScenarioFile('d.yaml', 'name: d\nsuite: x\nsteps:\n  - send: hi\n  - expect:\n', opts);
    expect(s).toMatchObject({ targets: ['canary', 'stable'], timeoutMs: 120_000, threshold: 1 });
    expect(s.steps[1]).toEqual({ kind: 'expect', expect: { timeoutMs: 30_000, settleMs: 1000, minMessages: 1, assert: [] } });
  });

  it('throws a ValidationError with the code SCENARIO_INVALID', () => {
    let err: unknown;
    try {
      parseScenarioFile('x.yaml', 'name: x\n', opts);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).code).toBe('SCENARIO_INVALID');
    expect((err as ValidationError).message).toBe('x.yaml:1: suite: is required (fix: add suite (string))\nx.yaml:1: steps: is required (fix: add steps (list))');
  });

  it('reports the value check of the injected scorer validator at the value', () => {
    const text = 'name: v\nsuite: x\nsteps:\n  - send: hi\n  - expect:\n      assert:\n        - { type: regex, value: "([" }\n';
    const { issues } = checkScenarioText('v.yaml', text, opts);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: 'v.yaml', line: 7, path: 'steps[1].expect.assert[0].value' });
    expect(issues[0].message.length).toBeGreaterThan(0);
  });
});

describe('malformed scenario fixtures', () => {
  const files = readdirSync(badDir).filter((f) => f.endsWith('.yaml')).sort();

  it('has at least 15 fixtures, each with its expected text', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
    expect(Object.keys(EXPECTED).sort()).toEqual(files);
  });

  for (const f of Object.keys(EXPECTED)) {
    it(`${f} gives its exact error text`, () => {
      const { scenario, issues } = checkScenarioText(f, readFileSync(join(badDir, f), 'utf8'), opts);
      expect(scenario).toBeUndefined();
      expect(ValidationError.render(issues).split('\n')).toEqual(EXPECTED[f]);
      for (const i of issues) expect(i.hint).toBeTruthy();
    });
  }

  it('loadScenarios collects the problems of every file into one error', async () => {
    const err = await loadScenarios(badDir, opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    const issues = (err as ValidationError).issues;
    expect(new Set(issues.map((i) => i.file.split('/').pop())).size).toBe(files.length);
    expect(issues.length).toBe(Object.values(EXPECTED).flat().length);
  });
});

describe('loadScenarios', () => {
  it('rejects duplicate names across files, pointing at the second file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tgc-scn-'));
    writeFileSync(join(dir, 'a.yaml'), 'name: same\nsuite: x\nsteps:\n  - send: hi\n');
    writeFileSync(join(dir, 'b.yml'), '# comment\nname: same\nsuite: y\nsteps:\n  - send: hi\n');
    const err = (await loadScenarios(dir).catch((e: unknown) => e)) as ValidationError;
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]).toMatchObject({ path: 'name', line: 2 });
    expect(err.issues[0].file.endsWith('b.yml')).toBe(true);
    expect(err.issues[0].message).toMatch(/^duplicate scenario name "same" \(also in .*a\.yaml\)$/);
  });

  it('names a missing folder and an empty one', async () => {
    await expect(loadScenarios('/nonexistent/tgc')).rejects.toMatchObject({ code: 'SCENARIOS_DIR_NOT_FOUND' });
    await expect(loadScenarios(mkdtempSync(join(tmpdir(), 'tgc-empty-')))).rejects.toMatchObject({ code: 'SCENARIO_NONE_MATCHED' });
  });
});

describe('scenarioJsonSchema', () => {
  it('is a strict JSON Schema with descriptions on every step kind', () => {
    const schema = scenarioJsonSchema() as { type: string; required: string[]; additionalProperties: boolean; properties: Record<string, { description?: string; items?: { anyOf: { properties: Record<string, unknown> }[] } }> };
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(['name', 'suite', 'steps']);
    expect(schema.additionalProperties).toBe(false);
    const kinds = schema.properties.steps.items!.anyOf.map((o) => Object.keys(o.properties)[0]);
    expect(kinds).toEqual(['send', 'expect', 'click', 'wait', 'save', 'remember', 'recall', 'web', 'start', 'bot-info', 'inline']);
    const text = JSON.stringify(schema);
    expect(text).toContain('Floor of the quiet window');
    expect(text).toContain('the scenario is skipped');
  });

  it('lists the assertion types as an enum when given', () => {
    const text = JSON.stringify(scenarioJsonSchema({ assertionTypes: ['icontains', 'not-error'] }));
    expect(text).toContain('"enum":["icontains","not-error"]');
  });
});
