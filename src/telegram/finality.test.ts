import { describe, expect, test } from 'vitest';
import { isProgressText } from '../runner/progress.js';
import { ChatLog } from './chat-log.js';
import { ClockOffset } from './clock-offset.js';
import { FINISHED_DRAFT_GRACE_MS, judgeFinality, looksUnfinished, type FinalityOptions, type ReplyWindow } from './finality.js';

const win: ReplyWindow = { afterId: 10, floorId: 10, sentAt: 0 };
const opts: FinalityOptions = { timeoutMs: 30_000, settleMs: 300, settleMaxMs: 10_000, minMessages: 1, isProgress: isProgressText };

describe('finality', () => {
  test('a plain answer is final after the settle floor, not before', () => {
    const log = new ChatLog();
    log.upsert({ id: 11, text: 'Why did the chicken cross the road? To get to the other side.' }, 1000);
    expect(judgeFinality(log, win, opts, 1200).settled).toBe(false);
    const s = judgeFinality(log, win, opts, 1300);
    expect(s.settled).toBe(true);
    expect(s.reply.finality).toBe('final: quiet for 300 ms');
  });

  test('a stream edited about once a second is not cut by a short settle window', () => {
    const log = new ChatLog();
    log.upsert({ id: 11, text: 'Once upon' }, 1000);
    log.upsert({ id: 11, text: 'Once upon a time' }, 2000);
    log.upsert({ id: 11, text: 'Once upon a time there was a canary.' }, 3000);
    // 1 s gaps: the window is 2 s, so 1.5 s of quiet is not enough
    expect(judgeFinality(log, win, opts, 4500).settled).toBe(false);
    expect(judgeFinality(log, win, opts, 4999).settled).toBe(false);
    const s = judgeFinality(log, win, opts, 5000);
    expect(s.settled).toBe(true);
    expect(s.reply.editCount).toBe(2);
  });

  test('the window never grows past settle-max', () => {
    const log = new ChatLog();
    log.upsert({ id: 11, text: 'part one of the answer' }, 1000);
    log.upsert({ id: 11, text: 'part one of the answer, and part two' }, 9000);
    const s = judgeFinality(log, win, { ...opts, settleMaxMs: 4000 }, 13_000);
    expect(s.settled).toBe(true);
  });

  test('while the bot is typing the reply is not final; typing expires after ~6 s', () => {
    const log = new ChatLog();
    log.upsert({ id: 11, text: 'Let me think about a good one for you, here goes.' }, 1000);
    log.addActivity({ kind: 'typing', at: 1100 });
    expect(judgeFinality(log, win, opts, 3000).settled).toBe(false);
    expect(judgeFinality(log, win, opts, 3000).reply.finality).toBe('still typing');
    expect(judgeFinality(log, win, opts, 7200).settled).toBe(true);
  });

  test('a new message ends the typing status', () => {
    const log = new ChatLog();
    log.addActivity({ kind: 'typing', at: 100 });
    log.upsert({ id: 11, text: 'Here is your answer: 42 kilometres.' }, 2000);
    expect(judgeFinality(log, win, opts, 2300).settled).toBe(true);
    expect(judgeFinality(log, win, opts, 2300).reply.latencyFirstTokenMs).toBe(100);
  });

  test('a finished draft is an end signal: final after a short grace, with first token and draft count', () => {
    const log = new ChatLog();
    log.addActivity({ kind: 'draft', at: 500, draftId: '7', text: 'The' });
    log.addActivity({ kind: 'draft', at: 1500, draftId: '7', text: 'The answer' });
    log.upsert({ id: 11, text: 'The answer is 42.' }, 2500);
    expect(judgeFinality(log, win, opts, 2500 + FINISHED_DRAFT_GRACE_MS - 1).settled).toBe(false);
    const s = judgeFinality(log, win, opts, 2500 + FINISHED_DRAFT_GRACE_MS);
    expect(s.settled).toBe(true);
    expect(s.reply.finality).toBe('final: a message ended the draft');
    expect(s.reply.latencyFirstDraftMs).toBe(500);
    expect(s.reply.latencyFirstTokenMs).toBe(500);
    expect(s.reply.latencyFirstMs).toBe(2500);
    expect(s.reply.draftCount).toBe(1);
  });

  test('an unfinished draft keeps the reply open, then is reported as never sent', () => {
    const log = new ChatLog();
    log.addActivity({ kind: 'draft', at: 500, draftId: '9', text: 'Knock knock' });
    const mid = judgeFinality(log, win, { ...opts, timeoutMs: 5000 }, 3000);
    expect(mid.done).toBe(false);
    const end = judgeFinality(log, win, { ...opts, timeoutMs: 5000 }, 5000);
    expect(end.done).toBe(true);
    expect(end.reply.messageCount).toBe(0);
    expect(end.reply.unsentDraft).toBe('Knock knock');
  });

  test('a progress message is not final; the answer that replaces it is', () => {
    const log = new ChatLog();
    log.upsert({ id: 11, text: '🔎 Searching…' }, 1000);
    expect(judgeFinality(log, win, opts, 5000).settled).toBe(false);
    expect(judgeFinality(log, win, opts, 5000).reply.finality).toBe('the newest message looks like progress');
    log.upsert({ id: 11, text: 'The Orbit X1 supports Zigbee and Thread.' }, 6000);
    expect(judgeFinality(log, win, opts, 18_000).settled).toBe(true);
  });

  test('a stuck progress message is cut at the deadline and reported as such', () => {
    const log = new ChatLog();
    log.upsert({ id: 11, text: 'On it!' }, 1000);
    const s = judgeFinality(log, win, { ...opts, timeoutMs: 5000, settleMaxMs: 2000 }, 7000);
    expect(s.done).toBe(true);
    expect(s.settled).toBe(false);
    expect(s.reply.finality).toBe('deadline passed (the newest message looks like progress)');
  });

  test('Telegram replies to the current prompt count; replies to an earlier prompt are late', () => {
    const log = new ChatLog();
    log.upsert({ id: 11, text: 'Sure, reminder set.', replyToId: 10 }, 1000);
    log.upsert({ id: 12, text: 'Answer to your earlier question: 7.', replyToId: 4 }, 1100);
    const s = judgeFinality(log, win, opts, 2000);
    expect(s.reply.text).toBe('Sure, reminder set.');
    expect(s.reply.late).toEqual([{ id: 12, text: 'Answer to your earlier question: 7.', replyToId: 4 }]);
  });

  test('a second expect after one prompt still counts a reply that quotes that prompt', () => {
    const log = new ChatLog();
    log.upsert({ id: 11, text: 'OK, I will remind you.', replyToId: 10 }, 1000);
    log.upsert({ id: 12, text: '⏰ Reminder: call mom', replyToId: 10 }, 5000);
    // the second expect waits after the first reply (afterId 11) with the prompt as floor
    const s = judgeFinality(log, { afterId: 11, floorId: 10, sentAt: 1000 }, opts, 6000);
    expect(s.reply.text).toBe('⏰ Reminder: call mom');
    expect(s.reply.late).toBeUndefined();
  });

  test('nothing by the first-message deadline stops the wait', () => {
    const log = new ChatLog();
    expect(judgeFinality(log, win, { ...opts, timeoutMs: 2000 }, 1999).done).toBe(false);
    expect(judgeFinality(log, win, { ...opts, timeoutMs: 2000 }, 2000).done).toBe(true);
  });

  test('wakeAt is the next moment the answer could change', () => {
    const log = new ChatLog();
    log.upsert({ id: 11, text: 'A complete answer.' }, 1000);
    expect(judgeFinality(log, win, opts, 1100).wakeAt).toBe(1300);
  });
});

