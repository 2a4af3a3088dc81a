/**
 * The schema kit: zod (`z`), zod issues as short value-free messages, durations. YAML with line numbers is in
 * `./yaml-source.js`, imported on its own so that a run configured by env alone never loads the YAML parser.
 */
export { z } from './zod.js';
export { formatPath, plainIssues, suggest, editDistance, type KeyPath, type PlainIssue } from './zod-issues.js';
export { parseDuration, formatDuration, DURATION_HINT, MAX_DURATION_MS, MAX_DURATION_MSG } from './duration.js';
