import { describe, expect, it } from 'vitest';
import { checkScenarioText } from '../../src/scenarios/index.js';
import { isScorerName, validateAssertionValue } from '../../src/scorers/index.js';

const opts = { isScorer: isScorerName, validateValue: validateAssertionValue };

const file = (chat: string, steps: string): string => `name: g
suite: groups
${chat}
steps:
${steps}`;

describe('scenario chat: and send options', () => {
  it('reads chat: (a username or a numeric id) and send { text, mention, reply-to }', () => {
    const { scenario, issues } = checkScenarioText('g.yaml', file('chat: { group: "@team", topic: "Support" }', `
  - send: { text: "hi {{nonce}}", mention: true }
  - expect: {}
  - send: { text: "and?", reply-to: last-bot-message }
  - send: "/start@{{bot}}"
`), opts);
    expect(issues).toEqual([]);
    expect(scenario?.chat).toEqual({ group: '@team', topic: 'Support' });
    expect(scenario?.steps[0]).toEqual({ kind: 'send', text: 'hi {{nonce}}', mention: true });
    expect(scenario?.steps[2]).toEqual({ kind: 'send', text: 'and?', replyTo: 'last-bot-message' });
    expect(scenario?.steps[3]).toEqual({ kind: 'send', text: '/start@{{bot}}' });
    const byId = checkScenarioText('g.yaml', file('chat: { group: -1001500000001 }', '  - send: "hi"\n'), opts);
    expect(byId.scenario?.chat).toEqual({ group: '-1001500000001' });
  });

  it('names file, field and fix: a mention outside a group, an unknown chat key, a bad reply-to, a bad variable', () => {
    const mention = checkScenarioText('g.yaml', file('', '  - send: { text: "hi", mention: true }\n'), opts);
    expect(mention.issues.map((i) => `${i.file}: ${i.path}: ${i.message} (${i.hint ?? ''})`).join('\n')).toMatch(/g\.yaml: steps\[0\]\.send\.mention: only applies in a group chat \(add `chat: \{ group/u);
    const key = checkScenarioText('g.yaml', file('chat: { grop: "@team" }', '  - send: "hi"\n'), opts);
    expect(key.issues.some((i) => i.path.startsWith('chat'))).toBe(true);
    const reply = checkScenarioText('g.yaml', file('chat: { group: "@team" }', '  - send: { text: "x", reply-to: first-message }\n'), opts);
    expect(reply.issues.some((i) => i.path === 'steps[0].send' || i.path.startsWith('steps[0].send'))).toBe(true);
    const vars = checkScenarioText('g.yaml', file('chat: { group: "@team" }', '  - send: { text: "{{nope}}" }\n'), opts);
    expect(vars.issues.map((i) => i.path + ': ' + i.message)).toContain('steps[0].send.text: unknown variable {{nope}}');
  });
});
