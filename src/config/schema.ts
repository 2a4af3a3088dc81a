/**
 * The one strict schema of the resolved configuration. Env vars and the YAML file are both turned into this
 * nested shape first (see load-config.ts); the `Config` type is inferred from it.
 */
import { isIP } from 'node:net';
import { z } from '../schema-kit/zod.js';
import { validateSchedule } from '../scheduler/index.js';
import { safeRegexProblem } from '../util/safe-regex.js';
import { sectionShape } from '../delivery/plugin.js';
import { NOTIFIERS } from '../notifiers/index.js';
import { PUSHERS } from '../status/pushers/index.js';
import { httpUrl, int } from './schema-parts.js';
import { checkEscalationChannels, escalationSchema } from './escalation-schema.js';
import { parseCron } from '../core/cron-match.js';
import { MAX_WINDOW_MS } from '../core/maintenance.js';
import { parseDuration } from '../schema-kit/duration.js';
import { pairListSchema } from './pairs-schema.js';
import { accountShardSchema, accountsSchema } from './accounts-schema.js';
import { budgetDefault, budgetSchema } from './budget-schema.js';

const BOT_RE = /^[A-Za-z][A-Za-z0-9_]{2,31}$/;


function isCron(s: string): boolean {
  try {
    validateSchedule(s);
    return true;
  } catch {
    return false;
  }
}

const botName = z
  .string()
  .transform((s) => s.trim().replace(/^@/, ''))
  .refine((s) => s === '' || BOT_RE.test(s), {
    message: 'is not a Telegram username',
    params: { hint: 'use the bot username, e.g. @my_bot (5-32 letters, digits, underscores)' },
  });

const telegram = z.strictObject({
  apiId: int(0).default(0),
  apiHash: z.string().default(''),
  session: z.string().default(''),
  sessionFile: z.string().min(1).optional(),
  dc: z.strictObject({ host: z.string().min(1), port: int(1, 65535) }).optional(),
  connection: z.enum(['full', 'abridged', 'intermediate']).default('full'),
  floodSleepThresholdSec: int(0, 86_400).default(30),
  rpcTimeoutMs: int(1).default(15_000),
  pacingMs: int(0).default(300),
  accounts: accountsSchema,
  shard: accountShardSchema,
  budget: budgetSchema.default(budgetDefault),
  /** Cap on a bot file downloaded for a media assertion (sha256, file-is-json…): 20 MiB. */
  mediaMaxDownloadBytes: int(1).default(20 * 1024 * 1024),
});

const targets = z.strictObject({
  canary: botName.default(''),
  stable: botName.optional(),
});

const paths = z.strictObject({
  db: z.string().min(1).default('./data/tg-canary.db'),
  /** PostgreSQL store (issue 19 point 5): when set, runs are stored there instead of the SQLite file `db`. */
  databaseUrl: z.string().regex(/^postgres(ql)?:\/\/\S+$/i, 'must be a postgres://USER:PASSWORD@HOST:PORT/DATABASE URL').optional(),
  /** PostgreSQL only: the schema of the store's tables (created when missing); default the connection's. A fleet pair gets `tg_canary_pair_<name>`. */
  pgSchema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case schema name (letters, digits, underscores; at most 63)').optional(),
  scenarios: z.string().min(1).default('./scenarios'),
  reports: z.string().min(1).default('./reports'),
  chromium: z.string().min(1).default('/usr/bin/chromium'),
});

/** The smallest `run.keepDays`: a week of history, so the verdict's streaks and windows survive pruning. */
export const MIN_KEEP_DAYS = 7;

const run = z.strictObject({
  keepDays: int(MIN_KEEP_DAYS).default(90),
  inconclusiveExitCode: int(0, 255).default(3),
  concurrency: z.literal('parallel-targets').default('parallel-targets'),
  /** Re-run failed canary scenarios once before judging (0 = off, the default: see docs/escalation.md). */
  retryFailed: int(0, 1).default(0),
});

