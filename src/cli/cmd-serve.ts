import type { Command } from 'commander';
import { loadConfig } from '../config/index.js';
import { systemClock } from '../core/clock.js';
import { createDeliveries } from '../app/deliveries.js';
import { loadScenarioSet } from '../app/scenario-set.js';
import { openStore } from '../store/index.js';
import { createLogger } from '../util/logger.js';
import { parseIntArg } from './cmd-run.js';
import { fail } from './fatal.js';
import { VERSION } from './version.js';

export interface ServeFlags {
  port?: number;
  host?: string;
  config?: string;
  /** Run once right away instead of waiting for the first scheduled tick. */
  runOnStart?: boolean;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('daemon: scheduled runs (node-cron), status page, verdict API for Argo/Flagger, /metrics')
    .option('--port <port>', 'HTTP port (default SERVE_PORT or 8080)', parseIntArg)
    .option('--host <host>', 'HTTP host (default SERVE_HOST or 0.0.0.0)')
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
  const config = await loadConfig({ env, file: flags.config, cwd: configCwd });
  const logger = createLogger({ level: config.logLevel });
  const clock = systemClock;
  const store = openStore(config.paths.db);
  const processStartedAt = clock.now();
  const deliveries = createDeliveries({ config, store, clock, logger, version: VERSION, processStartedAt });
  // Scenario files are checked once at start (refuse to start on bad ones) and re-read before every run.
  await loadScenarioSet(config.paths.scenarios);
  // Loaded here, not at start: prom-client, node-cron and the HTTP server only matter to `serve` (cold start of `run`).
  const [{ createServeDaemon }, { createServeApp }] = await Promise.all([import('../app/serve-daemon.js'), import('../status/http-server.js')]);
  const daemon = createServeDaemon({
    config, store, clock, logger, version: VERSION, processStartedAt, deliveries,
    loadScenarios: () => loadScenarioSet(config.paths.scenarios),
  });
  const app = createServeApp({ ...daemon.deps, clock, logger });
  const port = await app.listen(flags.port ?? config.serve.port, flags.host ?? config.serve.host);
  process.stderr.write(`tg-canary serve: listening on http://${flags.host ?? config.serve.host}:${port}/ (schedule "${config.serve.schedule}")\n`);
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
  store.close();
  return 0;
}
