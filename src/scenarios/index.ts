export {
  loadScenarios,
  readScenarioSources,
  pickScenarios,
  findScenarioFiles,
  matchesFilter,
  globToRegExp,
  type LoadScenariosOptions,
  type ScenarioFilter,
  type ScenarioSource,
} from './load-scenarios.js';
export { parseScenarioSources } from './parse-sources.js';
export { parseScenarioFile, checkScenarioText, DEFAULTS as SCENARIO_DEFAULTS, type ParseOptions } from './parse-file.js';
export { scenarioJsonSchema, STEP_KINDS, type StepKind } from './schema.js';
export { applyTemplate, applyTemplateToStep, applyTemplateToAssertion, templateVars, BUILTIN_VARS } from './template.js';
