import type { Scenario } from '../core/types.js';
import { loadScenarios } from '../scenarios/index.js';
import { isScorerName, validateAssertionValue } from '../scorers/index.js';

export interface ScenarioFilter {
  name?: string;
  suite?: string;
}

/** Loads and validates the scenario files, with the assertion types checked against the scorer map. */
export function loadScenarioSet(dir: string, filter: ScenarioFilter = {}): Promise<Scenario[]> {
  return loadScenarios(dir, { filter, isScorer: isScorerName, validateValue: validateAssertionValue });
}
