/**
 * The exit-code contract must hold even when a promise inside a command never settles: Node then drains its event
 * loop and exits with `process.exitCode` (0 unless set), so a Job reading the code would see a pass. This guard
 * turns "the loop drained before the command finished" into exit 3 (inconclusive) with an error on stderr.
 */
import { EXIT } from '../core/errors.js';

export const DRAINED_MESSAGE =
  'tg-canary: internal error: the command stopped before it finished (a promise never settled; nothing was left to ' +
  'wait for) [EVENT_LOOP_DRAINED]\n  hint: this is a bug in tg-canary; please report it with the log. Treated as ' +
  'inconclusive (exit 3), never as a pass.\n';

/**
 * Runs `work` (the command); when it settles, `onSettled` decides the exit. If the event loop drains first,
 * exits 3 with DRAINED_MESSAGE.
 */
export function guardDrainedLoop(
  work: Promise<unknown>,
  onSettled: { resolved(): void; rejected(e: unknown): void },
  proc: Pick<NodeJS.Process, 'on' | 'off' | 'exit' | 'stderr'> = process,
): void {
  let finished = false;
  const onBeforeExit = (): void => {
    if (finished) return;
    proc.stderr.write(DRAINED_MESSAGE);
    proc.exit(EXIT.inconclusive);
  };
  proc.on('beforeExit', onBeforeExit);
  work.then(
    () => {
      finished = true;
      proc.off('beforeExit', onBeforeExit);
      onSettled.resolved();
    },
    (e: unknown) => {
      finished = true;
      proc.off('beforeExit', onBeforeExit);
      onSettled.rejected(e);
    },
  );
}
