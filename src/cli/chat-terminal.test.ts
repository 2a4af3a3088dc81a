import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createTerminalChat, renderEvent } from './chat-terminal.js';
import type { ChatSession } from '../app/chat-session.js';
import type { Turn } from '../record/transcript.js';

/** Runs the terminal chat on `session` with `type` writing the keyboard; resolves with everything it showed. */
async function chatWith(session: ChatSession, type: (input: PassThrough) => void, onTurn?: (t: Turn) => void): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = '';
  output.on('data', (d: Buffer) => (shown += d.toString()));
  const done = createTerminalChat('bot', { input, output, ...(onTurn ? { onTurn } : {}) }).run(session);
  type(input);
  await done;
  return shown;
}

describe('the chat terminal', () => {
  it('renders each live event on its own lines, bot text escaped, buttons numbered', () => {
    expect(renderEvent('bot', { kind: 'typing' })).toEqual(['@bot is typing…']);
    expect(renderEvent('bot', { kind: 'draft', text: 'The Orbit' })).toEqual(['@bot (draft) The Orbit']);
    expect(renderEvent('bot', { kind: 'message', id: 1, text: 'two\nlines\u001b[2J', buttons: [[{ text: 'Yes', data: 'y' }], [{ text: 'No\u202e', data: 'n' }]] })).toEqual([
      '@bot: two\n      lines\\x1b[2J',
      '      [1] Yes   [2] No\\u202e',
    ]);
    expect(renderEvent('bot', { kind: 'edit', id: 1, text: '' })).toEqual(['@bot (edited): [media or an empty message]']);
    expect(renderEvent('bot', { kind: 'delete', id: 1 })).toEqual(['@bot deleted a message']);
  });

  it('sends what is typed, presses /n, keeps /quit, /help and /buttons local, sends //x as /x, hands on each turn', async () => {
    const calls: string[] = [];
    const turn = (t: string): Turn => ({ action: { kind: 'send', text: t }, reply: { messages: [{ text: 'ok' }], text: 'ok', latencyFirstMs: 5, latencyFinalMs: 1500, settled: true } });
    let unasked = 0;
    const session: ChatSession = {
      bot: { username: 'bot', id: '1' },
      send: (text) => (calls.push(`send:${text}`), Promise.resolve(turn(text))),
      press: (n) => (calls.push(`press:${n}`), Promise.resolve({ action: { kind: 'click', button: 'Yes' }, reply: { messages: [], text: '', settled: true } })),
      buttons: () => [{ n: 1, messageId: 3, button: { text: 'Yes', data: 'y' } }],
      takeUnasked: () => (unasked++ === 2 ? { action: { kind: 'unasked' }, reply: { messages: [{ text: '⏰' }], text: '⏰', settled: true } } : undefined),
      history: () => Promise.resolve([]),
      close: () => Promise.resolve(),
    };
    const turns: Turn[] = [];
    const shown = await chatWith(session, (input) => input.write('hello\n/1\n/buttons\n//start\n/help\n\n/quit\nnot sent\n'), (t) => turns.push(t));
    expect(calls).toEqual(['send:hello', 'press:1', 'send:/start']);
    expect(turns.map((t) => t.action.kind)).toEqual(['send', 'click', 'unasked', 'send']);
    expect(shown).toMatch(/\(first 5 ms, final 1\.5 s\)/u);
    expect(shown).toMatch(/\(no reply\)/u);
    expect(shown).toMatch(/\[1\] Yes/u);
    expect(shown).toMatch(/\/quit ends/u);
  });

  it('ends on end of input (Ctrl-D) and shows an error without ending the chat', async () => {
    const session: ChatSession = {
      bot: { username: 'bot', id: '1' },
      send: () => Promise.reject(new Error('boom')),
      press: () => Promise.reject(new Error('no')),
      buttons: () => [],
      takeUnasked: () => undefined,
      history: () => Promise.resolve([]),
      close: () => Promise.resolve(),
    };
    const shown = await chatWith(session, (input) => input.end('hi\n/buttons\n'));
    expect(shown).toMatch(/! unexpected error: boom/u);
    expect(shown).toMatch(/no buttons to press/u);
  });
});
