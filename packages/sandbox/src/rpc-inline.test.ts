import { describe, expect, it } from 'vitest';
import { rejectAnswer } from './rpc-inline.js';
import { privateChatCommands } from './rpc-bots-info.js';

describe('answerInlineQuery checks (what Telegram refuses from a bot)', () => {
  it('accepts a valid answer and refuses the classes of broken ones', () => {
    expect(rejectAnswer({ results: [{ title: 'A', message: 'a' }, { kind: 'photo', message: 'b' }] })).toBeUndefined();
    expect(rejectAnswer({ results: [{ title: ' ', message: 'a' }] })).toBe('ARTICLE_TITLE_EMPTY');
    expect(rejectAnswer({ results: [{ title: 'A', message: '' }] })).toBe('MESSAGE_EMPTY');
    expect(rejectAnswer({ results: [{ title: 'A', message: 'x'.repeat(4097) }] })).toBe('MESSAGE_TOO_LONG');
    expect(rejectAnswer({ results: Array.from({ length: 51 }, (_, i) => ({ title: `t${i}`, message: 'm' })) })).toBe('RESULTS_TOO_MUCH');
    expect(rejectAnswer({ results: [{ id: 'x', title: 'A', message: 'a' }, { id: 'x', title: 'B', message: 'b' }] })).toBe('RESULT_ID_DUPLICATE');
    expect(rejectAnswer({ results: [], nextOffset: 'o'.repeat(65) })).toBe('NEXT_OFFSET_INVALID');
    expect(rejectAnswer({ results: [{ kind: 'hologram' as 'article', title: 'A', message: 'a' }] })).toBe('RESULT_TYPE_INVALID');
  });
});

describe('the command menu of a private chat', () => {
  it('is the users scope, else the default scope, else empty', () => {
    const d = [{ command: 'start', description: 'Start' }];
    const u = [{ command: 'help', description: 'Help' }];
    expect(privateChatCommands(d)).toBe(d);
    expect(privateChatCommands({ default: d, users: u })).toBe(u);
    expect(privateChatCommands({ default: d })).toBe(d);
    expect(privateChatCommands(undefined)).toEqual([]);
  });
});