const verdict = z.strictObject({
  rollbackAfter: int(1).default(1),
  latencyP95BudgetMs: z.record(z.string().min(1), int(1)).default({}),
  latencyWindowRuns: int(2).default(10),
  latencyTolerance: z.number().min(0).max(10).default(0.2),
  latencyAlpha: z.number().gt(0).lt(1).default(0.05),
  flakyWindowRuns: int(2).default(10),
  flakyFlips: int(1).default(3),
  failureWindowRuns: int(0, 1000).default(5),
  failureAlpha: z.number().gt(0).lt(1).default(0.05),
  failureTolerance: z.number().min(0).max(1).default(0.1),
  failureMinSamples: int(1).default(5),
});

const llmJudge = z.strictObject({
  baseUrl: httpUrl,
  apiKey: z.string().min(1).optional(),
  model: z.string().min(1),
  timeoutMs: int(1).default(30_000),
});

const checkSwitch = z.strictObject({
  'not-error': z.boolean().optional(),
  'not-leak': z.boolean().optional(),
  complete: z.boolean().optional(),
  'not-refusal': z.boolean().optional(),
  'like-stable': z.boolean().optional(),
});

const checks = z.strictObject({
  /** Default checks on/off for every scenario (over the built-in defaults). */
  defaults: checkSwitch.default({}),
  /** Per-suite switches, e.g. { rag: { like-stable: false } }. */
  suites: z.record(z.string().min(1), checkSwitch).default({}),
  errorPhrases: z.array(z.string().min(1)).default([]),
  refusalPhrases: z.array(z.string().min(1)).default([]),
  /** Extra not-leak patterns, RE2 syntax (linear time). */
  leakPatterns: z
    .array(z.string().min(1).refine((p) => safeRegexProblem(p) === undefined, { message: 'is not a pattern the linear-time regex engine (RE2) can run', params: { hint: 'no lookahead, lookbehind or backreferences; escape ( ) [ ] . * + ? with a backslash' } }))
    .default([]),
});

const alerts = z.strictObject({
  failureThreshold: int(1).default(1),
  successThreshold: int(1).default(1),
  reminderIntervalMs: int(0).default(0),
  inconclusiveThreshold: int(1).default(3),
  /** Per-channel `after` and `quietHours` (src/config/escalation-schema.ts). */
  escalation: escalationSchema.optional(),
  // one optional section per notifier plugin (src/notifiers/index.ts); an unknown name is a config error
  ...sectionShape(NOTIFIERS),
}).superRefine(checkEscalationChannels);

const status = z.strictObject({
  // one optional key per status pusher plugin (src/status/pushers/index.ts)
  ...sectionShape(PUSHERS),
  statusFile: z.boolean().default(true),
});

const serve = z.strictObject({
  host: z.string().min(1).default('0.0.0.0'),
  port: int(0, 65535).default(8080),
  schedule: z
    .string()
    .refine(isCron, { message: 'is not a valid cron expression', params: { hint: 'use 5 or 6 cron fields, e.g. "0 * * * *" (hourly)' } })
    .default('0 * * * *'),
  jitterSec: int(0, 86_400).default(60),
  token: z.string().min(1).optional(),
  privateReads: z.boolean().default(false),
  maxRunsPerHour: int(1).default(12),
  /** Addresses allowed to start runs for a new revision without the token (IPs or CIDR subnets). */
  runAllow: z.array(z.string().refine(isAddressOrSubnet, {
    message: 'is not an IP address or CIDR subnet',
    params: { hint: 'use e.g. 10.0.0.0/8, 192.168.1.5 or fd00::/8' },
  })).default([]),
});

