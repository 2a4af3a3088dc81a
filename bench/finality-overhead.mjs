#!/usr/bin/env node
/**
 * Issue "hearing the bot" — finality overhead: the time from the bot's last activity to the tester's decision that
 * the reply is final. A sandbox in a child process hosts two bots that log their last action: `plain_bot` types,
 * then answers with one plain message; `draft_bot` streams by drafts, then sends the final message (which ends the
 * draft). The real driver (dist/telegram/driver.js) waits with its adaptive finality; the baseline is the same
 * driver held to a fixed 350 ms window (settle = settle-max = 350 ms, the window the old shipped scenarios used) on
 * the plain bot, in the same run. (The old client could not see drafts at all: for a draft-streaming bot it waited
 * the same fixed window after the final message, so the plain figure is the baseline for both.)
 * Env: BENCH_N (default 60 replies per case), BENCH_SETTLE_MS (the floor, default 50). Always exits 0.
 */
import { bench, benchDriver, dist, median, quantile, runBench, startSandboxChild } from './lib.mjs';

const N = Number(process.env.BENCH_N ?? 60);
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 50);
const FIXED_MS = 350;
const WARMUP = 5;

runBench('finality-overhead', async () => {
  const { isProgressText } = await dist('runner/progress.js');
  const sb = await startSandboxChild();
  const { driver, clock: systemClock } = await benchDriver(sb.info, { isProgress: isProgressText });
  const measure = async (botName, settle) => {
    const bot = await driver.resolveBot(botName);
    const out = [];
    await sb.call({ cmd: 'botLog' });
    for (let i = 0; i < N + WARMUP; i++) {
      const sent = await driver.send(bot, `q${i}`);
      const reply = await driver.waitForReply(bot, sent, { timeoutMs: 10_000, minMessages: 1, ...settle });
      const decidedAt = systemClock.now();
      if (reply.messageCount !== 1 || !reply.settled) throw new Error(`${botName}: reply ${i} did not settle (${reply.finality})`);
      const lastAt = (await sb.call({ cmd: 'botLog' })).log.filter((e) => e.kind === 'last').pop()?.at;
      if (lastAt === undefined) throw new Error(`${botName}: no last-activity stamp for reply ${i}`);
      if (i >= WARMUP) out.push(decidedAt - lastAt);
    }
    return out;
  };
  try {
    await driver.connect();
    const adaptive = { settleMs: SETTLE_MS, settleMaxMs: 10_000 };
    const fixed = { settleMs: FIXED_MS, settleMaxMs: FIXED_MS };
    const plain = await measure('plain_bot', adaptive);
    const draft = await measure('draft_bot', adaptive);
    const plainFixed = await measure('plain_bot', fixed);
    const both = [...plain, ...draft];
    bench('finality-overhead-median', median(both), 'ms', '<=', 100);
    bench('finality-overhead-p99', quantile(both, 99), 'ms');
    bench('finality-overhead-plain-median', median(plain), 'ms');
    bench('finality-overhead-draft-median', median(draft), 'ms');
    bench('finality-overhead-fixed-settle-median', median(plainFixed), 'ms');
  } finally {
    await driver.close();
    await sb.stop();
  }
});
