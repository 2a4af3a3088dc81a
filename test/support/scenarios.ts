/** Scenario YAML the end-to-end tests share: one conversion every healthy demo bot answers in well under a second. */

export interface ConvertScenarioOptions {
  name?: string;
  /** Default `[canary]`. */
  targets?: readonly ('canary' | 'stable')[];
  /** The scenario's timeout (default 15s). */
  timeout?: string;
  /** The expect step's timeout (default 3s). */
  expectTimeout?: string;
  quiet?: string;
  repeat?: number;
  /** Also assert `not-error`. */
  notError?: boolean;
}

/**
 * "Convert 10 km to miles", expecting "6.21" (critical). On both targets, `repeat: 5` makes one run's failure
 * evidence: 5 of 5 against 0 of 5 is a regression (Fisher p = 1/252), 1 against 1 is not.
 */
export function convertScenario(o: ConvertScenarioOptions = {}): string {
  const lines = [
    '',
    `name: ${o.name ?? 'convert'}`,
    'suite: favor',
    `targets: [${(o.targets ?? ['canary']).join(', ')}]`,
    `timeout: ${o.timeout ?? '15s'}`,
    ...(o.quiet !== undefined ? [`quiet: ${o.quiet}`] : []),
    ...(o.repeat !== undefined ? [`repeat: ${o.repeat}`] : []),
    'steps:',
    '  - send: "Convert 10 km to miles"',
    `  - expect: { timeout: ${o.expectTimeout ?? '3s'}, settle: 200ms, assert: [ { type: contains, value: "6.21", critical: true }${o.notError ? ', not-error' : ''} ] }`,
    '',
  ];
  return lines.join('\n');
}
