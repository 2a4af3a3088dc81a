/** What a run reports while it goes (the terminal progress, the serve daemon's live view). */
import type { Scenario, ScenarioResult, TargetName } from '../core/types.js';

export interface ProgressSink {
  scenarioStart?(scenario: Scenario, target: TargetName): void;
  scenarioDone?(result: ScenarioResult): void;
  step?(ev: { scenario: string; target: TargetName; step: number; kind: string; state: 'start' | 'end' }): void;
}
