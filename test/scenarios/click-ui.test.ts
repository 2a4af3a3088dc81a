import { describe, expect, it } from 'vitest';
import { checkScenarioText, parseScenarioFile } from '../../src/scenarios/index.js';
import { isScorerName, validateAssertionValue } from '../../src/scorers/index.js';

const opts = { isScorer: isScorerName, validateValue: validateAssertionValue };
const scenario = (click: string, assert = '[]'): string => `name: ui-x
suite: ui
steps:
  - send: /menu
  - expect: { assert: ${assert} }
  - click: ${click}
`;

describe('click: keyboards, buttons and Mini Apps in the scenario file', () => {
  it('parses expect-answer and open into the click step (open timeout defaults to 10 s)', () => {
    const s = parseScenarioFile('ui.yaml', scenario('{ text: "Check stock", expect-answer: { alert: true, icontains: "sold out" }, open: { text: "Hello", selector: "#order" } }'), opts);
    expect(s.steps[2]).toEqual({
      kind: 'click',
      button: { text: 'Check stock' },
      answer: { alert: true, icontains: 'sold out' },
      open: { text: 'Hello', selector: '#order', screenshot: false, timeoutMs: 10_000 },
    });
  });

  it('accepts the keyboard and button assertions, and names file, field and fix for bad ones', () => {
    const good = checkScenarioText('ui.yaml', scenario('{ text: "A" }', '[{ type: keyboard, value: [["A", "B"]] }, { type: button-url, value: { button: "Docs", prefix: "https://" } }, keyboard-removed]'), opts);
    expect(good.issues).toEqual([]);
    const bad = checkScenarioText('ui.yaml', scenario('{ text: "A", expect-answer: {}, open: { txt: "x" } }', '[{ type: keyboard, value: "A, B" }]'), opts);
    const lines = bad.issues.map((i) => `${i.file}: ${i.path}: ${i.message} (fix: ${i.hint})`);
    expect(lines).toContain('ui.yaml: steps[2].click.open.txt: unknown key "txt" (fix: did you mean "text"?)');
    const kb = checkScenarioText('ui.yaml', scenario('{ text: "A" }', '[{ type: keyboard, value: "A, B" }]'), opts);
    expect(kb.issues.map((i) => i.message).join(' ')).toMatch(/keyboard needs the rows of button texts/u);
    const empty = checkScenarioText('ui.yaml', scenario('{ text: "A", expect-answer: {} }'), opts);
    expect(empty.issues).toMatchObject([{ file: 'ui.yaml', path: 'steps[2].click.expect-answer', message: 'is empty' }]);
  });
});
