import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { checkScenarioText, parseScenarioFile } from '../../src/scenarios/index.js';
import { isScorerName, validateAssertionValue } from '../../src/scorers/index.js';

const opts = { isScorer: isScorerName, validateValue: validateAssertionValue };

const head = 'name: ui-x\nsuite: ui\nsteps:\n';

function problems(steps: string): string[] {
  const { scenario, issues } = checkScenarioText('ui-x.yaml', head + steps, opts);
  expect(scenario).toBeUndefined();
  for (const i of issues) expect(i.hint).toBeTruthy();
  return ValidationError.render(issues).split('\n');
}

describe('bot-surface steps: start, bot-info, inline, send { result }', () => {
  it('parses each into core types', () => {
    const s = parseScenarioFile('ui-x.yaml', `${head}  - start: "ref_{{nonce}}"
  - expect: { assert: [{ type: icontains, value: "ref_" }] }
  - bot-info:
      assert: [{ type: has-command, value: [start, help], critical: true }, { type: icontains, value: demo }]
      about: [{ type: length, value: { min: 5 } }]
      empty-description: allow
  - inline: { query: "joke {{nonce}}", bot: "@gif_bot", offset: "3", results: { min: 2, max: 10 }, assert: [{ type: inline-kinds, value: [article, photo] }] }
  - send: { result: 2 }
  - send: { result: { title: "Joke" }, assert: [not-error] }
  - send: { result: { regex: "^Joke #\\\\d" } }
  - send: "plain text still works"
`, opts);
    expect(s.steps.map((x) => x.kind)).toEqual(['start', 'expect', 'bot-info', 'inline', 'send-inline', 'send-inline', 'send-inline', 'send']);
    expect(s.steps[0]).toEqual({ kind: 'start', payload: 'ref_{{nonce}}' });
    expect(s.steps[2]).toEqual({
      kind: 'bot-info',
      info: {
        assert: [
          { type: 'has-command', value: ['start', 'help'], weight: 1, critical: true },
          { type: 'icontains', value: 'demo', weight: 1, critical: false },
        ],
        about: [{ type: 'length', value: { min: 5 }, weight: 1, critical: false }],
        emptyDescription: 'allow',
      },
    });
    expect(s.steps[3]).toEqual({
      kind: 'inline',
      inline: { query: 'joke {{nonce}}', bot: 'gif_bot', offset: '3', minResults: 2, maxResults: 10, assert: [{ type: 'inline-kinds', value: ['article', 'photo'], weight: 1, critical: false }] },
    });
    expect(s.steps[4]).toEqual({ kind: 'send-inline', pick: { index: 2 }, assert: [] });
    expect(s.steps[5]).toEqual({ kind: 'send-inline', pick: { title: 'Joke' }, assert: [{ type: 'not-error', weight: 1, critical: false }] });
    expect(s.steps[6]).toEqual({ kind: 'send-inline', pick: { regex: '^Joke #\\d' }, assert: [] });
    expect(s.steps[7]).toEqual({ kind: 'send', text: 'plain text still works' });
  });

  it('a bare bot-info: reads the profile with the default checks', () => {
    const s = parseScenarioFile('ui-x.yaml', `${head}  - bot-info:\n`, opts);
    expect(s.steps[0]).toEqual({ kind: 'bot-info', info: { assert: [], about: [], emptyDescription: 'fail' } });
  });

  it('names file, line, field and the fix for bad input', () => {
    expect(problems('  - start: "has spaces"\n')).toEqual([
      'ui-x.yaml:4: steps[0].start: is not a deep-link payload (fix: correct this value)',
    ]);
    expect(problems('  - send: { result: 1 }\n')).toEqual([
      'ui-x.yaml:4: steps[0].send: sends an inline result before any inline step (fix: add an `inline: { query: … }` step before it)',
    ]);
    expect(problems('  - inline: { query: x }\n  - send: { result: { title: a, regex: b } }\n')[0]).toMatch(/^ui-x\.yaml:5: steps\[1\]\.send\.result: needs exactly one of title or regex \(fix: write/u);
    expect(problems('  - inline: { query: x, results: { min: 3, max: 1 } }\n')[0]).toMatch(/^ui-x\.yaml:4: steps\[0\]\.inline\.results: max \(1\) is less than min \(3\)/u);
    expect(problems('  - bot-info: { assert: [{ type: has-command, value: "/no spaces allowed" }] }\n')[0]).toMatch(/has-command needs a command name or a list of them/u);
    expect(problems('  - inline: { query: x, assert: [{ type: inline-count, value: { min: 4, max: 2 } }] }\n')[0]).toMatch(/inline-count min 4 is above max 2/u);
    expect(problems('  - send: 42\n')).toEqual(['ui-x.yaml:4: steps[0].send: expected string, got number (fix: write a string here)']);
  });
});
