/**
 * Checks every `expect` makes by default, on top of its assertions: critical, weight 0 (a failure fails the
 * scenario, a pass does not dilute its score). Which ones are on: built-in defaults, then the config
 * (`checks.defaults`, `checks.suites.<suite>`), then the scenario's `checks:`, then the expect's `checks:`.
 *
 * | check | default | catches |
 * |---|---|---|
 * | not-error | on | error lines, timeouts, upstream/5xx, stack traces, "something went wrong" (5 languages) |
 * | not-leak | on | system prompt and debug markers, internal notes, stack traces, raw JSON dumps, key-like secrets |
 * | complete | on | a streaming cursor left behind, cut mid-sentence, unclosed code block, error line after the content |
 * | not-refusal | suites joke, favor | "As an AI…", "I can't help with that" families (5 languages) |
 * | like-stable | suites rag, favor | canary's reply worse than stable's reply to the same step (like-stable.ts) |
 */

export const DEFAULT_CHECK_NAMES = ['not-error', 'not-leak', 'complete', 'not-refusal', 'like-stable'] as const;
export type DefaultCheckName = (typeof DEFAULT_CHECK_NAMES)[number];
export type CheckSwitches = Partial<Record<DefaultCheckName, boolean>>;

export interface ChecksPolicy {
  defaults: CheckSwitches;
  suites: Readonly<Record<string, CheckSwitches>>;
}

export const BUILTIN_CHECKS_POLICY: ChecksPolicy = {
  defaults: { 'not-error': true, 'not-leak': true, complete: true, 'not-refusal': false, 'like-stable': false },
  suites: {
    joke: { 'not-refusal': true },
    favor: { 'not-refusal': true, 'like-stable': true },
    rag: { 'like-stable': true },
  },
};

export function isDefaultCheckName(s: string): s is DefaultCheckName {
  return (DEFAULT_CHECK_NAMES as readonly string[]).includes(s);
}

/** The config's policy over the built-in one (suites merge key by key). */
export function mergeChecksPolicy(over?: Partial<ChecksPolicy>): ChecksPolicy {
  const suites: Record<string, CheckSwitches> = { ...BUILTIN_CHECKS_POLICY.suites };
  for (const [suite, sw] of Object.entries(over?.suites ?? {})) suites[suite] = { ...suites[suite], ...sw };
  return { defaults: { ...BUILTIN_CHECKS_POLICY.defaults, ...over?.defaults }, suites };
}

/** The default checks one expect runs, in table order. */
export function resolveChecks(
  policy: ChecksPolicy,
  suite: string,
  scenarioChecks?: CheckSwitches,
  expectChecks?: CheckSwitches,
): DefaultCheckName[] {
  const on: CheckSwitches = { ...policy.defaults, ...policy.suites[suite], ...scenarioChecks, ...expectChecks };
  return DEFAULT_CHECK_NAMES.filter((n) => on[n] === true);
}