const maintenanceMatchers = z.strictObject({
  target: z.enum(['canary', 'stable']).optional(),
  suite: z.string().min(1).optional(),
  scenario: z.string().min(1).optional(),
});
const maintenanceTime = z.string().refine((s) => Number.isFinite(Date.parse(s)), {
  message: 'is not a date-time', params: { hint: 'write an ISO 8601 time such as 2026-12-24T22:00:00Z' },
}).transform((s) => Date.parse(s));
/** One window: `start`+`end` (one-off) or `cron`+`duration` (recurring, UTC). Issue 17. */
const maintenanceWindow = z.strictObject({
  name: z.string().min(1).max(80),
  mode: z.enum(['pause', 'run-silently']).optional(),
  start: maintenanceTime.optional(),
  end: maintenanceTime.optional(),
  cron: z.string().refine(isMaintenanceCron, { message: 'is not a 5-field cron expression', params: { hint: 'e.g. "0 2 * * sun" (Sundays 02:00 UTC)' } }).optional(),
  duration: z.string().refine((s) => { const ms = parseDuration(s); return ms !== undefined && ms > 0 && ms <= MAX_WINDOW_MS; },
    { message: 'is not a duration of at most 7d', params: { hint: 'write e.g. 2h or 90m' } }).transform((s) => parseDuration(s) ?? 0).optional(),
  match: maintenanceMatchers.default({}),
}).refine((w) => (w.start !== undefined && w.end !== undefined && w.end > w.start && w.cron === undefined && w.duration === undefined)
  || (w.cron !== undefined && w.duration !== undefined && w.start === undefined && w.end === undefined), {
  message: 'needs either start and end (end after start) or cron and duration',
  params: { hint: 'one-off: { start: 2026-12-24T22:00:00Z, end: 2026-12-25T02:00:00Z }; recurring: { cron: "0 2 * * sun", duration: 2h }' },
});
const maintenance = z.strictObject({
  /** pause: no scheduled runs, the verdict reads `maintenance`; run-silently: runs go on without alerts. */
  mode: z.enum(['pause', 'run-silently']).default('pause'),
  windows: z.array(maintenanceWindow).default([]),
});

function isMaintenanceCron(s: string): boolean {
  try {
    parseCron(s);
    return true;
  } catch {
    return false;
  }
}

function isAddressOrSubnet(v: string): boolean {
  const [addr, bits, extra] = v.split('/');
  if (extra !== undefined || !addr) return false;
  const family = isIP(addr);
  if (family === 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d{1,3}$/.test(bits) && n >= 0 && n <= (family === 4 ? 32 : 128);
}

const NOTIFIER_CONFIG_KEYS = Object.values(NOTIFIERS).map((p) => p.configKey) as [string, ...string[]];

export const ConfigSchema = z.strictObject({
  telegram: telegram.default(() => telegram.parse({})),
  targets: targets.default(() => targets.parse({})),
  paths: paths.default(() => paths.parse({})),
  run: run.default(() => run.parse({})),
  verdict: verdict.default(() => verdict.parse({})),
  llmJudge: llmJudge.optional(),
  checks: checks.default(() => checks.parse({})),
  alerts: alerts.default(() => alerts.parse({})),
  status: status.default(() => status.parse({})),
  serve: serve.default(() => serve.parse({})),
  maintenance: maintenance.default(() => maintenance.parse({})),
  /** Many bot pairs from one deployment (src/config/pairs-schema.ts); absent: one implicit pair from `targets`. */
  pairs: pairListSchema(verdict, botName, NOTIFIER_CONFIG_KEYS).optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
});

export type Config = z.output<typeof ConfigSchema>;

/** Allowed keys of the mapping at a config key path (for "did you mean" hints). */
export function configKeysAt(path: readonly PropertyKey[]): readonly string[] {
  let node: z.ZodType = ConfigSchema;
  for (const part of path) {
    node = unwrap(node);
    if (!(node instanceof z.ZodObject)) return [];
    const next: z.ZodType | undefined = (node.shape as Record<string, z.ZodType>)[String(part)];
    if (!next) return [];
    node = next;
  }
  node = unwrap(node);
  return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

function unwrap(t: z.ZodType): z.ZodType {
  let cur = t;
  for (;;) {
    if (cur instanceof z.ZodDefault || cur instanceof z.ZodOptional) cur = cur.unwrap() as z.ZodType;
    else return cur;
  }
}
