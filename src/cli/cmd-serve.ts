import type { Command } from 'commander';
import { loadConfig } from '../config/index.js';
import { configFlags } from '../config/flag-source.js';
import { parseNameList } from './name-list.js';
import { loadScenarioSet } from '../app/scenario-set.js';
import { buildRuntime } from '../app/runtime.js';
import { usesFleet } from '../config/pair-config.js';
import type { ScenarioFilter } from '../scenarios/filter.js';
import { createLogger } from '../util/logger.js';
import { parseIntArg } from './cmd-run.js';
import { fail } from './fatal.js';
import { VERSION } from './version.js';

export interface ServeFlags {
  port?: number;
  /** The accounts of telegram.accounts this process drives (a shard). */
  accounts?: string[];
  host?: string;
  config?: string;
  /** Run once right away instead of waiting for the first scheduled tick. */
  runOnStart?: boolean;
  /** Only these scenarios on every run (`demo --serve --suite joke`); default all. */
  filter?: ScenarioFilter;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('daemon: scheduled runs (node-cron), status page, verdict API for Argo/Flagger, /metrics')
    .option('--port <port>', 'HTTP port (default SERVE_PORT or 8080)', parseIntArg)
    .option('--host <host>', 'HTTP host (default SERVE_HOST or 0.0.0.0)')
    .option('--accounts <names>', 'drive only these accounts of telegram.accounts (a shard; default TG_CANARY_ACCOUNTS or all)', parseNameList)
    .option('--run-on-start', 'run once right away')
    .option('--config <file>', 'config file')
    .action(async (flags: ServeFlags) => {
      try {
        process.exitCode = await serveCommand(flags);
      } catch (e) {
        fail(e);
      }
    });
}

/** Runs until SIGINT/SIGTERM; the current run is finished or recorded as aborted, never lost. */
export async function serveCommand(flags: ServeFlags, env: NodeJS.ProcessEnv = process.env, configCwd?: string): Promise<number> {
  // --port and --host are a config source, validated with env and file (serve.port, serve.host).
  const config = await loadConfig({ env, file: flags.config, cwd: configCwd, flags: configFlags({ port: flags.port, host: flags.host, accounts: flags.accounts }) });
  const logger = createLogger({ level: config.logLevel });
  const rt = buildRuntime(config, { logger, version: VERSION });
  const { clock } = rt;
  // Scenario files are checked once at start (refuse to start on bad ones) and re-read before every run.
  await loadScenarioSet(config.paths.scenarios, flags.filter);
  // Loaded here, not at start: prom-client, node-cron and the HTTP server only matter to `serve` (cold start of `run`).
  const [{ createServeDaemon }, { createFleetDaemon }, { createServeApp }] = await Promise.all([
    import('../app/serve-daemon.js'), import('../app/fleet-daemon.js'), import('../status/http-server.js'),
  ]);
  // with `pairs:` every cycle runs the fleet (one section, verdict and metrics label per pair)
  const daemon = (usesFleet(config) ? createFleetDaemon : createServeDaemon)({
    ...rt, deliveries: rt.deliveries(),
    loadScenarios: () => loadScenarioSet(config.paths.scenarios, flags.filter),
  });
  const app = createServeApp({ ...daemon.deps, clock, logger });
  const port = await app.listen(config.serve.port, config.serve.host);
  process.stderr.write(`tg-canary serve: listening on http://${config.serve.host}:${port}/ (schedule "${config.serve.schedule}")\n`);
  daemon.scheduler.start();
  const outboxTimer = setInterval(() => void daemon.tick().catch((e: unknown) => logger.error({ err: String(e) }, 'outbox tick failed')), 60_000);
  outboxTimer.unref();
  if (flags.runOnStart) void daemon.scheduler.runNow('start');

  await new Promise<void>((resolve) => {
    const stop = (sig: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.stderr.write(`tg-canary serve: ${sig}, stopping (the current run finishes or is stored as aborted)…\n`);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  clearInterval(outboxTimer);
  await daemon.stop(7000);
  await app.close();
  rt.close();
  return 0;
}
