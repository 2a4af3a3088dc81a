import type { Command } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { parseYaml as parse, stringifyYaml as stringify } from '../schema-kit/yaml-source.js';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ENV_VARS } from '../config/index.js';
import { createLogger } from '../util/logger.js';
import { PACKAGE_ROOT } from '../util/package-root.js';
import { runCommand } from './cmd-run.js';
import { serveCommand } from './cmd-serve.js';
import { fail } from './fatal.js';
import { fromSandboxError } from './sandbox-errors.js';
import { parseIntArg } from './cmd-run.js';
import { bounded } from '../util/bounded.js';

/** Longest wait for one teardown step (the sandbox's stop). */
const TEARDOWN_MS = 3_000;

export const SHIPPED_SCENARIOS = join(PACKAGE_ROOT, 'scenarios');

interface DemoFlags {
  canaryBot?: string;
  stableBot?: string;
  faults?: string;
  scenarios?: string;
  db?: string;
  reportsDir?: string;
  json?: boolean;
  serve?: boolean;
  port?: number;
  scenario?: string;
  suite?: string;
  maintenance?: string;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('start the built-in sandbox with its demo bots and run every scenario against canary and stable')
    .option('--canary-bot <module>', 'bot module to use as canary_bot (the sandbox bot contract)')
    .option('--stable-bot <module>', 'bot module to use as stable_bot')
    .option('--faults <file>', 'fault file (YAML or JSON) to inject into the sandbox')
    .option('--scenarios <dir>', 'scenario directory (default: the shipped scenarios)')
    .option('--scenario <name|glob>', 'only scenarios whose name matches')
    .option('--suite <suite>', 'only scenarios of this suite')
    .option('--db <file>', 'keep history in this SQLite file (default: TG_CANARY_DB, else a temporary one)')
    .option('--reports-dir <dir>', 'where reports go (default: REPORTS_DIR or ./reports)')
    .option('--json', 'print the verdict JSON on stdout')
    .option('--serve', 'run the serve daemon (status page, verdict API, metrics) against the sandbox')
    .option('--port <port>', 'port for --serve', parseIntArg, 8080)
    .option('--maintenance <file>', 'config file whose `maintenance:` windows the demo uses (other keys are ignored)')
    .action(async (flags: DemoFlags) => {
      try {
        process.exitCode = await demoCommand(flags);
      } catch (e) {
        fail(fromSandboxError(e));
      }
    });
}

/**
 * Settings the sandbox owns in a demo: the test user's login, the data center, the two demo bots and the config file;
 * and the shared PostgreSQL store, so demo runs never land in a production history (the demo keeps SQLite).
 */
const SANDBOX_OWNED = new Set([
  'TG_API_ID', 'TG_API_HASH', 'TG_API_HASH_FILE', 'TG_SESSION', 'TG_SESSION_FILE', 'TG_DC', 'CANARY_BOT', 'STABLE_BOT',
  'TG_CANARY_CONFIG', 'SCENARIOS_DIR', 'TG_CANARY_DATABASE_URL', 'TG_CANARY_DATABASE_URL_FILE',
]);

/**
 * The demo's environment: every tg-canary variable the user set (pushes, alerts, TG_CANARY_DB, REPORTS_DIR, serve
 * settings …) except the ones the sandbox owns, then the sandbox's login and the demo's own paths.
 */
export function demoEnv(user: NodeJS.ProcessEnv, sandboxEnv: Record<string, string>, paths: { db: string; scenarios: string; reports: string }): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const v of ENV_VARS) {
    const value = user[v.name];
    if (value !== undefined && !SANDBOX_OWNED.has(v.name)) env[v.name] = value;
  }
  return {
    MESSAGE_PACING_MS: '0',
    LOG_LEVEL: 'warn',
    ...env,
    ...sandboxEnv,
    TG_CANARY_DB: paths.db,
    SCENARIOS_DIR: paths.scenarios,
    REPORTS_DIR: paths.reports,
  };
}

export async function demoCommand(flags: DemoFlags): Promise<number> {
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });
  const bots: Record<string, string> = {};
  if (flags.canaryBot) bots.canary_bot = resolve(flags.canaryBot);
  if (flags.stableBot) bots.stable_bot = resolve(flags.stableBot);
  // Loaded here, not at start: every command pays for main.ts's imports (cold start of `run`).
  const { startSandbox, DEMO_GROUPS } = await import('@tg-canary/sandbox');
  const dbFlag = flags.db ?? (process.env.TG_CANARY_DB || undefined);
  // With a kept database the demo bots' memory is kept beside it, so cross-run memory scenarios work across runs.
  const stateFile = dbFlag ? `${resolve(dbFlag)}.sandbox-state.json` : undefined;
  const sandbox = await startSandbox({ port: 0, bots, faults: flags.faults ? resolve(flags.faults) : undefined, logger, stateFile, groups: DEMO_GROUPS });
  const tmp = mkdtempSync(join(tmpdir(), 'tg-canary-demo-'));
  // The exit code is decided by the run, before teardown; a teardown step that hangs (a bot still editing its
  // answer when the run ended) is cut off after TEARDOWN_MS and cannot change the code.
  let code: number | undefined;
  try {
    const user = await sandbox.createUser({ firstName: 'Canary', username: 'canary_tester', phone: '+999 000 0001' });
    const env = demoEnv(process.env, sandbox.env(user), {
      db: dbFlag ? resolve(dbFlag) : join(tmp, 'demo.db'),
      scenarios: resolve(flags.scenarios ?? SHIPPED_SCENARIOS),
      reports: resolve(flags.reportsDir ?? (process.env.REPORTS_DIR || './reports')),
    });
    // only the `maintenance:` section of this file applies: the sandbox owns the rest (issue 17)
    if (flags.maintenance) env.TG_CANARY_CONFIG = await maintenanceOnlyConfig(resolve(flags.maintenance), tmp);
    if (flags.serve) {
      process.stderr.write(`tg-canary demo: sandbox on ${sandbox.host}:${sandbox.port}; serving on http://127.0.0.1:${flags.port}/\n`);
      code = await serveCommand({ port: flags.port, host: '127.0.0.1', runOnStart: true, filter: { suite: flags.suite, name: flags.scenario } }, env, tmp);
    } else {
      code = await runCommand({ target: 'both', json: flags.json, scenario: flags.scenario, suite: flags.suite }, env, tmp);
    }
    process.exitCode = code;
    return code;
  } finally {
    await bounded('stopping the sandbox', () => sandbox.stop(), TEARDOWN_MS, {
      onTimeout: (name, ms) => process.stderr.write(`tg-canary demo: ${name} took over ${ms} ms; left behind\n`),
      onError: (name, e) => process.stderr.write(`tg-canary demo: ${name} failed: ${e instanceof Error ? e.message : String(e)}\n`),
    });
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Copies the `maintenance:` section of `file` into a config file of its own in `dir`; returns its path. */
async function maintenanceOnlyConfig(file: string, dir: string): Promise<string> {
  const doc = parse(await readFile(file, 'utf8')) as { maintenance?: unknown } | null;
  const out = join(dir, 'maintenance.yaml');
  await writeFile(out, stringify({ maintenance: doc?.maintenance ?? {} }));
  return out;
}
