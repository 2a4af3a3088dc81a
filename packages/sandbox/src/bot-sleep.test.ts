import { describe, expect, it } from 'vitest';
import { sleep } from './bot-host.js';

describe('sandbox bot sleep (chat.sleep and the latency fault)', () => {
  // setTimeout counts in the event loop's whole-millisecond time: measured with performance.now() it can end up
  // to 1 ms early, and is often 1 ms late.
  it('never ends early, and is not a millisecond late either', async () => {
    const late: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t = performance.now();
      await sleep(15);
      late.push(performance.now() - t - 15);
    }
    for (const x of late) expect(x).toBeGreaterThanOrEqual(0);
    late.sort((a, b) => a - b);
    expect(late[3]).toBeLessThan(1); // the median
  });

  it('returns at once for 0 ms', async () => {
    const t = performance.now();
    await sleep(0);
    expect(performance.now() - t).toBeLessThan(5);
  });
});
