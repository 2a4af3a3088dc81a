/**
 * End-to-end harness: the sandbox runs in the test process, the real CLI (`dist/cli/main.js`, built by
 * `npm test`) runs as a child process against it, exactly as a user would run it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSandbox, type Sandbox, type SandboxOptions, type SandboxUser } from '@tg-canary/sandbox';

export const CLI = resolve(__dirname, '../../dist/cli/main.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  json?: Record<string, unknown> & { verdict: string; scenarios: { name: string; suite: string; target: string; status: string; reasons: string[]; latencyMs: { first: number | null; final: number | null } }[]; reasons: string[] };
}

export interface World {
  sandbox: Sandbox;
  user: SandboxUser;
  dir: string;
  scenarios: string;
  env: NodeJS.ProcessEnv;
  /** Writes a scenario file; with `only` (default) the other scenario files are removed first. */
  writeScenario(name: string, yaml: string, opts?: { only?: boolean }): void;
  /** Starts over with an empty history database. */
  freshDb(): void;
  /** Between tests: a fresh database, no faults, the built-in demo bots. */
  reset(): Promise<void>;
  cli(args: string[], extraEnv?: NodeJS.ProcessEnv, opts?: { input?: string; timeoutMs?: number }): Promise<CliResult>;
  close(): Promise<void>;
}

export async function createWorld(opts: SandboxOptions = {}): Promise<World> {
  const sandbox = await startSandbox({ port: 0, ...opts });
  const user = await sandbox.createUser({ firstName: 'E2E' });
  const dir = mkdtempSync(join(tmpdir(), 'tg-canary-e2e-'));
  const scenarios = join(dir, 'scenarios');
  mkdirSync(scenarios);
  let dbCount = 0;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...sandbox.env(user),
    TG_CANARY_DB: join(dir, 'db', 'tg-canary.db'),
    SCENARIOS_DIR: scenarios,
    REPORTS_DIR: join(dir, 'reports'),
    MESSAGE_PACING_MS: '0',
    LOG_LEVEL: 'warn',
  };
  return {
    sandbox,
    user,
    dir,
    scenarios,
    env,
    writeScenario(name, yaml, o = {}) {
      if (o.only !== false) for (const f of readdirSync(scenarios)) rmSync(join(scenarios, f));
      writeFileSync(join(scenarios, `${name}.yaml`), yaml);
    },
    freshDb() {
      dbCount += 1;
      env.TG_CANARY_DB = join(dir, `db${dbCount}`, 'tg-canary.db');
    },
    async reset() {
      this.freshDb();
      sandbox.faults.clear();
      await sandbox.setBot('canary_bot', 'builtin');
      await sandbox.setBot('stable_bot', 'builtin');
    },
    cli: (args, extraEnv = {}, o = {}) => runCli(args, { ...env, ...extraEnv }, o),
    async close() {
      await sandbox.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function runCli(args: string[], env: NodeJS.ProcessEnv, o: { input?: string; timeoutMs?: number; cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, cwd: o.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const t = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(t);
      let json: CliResult['json'];
      if (args.includes('--json')) {
        try {
          json = JSON.parse(stdout) as CliResult['json'];
        } catch {
          json = undefined;
        }
      }
      resolvePromise({ code, stdout, stderr, json });
    });
    if (o.input !== undefined) child.stdin.end(o.input);
    else child.stdin.end();
  });
}