describe('progress messages', () => {
  test.each([
    '🔎 Searching…', 'On it!', 'Thinking...', 'Generating ▌', 'One moment please...', '⏳', 'Let me check',
    'Думаю…', 'Секунду', 'Einen Moment bitte', 'Je réfléchis…', 'Un momento', 'The answer is ▍', '',
  ])('%j is progress', (t) => expect(isProgressText(t)).toBe(true));

  test.each([
    'Sure! 👍', 'Done.', 'The Orbit X1 supports Zigbee.', '42', 'Why did the chicken cross the road? To get to the other side…  and then it came back to tell everyone about it',
    'snake_case_', 'Booked a table for 4.', 'No.',
  ])('%j is not progress', (t) => expect(isProgressText(t)).toBe(false));
});

describe('clock offset', () => {
  test('a message found later is stamped from its date, corrected by the measured offset', () => {
    const c = new ClockOffset();
    // our clock runs 2 s ahead of the server's; pushes arrive ~5 ms after being sent, at any point of a second
    for (let i = 0; i < 20; i++) {
      const serverMs = 1_000_000 + i * 1370;
      c.sample(Math.floor(serverMs / 1000), serverMs + 2000 + 5);
    }
    expect(Math.abs((c.estimate() ?? 0) - 2005)).toBeLessThan(500);
    // sent at server time 1_100_200, found by a sweep 8 s later
    const stamped = c.localTime(Math.floor(1_100_200 / 1000), 1_100_200 + 2000 + 8000);
    expect(Math.abs(stamped - (1_100_200 + 2000))).toBeLessThan(1000);
  });

  test('never later than when it was found, and the found time without a date', () => {
    const c = new ClockOffset();
    expect(c.localTime(0, 5000)).toBe(5000);
    expect(c.localTime(100, 5000)).toBe(5000);
  });
});

describe('messages dated by Telegram', () => {
  test('a recovered message stamped a little before the prompt still settles the reply, at latency 0', () => {
    const log = new ChatLog();
    log.upsert({ id: 11, text: 'The answer is 42.' }, 900, 'history');
    const s = judgeFinality(log, { afterId: 10, floorId: 10, sentAt: 1000 }, opts, 1300);
    expect(s.settled).toBe(true);
    expect(s.reply.latencyFirstMs).toBe(0);
    expect(s.reply.latencyApprox).toBe(true);
  });
});

describe('a stream that has not shown its cadence yet', () => {
  test('a first chunk that stops mid-sentence waits for the next edit; a finished sentence does not', () => {
    const log = new ChatLog();
    log.upsert({ id: 11, text: 'The Orbit X1 comes with a ' }, 1000);
    expect(judgeFinality(log, win, opts, 2000).settled).toBe(false);
    log.upsert({ id: 11, text: 'The Orbit X1 comes with a 2-year warranty.' }, 2000);
    // cadence now known (1 s): window 2 s
    expect(judgeFinality(log, win, opts, 3500).settled).toBe(false);
    expect(judgeFinality(log, win, opts, 4000).settled).toBe(true);
  });

  test.each([
    ['The Orbit X1 comes with a ', true], ['It supports Zigbee, Thread,', true], ['Here is what I found:', true],
    ['The Orbit X1 supports Zigbee and Thread and also', false], ['10 km = 6.21 miles', false], ['Yes', false], ['42', false], ['Done.', false],
    ['Booked a table for 4 👍', false], ['See https://example.com/docs', false], ['```js\nx()\n```', false],
  ])('%j unfinished: %s', (t, want) => expect(looksUnfinished(t)).toBe(want));
});
