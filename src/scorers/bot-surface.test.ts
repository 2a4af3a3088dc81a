import { describe, expect, it } from 'vitest';
import type { AssertionSpec, Reply } from '../core/types.js';
import type { BotProfileInfo, InlineResultsInfo } from '../core/bot-surface.js';
import { BOT_SURFACE_SCORERS } from './bot-surface.js';
import { validateAssertionValue } from './validate.js';
import type { ScorerContext } from './types.js';

const reply = (extra: Partial<Reply>): Reply => ({ messages: [], text: '', sentAt: 0, editCount: 0, messageCount: 1, settled: true, ...extra });
const ctx = (r: Reply): ScorerContext => ({ reply: r, vars: {}, scenario: { name: 's', suite: 'ui', file: 's.yaml' }, target: 'canary', recentReplies: () => [] });
const spec = (type: string, value: unknown): AssertionSpec => ({ type, value, weight: 1, critical: true });

const profile: BotProfileInfo = { commands: [{ command: 'start', description: 'Start' }, { command: 'joke', description: 'Joke' }], description: 'd', about: 'a', menuButton: 'commands' };
const inline: InlineResultsInfo = {
  queryId: '1', cacheTime: 300, gallery: false,
  results: [
    { id: '1', kind: 'article', media: false, title: 'Joke #1', description: 'About atoms' },
    { id: '2', kind: 'photo', media: true, title: 'Cat picture' },
  ],
};

describe('command menu and inline scorers', () => {
  it('has-command: passes on listed commands (slash optional, any case), fails naming the missing ones', async () => {
    const s = BOT_SURFACE_SCORERS;
    expect((await s['has-command'](spec('has-command', ['/START', 'joke']), ctx(reply({ botProfile: profile })))).pass).toBe(true);
    const miss = await s['has-command'](spec('has-command', ['start', 'help']), ctx(reply({ botProfile: profile })));
    expect(miss).toMatchObject({ pass: false, score: 0.5 });
    expect(miss.reason).toBe('the menu lacks /help; it has "/start /joke"');
    expect((await s['has-command'](spec('has-command', 'help'), ctx(reply({})))).reason).toMatch(/use this assertion in a bot-info step/u);
  });

  it('commands: the exact list in order', async () => {
    const s = BOT_SURFACE_SCORERS;
    expect((await s.commands(spec('commands', ['start', 'joke']), ctx(reply({ botProfile: profile })))).pass).toBe(true);
    expect((await s.commands(spec('commands', ['joke', 'start']), ctx(reply({ botProfile: profile })))).reason).toBe('the menu is "/start /joke", expected /joke /start');
  });

  it('inline-count, inline-kinds, inline-titles, inline-descriptions', async () => {
    const s = BOT_SURFACE_SCORERS;
    const c = ctx(reply({ inline }));
    expect((await s['inline-count'](spec('inline-count', 2), c)).pass).toBe(true);
    expect((await s['inline-count'](spec('inline-count', { max: 1 }), c)).reason).toBe('2 results, expected 1–1');
    expect((await s['inline-kinds'](spec('inline-kinds', ['article', 'photo']), c)).pass).toBe(true);
    const kinds = await s['inline-kinds'](spec('inline-kinds', 'article'), c);
    expect(kinds).toMatchObject({ pass: false, score: 0.5, reason: '1 of 2 results are not article: photo "Cat picture"' });
    expect((await s['inline-titles'](spec('inline-titles', ['joke', 'CAT']), c)).pass).toBe(true);
    expect((await s['inline-descriptions'](spec('inline-descriptions', 'dogs'), c)).reason).toBe('no result description contains "dogs"; descriptions: "About atoms", ""');
    expect((await s['inline-kinds'](spec('inline-kinds', 'article'), ctx(reply({ inline: { ...inline, results: [] } })))).pass).toBe(false);
  });

  it('checks values at load time', () => {
    expect(validateAssertionValue('has-command', ['start', '/help'])).toBeUndefined();
    expect(validateAssertionValue('has-command', [])).toMatch(/needs a command name/u);
    expect(validateAssertionValue('inline-count', { min: 1 })).toBeUndefined();
    expect(validateAssertionValue('inline-count', -1)).toMatch(/needs a number/u);
    expect(validateAssertionValue('inline-titles', '')).toMatch(/needs a text/u);
  });
});
