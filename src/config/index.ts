export { loadConfig, DEFAULT_CONFIG_FILE, type LoadConfigOptions, type ConfigRequirement } from './load-config.js';
export { ConfigSchema, type Config } from './schema.js';
export { ENV_VARS, SECRET_PATHS, type EnvVar, type EnvKind } from './env-vars.js';
export { renderEnvExample, renderEnvMarkdown } from './env-docs.js';
export { redactConfig, REDACTED, secretValues } from './redact.js';
export { parseDuration, formatDuration, DURATION_HINT } from '../schema-kit/duration.js';
