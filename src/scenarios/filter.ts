/** Which scenarios a run takes: by name (exact or glob) and/or suite. The one filter type of the tree. */
import { ValidationError } from '../core/errors.js';
import type { Scenario } from '../core/types.js';

export interface ScenarioFilter {
  /** Exact name or a glob (`*` any run of characters, `?` one character). */
  name?: string;
  suite?: string;
}

/** `*` and `?` glob to an anchored RegExp. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

export function matchesFilter(s: Pick<Scenario, 'name' | 'suite'>, filter: ScenarioFilter = {}): boolean {
  if (filter.suite !== undefined && s.suite !== filter.suite) return false;
  if (filter.name !== undefined && s.name !== filter.name && !globToRegExp(filter.name).test(s.name)) return false;
  return true;
}

/** The scenarios matching `filter`; none is a usage error (SCENARIO_NONE_MATCHED). */
export function pickScenarios(all: readonly Scenario[], filter: ScenarioFilter = {}, dir: string): Scenario[] {
  const picked = all.filter((s) => matchesFilter(s, filter));
  if (picked.length === 0) {
    throw new ValidationError('SCENARIO_NONE_MATCHED', [
      { file: dir, path: filter.name !== undefined ? 'name' : 'suite', message: `no scenario matches ${JSON.stringify(filter)}`, hint: `\`tg-canary list\` shows the ${all.length} scenarios and their suites` },
    ]);
  }
  return picked;
}
