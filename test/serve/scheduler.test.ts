import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { TgCanaryError } from '../../src/core/errors.js';
import { createScheduler, validateSchedule } from '../../src/scheduler/index.js';
import { silentLogger } from '../../src/util/logger.js';
import { waitFor as waitUntil } from '../support/wait.js';

const logger = silentLogger();
const waitFor = (cond: () => boolean, ms = 8000): Promise<true> => waitUntil(() => cond() || undefined, 'the scheduler', ms, 20);

describe('validateSchedule', () => {
  it('names the bad field', () => {
    expect(() => validateSchedule('0 * * * *')).not.toThrow();
    expect(() => validateSchedule('*/1 * * * * *')).not.toThrow();
    try {
      validateSchedule('61 * * * *');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TgCanaryError);
      expect((e as TgCanaryError).code).toBe('SCHEDULE_INVALID');
      expect((e as TgCanaryError).message).toContain('minute');
      expect((e as TgCanaryError).hint).toContain('hourly');
    }
    expect(() => createScheduler({ schedule: 'every hour', jitterMs: 0, task: async () => {}, clock: systemClock, logger })).toThrow(/invalid cron/);
  });
});

describe('createScheduler on a real one-second schedule', () => {
  it('runs on ticks, never overlaps, skips ticks while busy', async () => {
    let active = 0;
    let maxActive = 0;
    const starts: number[] = [];
    const s = createScheduler({
      schedule: '*/1 * * * * *',
      jitterMs: 0,
      clock: systemClock,
      logger,
      task: async (signal) => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        starts.push(Date.now());
        await systemClock.sleep(2300, signal).catch(() => undefined);
        active -= 1;
      },
    });
    s.start();
    await waitFor(() => starts.length >= 2);
    expect(maxActive).toBe(1);
    expect(s.status().skipped).toBeGreaterThanOrEqual(1);
    expect((starts[1] ?? 0) - (starts[0] ?? 0)).toBeGreaterThanOrEqual(2300);
    expect(await s.runNow('api')).toBe('busy');
    await s.stop({ graceMs: 5000 });
    expect(active).toBe(0);
    expect(s.status().nextRunAt).toBeNull();
  });

  it('applies jitter before scheduled runs, and runNow replaces a waiting one', async () => {
    const starts: { at: number; tick: number }[] = [];
    let tickAt = 0;
    const s = createScheduler({
      schedule: '*/1 * * * * *',
      jitterMs: 10_000,
      random: () => 0.08, // 800 ms
      clock: systemClock,
      logger,
      task: async () => {
        starts.push({ at: Date.now(), tick: tickAt });
      },
    });
    s.start();
    await waitFor(() => s.status().waiting);
    tickAt = Date.now();
    await waitFor(() => starts.length >= 1, 3000);
    expect((starts[0]?.at ?? 0) - tickAt).toBeGreaterThan(600);
    // next tick: while it waits out its jitter, a manual run takes its place
    await waitFor(() => s.status().waiting);
    expect(await s.runNow('manual')).toBe('started');
    await s.idle();
    expect(s.status().lastReason).toBe('manual');
    expect(s.status().waiting).toBe(false);
    await s.stop();
  });

  it('catches task errors and keeps going', async () => {
    let calls = 0;
    const s = createScheduler({
      schedule: '*/1 * * * * *',
      jitterMs: 0,
      clock: systemClock,
      logger,
      task: async () => {
        calls += 1;
        throw new Error(`boom ${calls}`);
      },
    });
    s.start();
    await waitFor(() => calls >= 2);
    await s.idle();
    expect(s.status().lastError).toMatch(/^boom/);
    await s.stop();
  });

  it('stop waits out the grace period, then aborts and waits for the run', async () => {
    let sawAbort: unknown;
    let finished = false;
    const s = createScheduler({
      schedule: '0 0 1 1 *',
      jitterMs: 0,
      clock: systemClock,
      logger,
      task: async (signal) => {
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        sawAbort = signal.reason;
        await systemClock.sleep(100); // recording the run as aborted
        finished = true;
      },
    });
    s.start();
    expect(s.status().nextRunAt).toBeGreaterThan(Date.now());
    expect(await s.runNow('manual')).toBe('started');
    expect(s.isRunning()).toBe(true);
    const t0 = Date.now();
    await s.stop({ graceMs: 300 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(finished).toBe(true);
    expect((sawAbort as TgCanaryError).code).toBe('RUN_ABORTED');
    expect(s.isRunning()).toBe(false);
    expect(await s.runNow('after stop')).toBe('busy');
  });

  it('stop lets a run that finishes within the grace period complete unaborted', async () => {
    let aborted = false;
    const s = createScheduler({
      schedule: '0 0 1 1 *',
      jitterMs: 0,
      clock: systemClock,
      logger,
      task: async (signal) => {
        await systemClock.sleep(200);
        aborted = signal.aborted;
      },
    });
    await s.runNow('manual');
    await s.stop({ graceMs: 5000 });
    expect(aborted).toBe(false);
    expect(s.status().lastFinishedAt).not.toBeNull();
  });
});
