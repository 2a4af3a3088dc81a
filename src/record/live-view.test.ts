import { describe, expect, it } from 'vitest';
import { ChatLog } from '../telegram/chat-log.js';
import { LiveView, numberButtons, type ChatEvent } from './live-view.js';

const buttons = [[{ text: '✅ Confirm', data: 'book:yes:4' }, { text: '❌ Cancel', data: 'book:no:4' }]];

describe('the live chat view', () => {
  it('tells typing once, each new draft, messages, edits and deletions, in order', () => {
    const log = new ChatLog();
    log.upsert({ id: 5, text: 'old, before the chat' }, 1);
    const view = new LiveView(log, 5, 10);
    const seen: ChatEvent[] = [];
    const off = view.subscribe((ev) => seen.push(...ev));
    log.addActivity({ kind: 'typing', at: 11 });
    log.addActivity({ kind: 'typing', at: 12 });
    log.addActivity({ kind: 'draft', at: 13, draftId: '1', text: 'The Orbit' });
    log.addActivity({ kind: 'draft', at: 14, draftId: '1', text: 'The Orbit' });
    log.addActivity({ kind: 'draft', at: 15, draftId: '1', text: 'The Orbit X1' });
    log.upsert({ id: 7, text: 'Confirm booking a table for 4?', buttons }, 16);
    log.upsert({ id: 7, text: '✅ Booked a table for 4.', buttons }, 17);
    log.upsert({ id: 7, text: '✅ Booked a table for 4.', buttons: [[{ text: 'Undo', data: 'u' }]] }, 18);
    log.markDeleted([7], 19);
    log.addActivity({ kind: 'typing', at: 20 });
    off();
    log.upsert({ id: 8, text: 'after unsubscribe' }, 21);
    expect(seen).toEqual([
      { kind: 'typing' },
      { kind: 'draft', text: 'The Orbit' },
      { kind: 'draft', text: 'The Orbit X1' },
      { kind: 'message', id: 7, text: 'Confirm booking a table for 4?', buttons },
      { kind: 'edit', id: 7, text: '✅ Booked a table for 4.' },
      { kind: 'edit', id: 7, text: '✅ Booked a table for 4.', buttons: [[{ text: 'Undo', data: 'u' }]] },
      { kind: 'delete', id: 7 },
      { kind: 'typing' },
    ]);
    expect(view.poll()).toEqual([{ kind: 'message', id: 8, text: 'after unsubscribe' }]);
  });

  it('leaves out messages from before the chat that a history re-read brought in late', () => {
    const log = new ChatLog();
    const view = new LiveView(log, 0, 0, (m) => m.via === 'history' && m.id < 10);
    log.upsert({ id: 3, text: 'from last week' }, 5, 'history');
    log.upsert({ id: 11, text: 'missed push, found in history' }, 6, 'history');
    log.upsert({ id: 12, text: 'live' }, 7);
    expect(view.poll()).toEqual([
      { kind: 'message', id: 11, text: 'missed push, found in history' },
      { kind: 'message', id: 12, text: 'live' },
    ]);
  });

  it('numbers the buttons of the newest live message that has any, row by row', () => {
    const log = new ChatLog();
    log.upsert({ id: 1, text: 'a', buttons: [[{ text: 'old', data: 'o' }]] }, 1);
    log.upsert({ id: 2, text: 'b', buttons: [[{ text: 'x', data: 'x' }], [{ text: 'y', data: 'y' }, { text: 'z', data: 'z' }]] }, 2);
    log.upsert({ id: 3, text: 'no buttons' }, 3);
    expect(numberButtons(log.candidates(0)).map((b) => `${b.n}:${b.button.text}@${b.messageId}`)).toEqual(['1:x@2', '2:y@2', '3:z@2']);
    log.markDeleted([2], 4);
    expect(numberButtons(log.candidates(0)).map((b) => `${b.n}:${b.button.text}@${b.messageId}`)).toEqual(['1:old@1']);
    expect(numberButtons([])).toEqual([]);
  });
});
