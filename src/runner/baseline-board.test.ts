import { describe, expect, it } from 'vitest';
import { systemClock } from '../core/clock.js';
import { textReply } from '../scorers/reply.js';
import { createBaselineBoard } from './baseline-board.js';

describe('baseline board', () => {
  it('hands stable\'s reply to a canary that waits for it, posted before or after', async () => {
    const board = createBaselineBoard(systemClock, new Set(['s']));
    board.post('s', 1, { reply: textReply('early') });
    expect(await board.wait('s', 1, 1000)).toEqual({ reply: textReply('early') });
    const later = board.wait('s', 3, 2000);
    setTimeout(() => board.post('s', 3, { reply: textReply('late') }), 50);
    const got = await later;
    expect('reply' in got && got.reply.text).toBe('late');
  });

  it('no baseline: a scenario stable does not run, a step it never reached, a wait past the bound, an abort', async () => {
    const board = createBaselineBoard(systemClock, new Set(['s']));
    expect(await board.wait('other', 1, 1000)).toEqual({ none: 'stable does not run this scenario in this run' });
    const pending = board.wait('s', 5, 5000);
    board.close('s', "stable's run of this scenario stopped before this step");
    expect(await pending).toEqual({ none: "stable's run of this scenario stopped before this step" });
    expect(await board.wait('s', 6, 5000)).toEqual({ none: "stable's run of this scenario stopped before this step" });
    const t0 = Date.now();
    const b2 = createBaselineBoard(systemClock, new Set(['x']));
    expect(await b2.wait('x', 1, 100)).toEqual({ none: 'stable had not replied to this step after waiting 0.1 s' });
    expect(Date.now() - t0).toBeLessThan(1000);
    const ac = new AbortController();
    const aborted = b2.wait('x', 2, 10_000, ac.signal);
    ac.abort();
    expect(await aborted).toEqual({ none: 'the run was stopped while waiting for stable' });
  });

  it('the first post wins', async () => {
    const board = createBaselineBoard(systemClock, new Set(['s']));
    board.post('s', 1, { none: 'stable did not reply to this step' });
    board.post('s', 1, { reply: textReply('x') });
    expect(await board.wait('s', 1, 100)).toEqual({ none: 'stable did not reply to this step' });
  });
});
