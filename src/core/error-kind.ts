/** Who failed: only `bot` may ever make a scenario `fail`; `infra` makes a run inconclusive. */
export type ErrorKind = 'config' | 'usage' | 'infra' | 'bot' | 'internal';
