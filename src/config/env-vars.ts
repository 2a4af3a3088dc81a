/**
 * Every environment variable tg-canary reads: the single source for the loader, `.env.example` and the README
 * table. `path` is the key path in the resolved Config (and in the YAML config file).
 */

import type { PluginEnvVar } from '../delivery/plugin.js';
import { NOTIFIERS } from '../notifiers/index.js';
import { PUSHERS } from '../status/pushers/index.js';

export type EnvKind = 'string' | 'int' | 'number' | 'bool' | 'duration' | 'list' | 'hostport' | 'bot' | 'file' | 'config-file';

export interface EnvVar {
  name: string;
  /** Config key path, e.g. `telegram.apiId`; `-` for the config-file pointer. */
  path: string;
  description: string;
  /** Default as written in an env file; absent = unset by default. */
  default?: string;
  secret: boolean;
  example?: string;
  /** How the string is converted before the schema checks it (`file` = read the secret from that file). */
  kind: EnvKind;
  /** Section heading in `.env.example` and the README. */
  group: string;
}

const v = (group: string, name: string, path: string, kind: EnvKind, description: string, extra: Partial<EnvVar> = {}): EnvVar => ({
  name, path, kind, description, group, secret: false, ...extra,
});

const fileOf = (group: string, name: string, path: string): EnvVar =>
  v(group, `${name}_FILE`, path, 'file', `Read ${name} from this file instead (Kubernetes secret volume); do not set both.`, {
    example: `/run/secrets/${name.toLowerCase()}`,
  });

/** A plugin's env vars (its own list) as config env vars under `<section>.<configKey>`; secret = a field in `secrets`. */
function pluginEnvVars(group: string, section: string,
  map: Record<string, { configKey: string; envVars: readonly PluginEnvVar[]; secrets: readonly string[] }>): EnvVar[] {
  const out: EnvVar[] = [];
  for (const plugin of Object.values(map)) {
    for (const e of plugin.envVars) {
      const path = e.field ? `${section}.${plugin.configKey}.${e.field}` : `${section}.${plugin.configKey}`;
      const secret = plugin.secrets.includes(e.field);
      const extra: Partial<EnvVar> = { secret };
      if (e.default !== undefined) extra.default = e.default;
      if (e.example !== undefined) extra.example = e.example;
      out.push(v(group, e.name, path, e.kind, e.doc, extra));
      if (e.fromFile) out.push(fileOf(group, e.name, path));
    }
  }
  return out;
}

const TG = 'Telegram user session';
const TGT = 'Bots under test';
const P = 'Paths';
const R = 'Runs and verdict';
const J = 'LLM judge (llm-rubric assertions)';
const A = 'Alerts';
const S = 'Status outputs';
const SV = 'serve (scheduler and status server)';

