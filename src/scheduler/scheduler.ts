/**
 * The `serve` schedule: node-cron ticks, jitter before each scheduled run, never two runs at once, errors
 * caught and logged, and a stop that lets the current run finish (or aborts it after a grace period and
 * waits for it, so the caller can record it as aborted, never lost).
 */
import { createTask, validateDetailed, type ScheduledTask } from 'node-cron';
import type { Clock } from '../core/ports.js';
import { configError, TgCanaryError } from '../core/errors.js';
import type { Logger } from '../util/logger.js';

export interface SchedulerOptions {
  /** Cron expression, 5 fields (minute precision) or 6 (with seconds). */
  schedule: string;
  /** A random delay in [0, jitterMs) before each scheduled run (not before `runNow`). */
  jitterMs: number;
  task: (signal: AbortSignal) => Promise<void>;
  clock: Clock;
  logger: Logger;
  random?: () => number;
  timezone?: string;
}

export type RunReason = 'schedule' | string;

export interface SchedulerStatus {
  running: boolean;
  /** Set while a scheduled run waits out its jitter. */
  waiting: boolean;
  nextRunAt: number | null;
  lastStartedAt: number | null;
  lastFinishedAt: number | null;
  lastReason: string | null;
  lastError: string | null;
  skipped: number;
}

export interface Scheduler {
  start(): void;
  /** Starts a run now unless one is in progress; a scheduled run waiting out its jitter is replaced. */
  runNow(reason: string): Promise<'started' | 'busy'>;
  isRunning(): boolean;
  /** Resolves when no run is in progress. */
  idle(): Promise<void>;
  status(): SchedulerStatus;
  /** Stops ticking; lets the current run finish for `graceMs` (default 20 s), then aborts it and waits for it. */
  stop(opts?: { graceMs?: number }): Promise<void>;
}

/** Checks a cron expression, with the offending field named. */
export function validateSchedule(expr: string, keyPath = 'schedule'): void {
  const v = validateDetailed(expr);
  if (!v.valid) {
    const detail = v.errors.map((e) => (e.field === 'expression' ? e.message : `${e.field}: ${e.message}`)).join('; ');
    throw configError(
      'SCHEDULE_INVALID',
      `invalid cron expression ${JSON.stringify(expr)}: ${detail}`,
      'use 5 fields (minute hour day month weekday), e.g. "0 * * * *" for hourly, or 6 with seconds first',
      undefined,
      keyPath,
    );
  }
}

function errText(e: unknown): string {
  if (e instanceof TgCanaryError) return `${e.code}: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}

export function createScheduler(opts: SchedulerOptions): Scheduler {
  validateSchedule(opts.schedule);
  const random = opts.random ?? Math.random;
  const log = opts.logger;
  let cronTask: ScheduledTask | undefined;
  let stopped = false;
  let current: Promise<void> | null = null;
  let runAbort: AbortController | null = null;
  let jitterAbort: AbortController | null = null;
  const st: SchedulerStatus = {
    running: false,
    waiting: false,
    nextRunAt: null,
    lastStartedAt: null,
    lastFinishedAt: null,
    lastReason: null,
    lastError: null,
    skipped: 0,
  };

  function launch(reason: string): void {
    const ac = new AbortController();
    runAbort = ac;
    st.running = true;
    st.lastStartedAt = opts.clock.now();
    st.lastReason = reason;
    log.info({ reason }, 'run starting');
    current = (async (): Promise<void> => {
      try {
        await opts.task(ac.signal);
        st.lastError = null;
      } catch (e) {
        st.lastError = errText(e);
        log.error({ err: e, reason }, 'run failed');
      } finally {
        st.running = false;
        st.lastFinishedAt = opts.clock.now();
        runAbort = null;
        current = null;
      }
    })();
  }

  async function onTick(): Promise<void> {
    if (stopped) return;
    if (st.running || st.waiting) {
      st.skipped += 1;
      log.warn({ skipped: st.skipped }, 'scheduled tick skipped: a run is still in progress');
      return;
    }
    const delay = Math.max(0, Math.floor(random() * opts.jitterMs));
    if (delay > 0) {
      const ac = new AbortController();
      jitterAbort = ac;
      st.waiting = true;
      try {
        await opts.clock.sleep(delay, ac.signal);
      } catch {
        return; // cancelled: stopped, or replaced by runNow
      } finally {
        st.waiting = false;
        jitterAbort = null;
      }
    }
    if (stopped || st.running) return;
    launch('schedule');
  }

  function nextRun(): number | null {
    const d = cronTask?.getNextRun();
    return d ? d.getTime() : null;
  }

  return {
    start(): void {
      if (cronTask || stopped) return;
      cronTask = createTask(
        opts.schedule,
        () => {
          void onTick().catch((e: unknown) => log.error({ err: e }, 'scheduler tick failed'));
        },
        {
          timezone: opts.timezone,
          unref: true,
          name: 'tg-canary',
          logger: {
            info: (m) => log.debug({ cron: true }, m),
            warn: (m) => log.warn({ cron: true }, m),
            error: (m) => log.error({ cron: true }, String(m)),
            debug: (m) => log.debug({ cron: true }, String(m)),
          },
        },
      );
      void cronTask.start();
      log.info({ schedule: opts.schedule, jitterMs: opts.jitterMs }, 'scheduler started');
    },

    async runNow(reason: string): Promise<'started' | 'busy'> {
      if (stopped || st.running) return 'busy';
      jitterAbort?.abort();
      launch(reason);
      return 'started';
    },

    isRunning(): boolean {
      return st.running;
    },

    async idle(): Promise<void> {
      while (current) await current;
    },

    status(): SchedulerStatus {
      return { ...st, nextRunAt: stopped ? null : nextRun() };
    },

    async stop(stopOpts: { graceMs?: number } = {}): Promise<void> {
      stopped = true;
      jitterAbort?.abort();
      if (cronTask) {
        await cronTask.destroy();
        cronTask = undefined;
      }
      const running = current;
      if (!running) return;
      const grace = stopOpts.graceMs ?? 20_000;
      const graceAbort = new AbortController();
      const finishedInGrace = await Promise.race([
        running.then(() => true),
        opts.clock.sleep(grace, graceAbort.signal).then(
          () => false,
          () => false,
        ),
      ]);
      graceAbort.abort();
      if (!finishedInGrace) {
        log.warn({ graceMs: grace }, 'run still going after the grace period: aborting it');
        runAbort?.abort(new TgCanaryError('RUN_ABORTED', 'tg-canary is shutting down', { kind: 'infra' }));
        await running;
      }
    },
  };
}
