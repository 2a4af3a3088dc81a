/**
 * Teardown steps that cannot hang the process: each one gets a deadline. The timer is deliberately not unref'd,
 * so while a step is pending the event loop stays alive and the deadline really fires (a step whose promise never
 * settles would otherwise let the loop drain and Node exit 0 with whatever exit code was set — issue 15 #8).
 */

export interface BoundedOutcome {
  /** 'done' when the step settled in time (even by throwing), 'timeout' when the deadline came first. */
  outcome: 'done' | 'timeout';
  error?: unknown;
}

/** Waits for `step` at most `ms`; never throws. `onTimeout` / `onError` are told which step misbehaved. */
export async function bounded(
  name: string,
  step: Promise<unknown> | (() => Promise<unknown> | unknown),
  ms: number,
  report: { onTimeout?(name: string, ms: number): void; onError?(name: string, e: unknown): void } = {},
): Promise<BoundedOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<BoundedOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ outcome: 'timeout' }), Math.max(0, ms));
  });
  let work: Promise<unknown>;
  try {
    work = typeof step === 'function' ? Promise.resolve(step()) : step;
  } catch (e) {
    work = Promise.reject(e);
  }
  const settled = work.then(
    (): BoundedOutcome => ({ outcome: 'done' }),
    (e: unknown): BoundedOutcome => ({ outcome: 'done', error: e }),
  );
  try {
    const out = await Promise.race([settled, deadline]);
    if (out.outcome === 'timeout') report.onTimeout?.(name, ms);
    else if (out.error !== undefined) report.onError?.(name, out.error);
    return out;
  } finally {
    clearTimeout(timer);
  }
}
