/** Waiting against a deadline, never a fixed sleep: the one `waitFor` of the tests. */

/**
 * Polls `fn` every `everyMs` until it returns a truthy value (returned), or throws naming `what` after
 * `timeoutMs`. A throwing `fn` counts as "not yet"; its last error is in the timeout message.
 */
export async function waitFor<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 20_000, everyMs = 100): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
