import { describe, expect, it } from 'vitest';
import { DEMO_COMMANDS, deepLinkPayload, demoInlineAnswer, helpText, isHelp } from './commands-inline.js';
import { rejectAnswer } from '../rpc-inline.js';

describe('demo bots: deep links, /help and inline answers', () => {
  it('reads a deep-link payload only after /start', () => {
    expect(deepLinkPayload('/start ref_42')).toBe('ref_42');
    expect(deepLinkPayload('/start@canary_bot promo-7')).toBe('promo-7');
    expect(deepLinkPayload('/start')).toBeUndefined();
    expect(deepLinkPayload('start ref_42')).toBeUndefined();
  });

  it('/help lists every menu command', () => {
    expect(isHelp('/help')).toBe(true);
    expect(isHelp('/help@canary_bot')).toBe(true);
    expect(isHelp('/helpme')).toBe(false);
    for (const c of DEMO_COMMANDS) expect(helpText(DEMO_COMMANDS)).toContain(`/${c.command}`);
  });

  it('answers inline queries with valid, paged article results and a conversion when asked', () => {
    const first = demoInlineAnswer({ id: '1', query: 'joke', offset: '', userId: 'u' });
    expect(rejectAnswer(first)).toBeUndefined();
    expect(first.results.map((r) => r.kind)).toEqual(['article', 'article', 'article']);
    expect(first.nextOffset).toBe('3');
    const next = demoInlineAnswer({ id: '2', query: 'joke', offset: first.nextOffset ?? '', userId: 'u' });
    expect(next.results[0]?.id).not.toBe(first.results[0]?.id);
    const conv = demoInlineAnswer({ id: '3', query: 'convert 5 km to miles', offset: '', userId: 'u' });
    expect(conv.results[0]).toMatchObject({ id: 'convert', title: 'Convert' });
    expect(conv.results[0]?.message).toMatch(/mile/u);
  });
});
