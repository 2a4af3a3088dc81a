import { describe, expect, it } from 'vitest';
import type { AssertionSpec, Reply, ReplyMessage } from '../core/types.js';
import { textReply } from './reply.js';
import { UI_SCORERS } from './ui-scorers.js';
import { validateAssertionValue } from './validate.js';

const ctx = (reply: Reply): Parameters<(typeof UI_SCORERS)['keyboard']>[1] => ({
  reply, vars: {}, scenario: { name: 's', suite: 'ui', file: 's.yaml' }, target: 'canary', recentReplies: () => [],
});
const spec = (type: string, value?: unknown): AssertionSpec => ({ type, value, weight: 1, critical: true });

function reply(...extra: Partial<ReplyMessage>[]): Reply {
  const r = textReply(extra.map((_, i) => `message ${i + 1}`));
  r.messages = r.messages.map((m, i) => ({ ...m, ...extra[i] }));
  return r;
}

const menu = { keyboard: { rows: [['🍕 Order', '📦 Orders'], ['❓ Help']] } };

describe('keyboard and button assertions', () => {
  it('keyboard: the exact layout passes; a reshuffle or no keyboard fails, saying what was shown', async () => {
    expect((await UI_SCORERS.keyboard(spec('keyboard', [['🍕 Order', '📦 Orders'], ['❓ Help']]), ctx(reply(menu)))).pass).toBe(true);
    const bad = await UI_SCORERS.keyboard(spec('keyboard', [['🍕 Order'], ['📦 Orders', '❓ Help']]), ctx(reply(menu)));
    expect(bad).toMatchObject({ pass: false, reason: 'reply keyboard is ["🍕 Order", "📦 Orders"] ["❓ Help"], expected ["🍕 Order"] ["📦 Orders", "❓ Help"]' });
    expect((await UI_SCORERS.keyboard(spec('keyboard', [['A']]), ctx(reply({})))).reason).toMatch(/no reply keyboard/u);
    // a later message removing it wins
    expect((await UI_SCORERS.keyboard(spec('keyboard', [['🍕 Order', '📦 Orders'], ['❓ Help']]), ctx(reply(menu, { keyboardRemoved: true })))).pass).toBe(false);
  });

  it('has-button finds inline and keyboard buttons; keyboard-removed needs a removal', async () => {
    const r = reply({ ...menu, buttons: [[{ text: 'Docs', data: '', kind: 'url', url: 'https://e.org' }]] });
    expect((await UI_SCORERS['has-button'](spec('has-button', 'Docs'), ctx(r))).pass).toBe(true);
    expect((await UI_SCORERS['has-button'](spec('has-button', '❓ Help'), ctx(r))).pass).toBe(true);
    expect((await UI_SCORERS['has-button'](spec('has-button', 'Nope'), ctx(r))).reason).toMatch(/no button "Nope"; buttons: "Docs", "🍕 Order"/u);
    expect((await UI_SCORERS['keyboard-removed'](spec('keyboard-removed'), ctx(reply({ keyboardRemoved: true })))).pass).toBe(true);
    expect((await UI_SCORERS['keyboard-removed'](spec('keyboard-removed'), ctx(reply(menu)))).reason).toBe('the reply shows a reply keyboard instead of removing it');
    expect((await UI_SCORERS['force-reply'](spec('force-reply'), ctx(reply({}, { forceReply: true })))).pass).toBe(true);
    expect((await UI_SCORERS['force-reply'](spec('force-reply'), ctx(reply(menu)))).pass).toBe(false);
  });

  it('button-url and button-query match the named button by equals, prefix or regex, and know the kinds apart', async () => {
    const r = reply({ buttons: [[{ text: 'Docs', data: '', kind: 'url', url: 'https://evil.example/docs' }, { text: 'Share', data: '', kind: 'switch-inline', query: 'pizza' }, { text: 'Yes', data: 'y', kind: 'callback' }]] });
    const url = UI_SCORERS['button-url'];
    expect((await url(spec('button-url', { button: 'Docs', prefix: 'https://evil.' }), ctx(r))).pass).toBe(true);
    expect((await url(spec('button-url', { button: 'Docs', prefix: 'https://docs.example/' }), ctx(r))).reason).toBe('url is "https://evil.example/docs", expected it to start with "https://docs.example/"');
    expect((await url(spec('button-url', { button: 'Docs', regex: '^https://docs\\.' }), ctx(r))).pass).toBe(false);
    expect((await url(spec('button-url', { button: 'Yes', prefix: 'https://' }), ctx(r))).reason).toMatch(/is a callback button, not a URL or Mini App button/u);
    expect((await UI_SCORERS['button-query'](spec('button-query', { button: 'Share', equals: 'pizza' }), ctx(r))).pass).toBe(true);
    expect((await UI_SCORERS['button-query'](spec('button-query', { button: 'Share', equals: 'pasta' }), ctx(r))).pass).toBe(false);
  });

  it('rejects bad values at load time with the fix', () => {
    expect(validateAssertionValue('keyboard', 'A')).toMatch(/keyboard needs the rows of button texts/u);
    expect(validateAssertionValue('keyboard', [['A'], []])).toMatch(/row 1 must be a non-empty list/u);
    expect(validateAssertionValue('button-url', { button: 'Docs' })).toMatch(/needs exactly one of equals, prefix or regex/u);
    expect(validateAssertionValue('button-url', { button: 'Docs', regex: '(?=x)' })).toMatch(/button-url/u);
    expect(validateAssertionValue('keyboard-removed', true)).toBe('keyboard-removed takes no value');
    expect(validateAssertionValue('has-button', 'Docs')).toBeUndefined();
  });
});
