#!/usr/bin/env node
/**
 * Issue 7 row 1 — reply-detection overhead. A sandbox in a child process hosts `bench_bot`, which sleeps L ms then
 * replies; the real GramjsDriver (dist/telegram/driver.js) in this process sends a prompt and waits for the settled
 * reply. overhead = the driver's time-to-final (reply.latencyFinalMs) − L, over N replies per L (L = 0, 50, 500).
 * The settle window is excluded from the overhead and reported on its own, with how late the settle loop returned
 * after the window closed (settle overshoot).
 * The sandbox's own timer lateness (how long after L the bot's sleep really ended: OS scheduling on a busy machine)
 * is printed for L > 0; it is inside the overhead, since the issue defines overhead against the nominal L. The
 * `reply-overhead-net-*` figures subtract it reply by reply: what the tester itself adds.
 * Env: BENCH_N (default 200 replies per L), BENCH_SETTLE_MS (default 50). Always exits 0.
 */
import { bench, benchDriver, dist, median, quantile, runBench, startSandboxChild } from './lib.mjs';

const N = Number(process.env.BENCH_N ?? 200);
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 50);
const WARMUP = 10;
const LATENCIES = [0, 50, 500];

runBench('reply-overhead', async () => {
  const { systemClock } = await dist('core/clock.js');
  const sb = await startSandboxChild();
  const { driver } = await benchDriver(sb.info);
  try {
    await driver.connect();
    const bot = await driver.resolveBot('bench_bot');
    const all = [];
    const overshoot = [];
    for (const L of LATENCIES) {
      const over = [];
      await sb.call({ cmd: 'timerLate' });
      for (let i = 0; i < N + WARMUP; i++) {
        const sent = await driver.send(bot, `ping ${i} L=${L}`);
        const reply = await driver.waitForReply(bot, sent, { timeoutMs: 10_000, settleMs: SETTLE_MS, minMessages: 1 });
        const returnedAt = systemClock.now();
        if (reply.messageCount !== 1 || reply.latencyFinalMs === undefined) throw new Error(`no reply to ping ${i} (L=${L})`);
        if (i < WARMUP) continue;
        over.push(reply.latencyFinalMs - L);
        overshoot.push(returnedAt - (reply.finalAt + SETTLE_MS));
      }
      all.push(...over);
      if (L > 0) {
        // one entry per reply, warm-up included, in order: pair them to get the overhead net of the bot's timer
        const late = (await sb.call({ cmd: 'timerLate' })).late.slice(WARMUP);
        bench(`reply-bot-timer-late-median-L${L}`, median(late), 'ms');
        bench(`reply-bot-timer-late-p99-L${L}`, quantile(late, 99), 'ms');
        if (late.length === over.length) {
          const net = over.map((x, i) => x - late[i]);
          bench(`reply-overhead-net-median-L${L}`, median(net), 'ms', '<=', 3);
          bench(`reply-overhead-net-p99-L${L}`, quantile(net, 99), 'ms', '<=', 15);
        }
      }
      bench(`reply-overhead-median-L${L}`, median(over), 'ms', '<=', 3);
      bench(`reply-overhead-p99-L${L}`, quantile(over, 99), 'ms', '<=', 15);
    }
    bench('reply-overhead-median', median(all), 'ms', '<=', 3);
    bench('reply-overhead-p99', quantile(all, 99), 'ms', '<=', 15);
    bench('reply-overhead-replies', all.length, 'count', '>=', 200 * LATENCIES.length);
    bench('reply-settle-window', SETTLE_MS, 'ms');
    bench('reply-settle-overshoot-median', median(overshoot), 'ms', '<=', 3);
    bench('reply-settle-overshoot-p99', quantile(overshoot, 99), 'ms', '<=', 15);
  } finally {
    await driver.close();
    await sb.stop();
  }
});