export const ENV_VARS: readonly EnvVar[] = [
  v('General', 'TG_CANARY_CONFIG', '-', 'config-file', 'Path of the YAML config file (same keys as the Config, camelCase); env vars override it.', { default: './tg-canary.config.yaml', example: './tg-canary.config.yaml' }),
  v('General', 'LOG_LEVEL', 'logLevel', 'string', 'Log level: fatal, error, warn, info, debug, trace or silent.', { default: 'warn' }),

  v(TG, 'TG_API_ID', 'telegram.apiId', 'int', 'Telegram API id of the test user app (my.telegram.org).', { example: '1234567' }),
  v(TG, 'TG_API_HASH', 'telegram.apiHash', 'string', 'Telegram API hash of the test user app.', { secret: true, example: '0123456789abcdef0123456789abcdef' }),
  fileOf(TG, 'TG_API_HASH', 'telegram.apiHash'),
  v(TG, 'TG_SESSION', 'telegram.session', 'string', 'StringSession (teleproto/gramjs format) of the logged-in test user (from `tg-canary login`).', { secret: true, example: '1BVtsOK...' }),
  v(TG, 'TG_SESSION_FILE', 'telegram.sessionFile', 'file', 'File holding the session string instead of TG_SESSION; do not set both.', { example: '/run/secrets/tg_session' }),
  v(TG, 'TG_DC', 'telegram.dc', 'hostport', 'host:port of the data center to use (sandbox and tests only).', { example: '127.0.0.1:4430' }),
  v(TG, 'TG_CONNECTION', 'telegram.connection', 'string', 'MTProto transport: full, abridged or intermediate.', { default: 'full' }),
  v(TG, 'FLOOD_SLEEP_THRESHOLD', 'telegram.floodSleepThresholdSec', 'int', 'Flood waits up to this many seconds are slept through; longer ones make the run inconclusive.', { default: '30' }),
  v(TG, 'RPC_TIMEOUT_MS', 'telegram.rpcTimeoutMs', 'duration', 'Timeout of one Telegram API call (ms or a duration such as 15s).', { default: '15000' }),
  v(TG, 'MESSAGE_PACING_MS', 'telegram.pacingMs', 'duration', 'Minimum gap between two messages the test user sends (ms).', { default: '300' }),
  v(TG, 'TG_CANARY_ACCOUNTS', 'telegram.shard', 'list', 'Names of the telegram.accounts this process drives (one Kubernetes shard); it runs only the pairs the assignment over all accounts gives them.', { example: 'acct-1,acct-2' }),
  v(TG, 'MEDIA_MAX_DOWNLOAD_BYTES', 'telegram.mediaMaxDownloadBytes', 'int', 'Largest bot file downloaded for a media assertion (sha256, file-is-json, …); a bigger file fails it (MEDIA_TOO_LARGE).', { default: '20971520' }),

  v(TGT, 'CANARY_BOT', 'targets.canary', 'bot', 'Username of the canary bot (the new release); a leading @ is stripped.', { example: '@my_bot_canary' }),
  v(TGT, 'STABLE_BOT', 'targets.stable', 'bot', 'Username of the stable bot (the baseline); optional.', { example: '@my_bot' }),

  v(P, 'TG_CANARY_DB', 'paths.db', 'string', 'SQLite database file of runs.', { default: './data/tg-canary.db' }),
  v(P, 'TG_CANARY_DATABASE_URL', 'paths.databaseUrl', 'string', 'PostgreSQL store shared by several processes or pods (postgres://USER:PASSWORD@HOST:PORT/DATABASE); when set, TG_CANARY_DB is not used.', { secret: true, example: 'postgres://tg_canary:change-me@postgres:5432/tg_canary' }),
  fileOf(P, 'TG_CANARY_DATABASE_URL', 'paths.databaseUrl'),
  v(P, 'SCENARIOS_DIR', 'paths.scenarios', 'string', 'Folder of scenario YAML files.', { default: './scenarios' }),
  v(P, 'REPORTS_DIR', 'paths.reports', 'string', 'Folder the reports are written to.', { default: './reports' }),
  v(P, 'CHROMIUM_PATH', 'paths.chromium', 'string', 'Chromium binary for PDF reports and `web` steps.', { default: '/usr/bin/chromium' }),

  v(R, 'KEEP_DAYS', 'run.keepDays', 'int', 'Runs older than this many days are pruned (at least 7: the verdict reads earlier runs).', { default: '90' }),
  v(R, 'RETRY_FAILED', 'run.retryFailed', 'int', 'Re-run failed canary scenarios once before judging (0 off, 1 on); a pass on retry is shown as flaky.', { default: '0' }),
  v(R, 'INCONCLUSIVE_EXIT_CODE', 'run.inconclusiveExitCode', 'int', 'Exit code of an inconclusive run (0..255).', { default: '3' }),
  v(R, 'ROLLBACK_AFTER', 'verdict.rollbackAfter', 'int', 'Consecutive failed runs before the decision is rollback.', { default: '1' }),
  v(R, 'LATENCY_P95_BUDGET_MS', 'verdict.latencyP95BudgetMs.default', 'duration', 'Default p95 latency budget per suite (ms); per-suite budgets go in the config file.', { example: '5000' }),
  v(R, 'LATENCY_WINDOW_RUNS', 'verdict.latencyWindowRuns', 'int', 'Runs of history compared for latency regressions.', { default: '10' }),
  v(R, 'LATENCY_TOLERANCE', 'verdict.latencyTolerance', 'number', 'Allowed slow-down of canary against stable (0.2 = 20% slower).', { default: '0.2' }),
  v(R, 'LATENCY_ALPHA', 'verdict.latencyAlpha', 'number', 'Significance level of the latency regression test.', { default: '0.05' }),
  v(R, 'FLAKY_WINDOW_RUNS', 'verdict.flakyWindowRuns', 'int', 'Runs of history looked at for flaky scenarios.', { default: '10' }),
  v(R, 'FLAKY_FLIPS', 'verdict.flakyFlips', 'int', 'Pass/fail flips in the window that mark a scenario flaky.', { default: '3' }),
  v(R, 'FAILURE_WINDOW_RUNS', 'verdict.failureWindowRuns', 'int', 'Previous runs pooled with this one when canary and stable failure rates are compared.', { default: '5' }),
  v(R, 'FAILURE_ALPHA', 'verdict.failureAlpha', 'number', "Family-wise significance level of the one-sided Fisher exact test of failure rates (Holm-corrected over overall and suites).", { default: '0.05' }),
  v(R, 'FAILURE_TOLERANCE', 'verdict.failureTolerance', 'number', 'Smallest canary − stable failure-rate difference that can fail the canary (0.1 = 10 points).', { default: '0.1' }),
  v(R, 'FAILURE_MIN_SAMPLES', 'verdict.failureMinSamples', 'int', 'Fewest graded attempts per target (in the window) before failure rates are judged; fewer = insufficient evidence.', { default: '5' }),

  v(J, 'LLM_JUDGE_URL', 'llmJudge.baseUrl', 'string', 'OpenAI-compatible base URL (…/v1); unset = llm-rubric off.', { example: 'http://127.0.0.1:11434/v1' }),
  v(J, 'LLM_JUDGE_API_KEY', 'llmJudge.apiKey', 'string', 'Bearer key of the judge endpoint.', { secret: true, example: 'sk-...' }),
  fileOf(J, 'LLM_JUDGE_API_KEY', 'llmJudge.apiKey'),
  v(J, 'LLM_JUDGE_MODEL', 'llmJudge.model', 'string', 'Model name sent to the judge (required with LLM_JUDGE_URL).', { example: 'gpt-4o-mini' }),
  v(J, 'LLM_JUDGE_TIMEOUT_MS', 'llmJudge.timeoutMs', 'duration', 'Timeout of one judge request (ms).', { default: '30000' }),

  v(A, 'ALERT_FAILURE_THRESHOLD', 'alerts.failureThreshold', 'int', 'Consecutive failed runs before an alert is sent.', { default: '1' }),
  v(A, 'ALERT_SUCCESS_THRESHOLD', 'alerts.successThreshold', 'int', 'Consecutive passing runs before a resolved message is sent.', { default: '1' }),
  v(A, 'ALERT_REMINDER_INTERVAL', 'alerts.reminderIntervalMs', 'duration', 'Re-send an open alert this often (e.g. 4h); 0 = never.', { default: '0', example: '4h' }),
  v(A, 'ALERT_INCONCLUSIVE_THRESHOLD', 'alerts.inconclusiveThreshold', 'int', 'Consecutive inconclusive runs before a "cannot test" alert.', { default: '3' }),
  ...pluginEnvVars(A, 'alerts', NOTIFIERS),

  ...pluginEnvVars(S, 'status', PUSHERS),
  v(S, 'STATUS_FILE', 'status.statusFile', 'bool', 'Write reports/status.json after each run.', { default: 'true' }),

  v(SV, 'SERVE_HOST', 'serve.host', 'string', 'Address the status server listens on.', { default: '0.0.0.0' }),
  v(SV, 'SERVE_PORT', 'serve.port', 'int', 'Port of the status server (0 = any free port).', { default: '8080' }),
  v(SV, 'SERVE_SCHEDULE', 'serve.schedule', 'string', 'Cron expression of scheduled runs (5 or 6 fields).', { default: '0 * * * *' }),
  v(SV, 'SERVE_JITTER_SECONDS', 'serve.jitterSec', 'int', 'Random delay (0..n s) before each scheduled run.', { default: '60' }),
  v(SV, 'SERVE_TOKEN', 'serve.token', 'string', 'Bearer token for POST /run (and reads when SERVE_PRIVATE_READS).', { secret: true, example: 'change-me' }),
  fileOf(SV, 'SERVE_TOKEN', 'serve.token'),
  v(SV, 'SERVE_PRIVATE_READS', 'serve.privateReads', 'bool', 'Require the token for reports and history too.', { default: 'false' }),
  v(SV, 'SERVE_MAX_RUNS_PER_HOUR', 'serve.maxRunsPerHour', 'int', 'Cap on runs started over HTTP per hour (POST /v1/runs, a new revision on /v1/verdict or the Flagger gate).', { default: '12' }),
  v(SV, 'SERVE_RUN_ALLOW', 'serve.runAllow', 'list', 'Client addresses (IPs or CIDR subnets) that may start runs for a new revision without SERVE_TOKEN.', { example: '10.0.0.0/8,127.0.0.1' }),
];

/** Env var names by config path (the plain variable, not its `_FILE` twin). */
export function envVarForPath(path: string): EnvVar | undefined {
  return ENV_VARS.find((e) => e.path === path && e.kind !== 'file') ?? ENV_VARS.find((e) => e.path === path);
}

/** Config paths holding secrets. */
export const SECRET_PATHS: readonly string[] = ENV_VARS.filter((e) => e.secret).map((e) => e.path);
