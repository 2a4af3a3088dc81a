export { loadScenarios, type LoadScenariosOptions } from './load-scenarios.js';
export { readScenarioSources, findScenarioFiles, type ScenarioSource } from './read-sources.js';
export { pickScenarios, matchesFilter, globToRegExp, type ScenarioFilter } from './filter.js';
export { cachedOrParsed, scenarioSetKey, cacheJson, type ScenarioSetCache } from './scenario-set-cache.js';
export { parseScenarioSources } from './parse-sources.js';
export { parseScenarioFile, checkScenarioText, DEFAULTS as SCENARIO_DEFAULTS, type ParseOptions } from './parse-file.js';
export { scenarioJsonSchema, STEP_KINDS, type StepKind } from './schema.js';
export { applyTemplate, applyTemplateToStep, applyTemplateToAssertion, templateVars, BUILTIN_VARS } from './template.js';
