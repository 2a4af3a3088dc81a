/** The exit-code contract of a run's verdict (pure): pass 0, fail 1, inconclusive configurable (default 3). */
import { EXIT } from './errors.js';

export function exitCodeFor(verdict: string, inconclusiveExitCode: number): number {
  if (verdict === 'pass') return EXIT.pass;
  if (verdict === 'fail') return EXIT.fail;
  return inconclusiveExitCode;
}
