import { describe, expect, it } from 'vitest';
import { transcriptFromHistory } from './from-history.js';

describe('a scenario from chat history', () => {
  it('makes each message of the user a send turn answered by the bot messages up to the next one', () => {
    const t = transcriptFromHistory('@canary_bot', [
      { out: false, text: 'an answer to something before the window', date: 0 },
      { out: true, text: 'Convert 10 km to miles', date: 10_000 },
      { out: false, text: '10 km = 6.21 miles', date: 11_000 },
      { out: true, text: 'Book a table for 4', date: 20_000 },
      { out: false, text: '✅ Booked a table for 4.', date: 22_000, editDate: 25_000, buttons: [[{ text: '✅ Confirm' }]] },
      { out: false, text: 'Anything else?', date: 23_000 },
      { out: true, text: 'thanks', date: 30_000 },
    ]);
    expect(t.bot).toBe('canary_bot');
    expect(t.source).toBe('history');
    expect(t.turns.map((x) => x.action)).toEqual([
      { kind: 'send', text: 'Convert 10 km to miles' },
      { kind: 'send', text: 'Book a table for 4' },
      { kind: 'send', text: 'thanks' },
    ]);
    expect(t.turns[0]?.reply).toMatchObject({ text: '10 km = 6.21 miles', latencyFirstMs: 1000, latencyFinalMs: 1000, approximate: true });
    expect(t.turns[1]?.reply).toMatchObject({
      text: '✅ Booked a table for 4.\nAnything else?', latencyFirstMs: 2000, latencyFinalMs: 5000, maxGapMs: 1000,
      messages: [{ text: '✅ Booked a table for 4.', buttons: [['✅ Confirm']] }, { text: 'Anything else?' }],
    });
    expect(t.turns[2]?.reply).toMatchObject({ messages: [], latencyFirstMs: undefined });
  });

  it('has no turns when the user wrote nothing in the window', () => {
    expect(transcriptFromHistory('b', [{ out: false, text: 'hi', date: 1 }]).turns).toEqual([]);
  });
});
