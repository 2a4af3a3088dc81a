/**
 * `tg-canary sandbox`: start the data center, create a tester user, print (and optionally write) the
 * environment `tg-canary run` reads. The caller (src/cli) owns signals and the terminal.
 */
import { writeFile, chmod } from 'node:fs/promises';
import { SandboxError } from './errors.js';
import type { SandboxLogger } from './logger.js';
import { startSandbox } from './sandbox.js';
import { DEMO_GROUPS } from './demo-bots/demo-groups.js';

export interface SandboxCliOptions {
  port?: number;
  host?: string;
  /** `NAME=MODULE` pairs. */
  bots: string[];
  faults?: string;
  /** Groups file (YAML/JSON); default: the demo world's groups (demo-bots/demo-groups.ts). */
  groups?: string;
  envFile?: string;
  logger?: SandboxLogger;
}

export function parseBotArg(s: string): [string, string] {
  const i = s.indexOf('=');
  if (i <= 0 || i === s.length - 1) {
    throw new SandboxError('SANDBOX_BAD_BOT_ARG', `--bot expects NAME=MODULE, got ${JSON.stringify(s)}`, {
      kind: 'usage',
      hint: 'e.g. --bot canary_bot=./my-bot.mjs',
    });
  }
  return [s.slice(0, i).replace(/^@/, ''), s.slice(i + 1)];
}

export async function runSandboxCli(opts: SandboxCliOptions, out: (line: string) => void): Promise<{ stop(): Promise<void> }> {
  const bots = Object.fromEntries(opts.bots.map(parseBotArg));
  const sandbox = await startSandbox({ port: opts.port ?? 0, host: opts.host, bots, faults: opts.faults, logger: opts.logger, groups: opts.groups ?? DEMO_GROUPS });
  try {
    const user = await sandbox.createUser({ firstName: 'Canary', lastName: 'Tester', username: 'canary_tester' });
    const env = sandbox.env(user);
    const lines = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    if (opts.envFile) {
      await writeFile(opts.envFile, lines.join('\n') + '\n', { mode: 0o600 });
      await chmod(opts.envFile, 0o600);
    }
    for (const l of lines) out(l);
  } catch (e) {
    await sandbox.stop();
    throw e;
  }
  return { stop: () => sandbox.stop() };
}
