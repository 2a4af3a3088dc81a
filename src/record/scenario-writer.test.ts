import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkScenarioText } from '../scenarios/index.js';
import { q, scenarioTimeoutMs, writeScenarioYaml } from './scenario-writer.js';
import type { ObservedReply, Transcript } from './transcript.js';

const reply = (text: string, extra: Partial<ObservedReply> = {}): ObservedReply => ({
  messages: text === '' ? [] : text.split('\n').map((t) => ({ text: t })), text, latencyFirstMs: 300, latencyFinalMs: 300, settled: true, ...extra,
});

const opts = { name: 'booking', suite: 'favor', stable: false, recordedAt: new Date('2026-12-01T12:00:00Z') };

function load(t: Transcript, o = opts): ReturnType<typeof checkScenarioText> & { text: string } {
  const text = writeScenarioYaml(t, o);
  return { ...checkScenarioText('booking.yaml', text), text };
}

describe('recorded scenario files', () => {
  it('hold the steps as taken, with deadlines from what was observed, and validate with the real loader', () => {
    const { scenario, issues, text } = load({
      bot: 'canary_bot', source: 'chat', turns: [
        { action: { kind: 'send', text: 'Book a table for 2' }, reply: reply('Confirm booking a table for 2?', { messages: [{ text: 'Confirm booking a table for 2?', buttons: [['✅ Confirm', '❌ Cancel']] }] }) },
        { action: { kind: 'click', button: '✅ Confirm' }, reply: reply('✅ Booked a table for 2. Reference: P84W6T', { callbackAnswer: 'Booked!', latencyFirstMs: 6000, maxGapMs: 700 }) },
        { action: { kind: 'unasked' }, reply: reply('⏰ Reminder: water the plants') },
      ],
    });
    expect(issues).toEqual([]);
    expect(scenario?.steps.map((s) => s.kind)).toEqual(['send', 'expect', 'click', 'expect']);
    const click = scenario?.steps[2];
    expect(click?.kind === 'click' && click.button).toEqual({ text: '✅ Confirm' });
    expect(click?.kind === 'click' && click.expect).toMatchObject({ timeoutMs: 20_000, settleMs: 3000 });
    expect(scenario?.steps[1]).toMatchObject({ kind: 'expect', expect: { timeoutMs: 10_000, settleMs: 500 } });
    expect(text).toMatch(/# callback answer: Booked!/u);
    expect(text).toMatch(/# bot: Confirm booking a table for 2\? {3}\[buttons: ✅ Confirm \| ❌ Cancel\]/u);
    expect(text).toMatch(/# the bot spoke unasked here/u);
    expect(text).toMatch(/- \{ type: regex, value: "\/\\\\b2\\\\b\/", critical: true \} {3}# suggested: the reply repeated 2 from the message; edit or delete/u);
    expect(text).not.toMatch(/like-stable/u);
  });

  it('suggest like-stable when a stable bot is configured', () => {
    const { text, issues } = load({ bot: 'b', source: 'chat', turns: [{ action: { kind: 'send', text: 'hi' }, reply: reply('Hello there, how are you today?') }] }, { ...opts, stable: true });
    expect(issues).toEqual([]);
    expect(text).toMatch(/\{ type: like-stable \} {3}# suggested/u);
  });

  it('allow silence where the bot said nothing, and switch off a default check the reply already failed', () => {
    const { scenario, issues, text } = load({
      bot: 'b', source: 'chat', turns: [
        { action: { kind: 'send', text: 'ping' }, reply: reply('', { latencyFirstMs: undefined, latencyFinalMs: undefined, settled: false }) },
        { action: { kind: 'send', text: 'tell me' }, reply: reply('The answer is that the') },
      ],
    });
    expect(issues).toEqual([]);
    expect(scenario?.steps[1]).toMatchObject({ kind: 'expect', expect: { minMessages: 0, timeoutMs: 30_000 } });
    expect(text).toMatch(/no reply seen; it had not settled when the wait ended/u);
    expect(text).toMatch(/already failed complete[^\n]*\n\s+checks: \{ complete: false \}/u);
    expect(scenario?.steps[3]).toMatchObject({ kind: 'expect', expect: { checks: { complete: false } } });
  });

  it('keep hostile text inert: quotes, colons, # and newlines stay in their string, controls become escapes', () => {
    const nasty = 'x": y\n# not a comment\n- send: "boom"\u001b[2J\u0085\u2028end';
    const { scenario, issues, text } = load({ bot: 'b', source: 'chat', turns: [{ action: { kind: 'send', text: nasty }, reply: reply(`evil\n  - send: pwned\u001b]0;title\u0007 #`) }] });
    expect(issues).toEqual([]);
    expect(scenario?.steps).toHaveLength(2);
    expect(scenario?.steps[0]).toEqual({ kind: 'send', text: nasty });
    // the bot text only ever appears in comments, escaped, one line each
    expect(text).not.toContain('\u001b');
    expect(text).toMatch(/^ {6}# bot: - send: pwned\\x1b\]0;title\\x07 #$/mu);
    expect(parse(q('a\u0085b\u2028c'))).toBe('a\u0085b\u2028c');
  });

  it('give the whole scenario room for every deadline, at least a minute', () => {
    expect(scenarioTimeoutMs({ bot: 'b', source: 'chat', turns: [{ action: { kind: 'send', text: 'a' }, reply: reply('b') }] })).toBe(60_000);
    const slow = { bot: 'b', source: 'chat' as const, turns: Array.from({ length: 4 }, () => ({ action: { kind: 'send' as const, text: 'a' }, reply: reply('b', { latencyFirstMs: 12_000, latencyFinalMs: 14_000 }) })) };
    expect(scenarioTimeoutMs(slow)).toBe(300_000);
  });
});
