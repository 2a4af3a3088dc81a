/**
 * The scenario set a run uses: the scenarios pipeline (src/scenarios/load-scenarios.ts) with the assertion types
 * checked against the scorer map. Composition only: the stages live in src/scenarios.
 */
import type { Scenario } from '../core/types.js';
import type { ScenarioFilter } from '../scenarios/filter.js';
import { loadScenarios } from '../scenarios/load-scenarios.js';
import type { ScenarioSetCache } from '../scenarios/scenario-set-cache.js';
import { isScorerName, validateAssertionValue } from '../scorers/index.js';

/** Loads and validates the scenario files (through `cache` when given), then applies the filter. */
export async function loadScenarioSet(dir: string, filter: ScenarioFilter = {}, cache?: ScenarioSetCache): Promise<Scenario[]> {
  return loadScenarios(dir, { filter, cache, isScorer: isScorerName, validateValue: validateAssertionValue });
}
