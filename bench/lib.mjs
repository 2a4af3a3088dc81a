/**
 * Shared helpers of the bench scripts: BENCH lines, quantiles, the dist/ location, a sandbox in a child process,
 * and spawning the real CLI. Plain ESM; imports tg-canary only from dist/ (run `npm run build` first).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const benchDir = dirname(fileURLToPath(import.meta.url));
export const root = resolve(benchDir, '..');
export const distDir = resolve(process.env.TG_CANARY_DIST ?? join(root, 'dist'));
export const CLI = join(distDir, 'cli', 'main.js');

/** Imports a module of dist/, e.g. `dist('telegram/client-factory.js')` (the sandbox is the package `@tg-canary/sandbox`). */
export function dist(rel) {
  return import(pathToFileURL(join(distDir, rel)).href);
}

/** `BENCH <id> <value> <unit> target <op> <value> met|missed`; info lines use `target info - info`. */
export function bench(id, value, unit, op, target) {
  const v = typeof value === 'number' ? round(value) : value;
  if (op === undefined) {
    console.log(`BENCH ${id} ${v} ${unit} target info - info`);
    return true;
  }
  const ok = op === '<=' ? value <= target : op === '<' ? value < target : op === '>=' ? value >= target : value > target;
  console.log(`BENCH ${id} ${v} ${unit} target ${op} ${target} ${ok ? 'met' : 'missed'}`);
  return ok;
}

export function round(x) {
  if (!Number.isFinite(x)) return x;
  const a = Math.abs(x);
  return a >= 100 ? Math.round(x) : a >= 10 ? Math.round(x * 10) / 10 : Math.round(x * 100) / 100;
}

/** Nearest-rank quantile (p in 0..100) of an unsorted array. */
export function quantile(xs, p) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[i];
}

export const median = (xs) => quantile(xs, 50);

export function tempDir(prefix = 'tg-canary-bench-') {
  const d = mkdtempSync(join(tmpdir(), prefix));
  return { dir: d, sub: (...p) => { const x = join(d, ...p); mkdirSync(x, { recursive: true }); return x; }, remove: () => rmSync(d, { recursive: true, force: true }) };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `bench/sandbox-child.mjs` (a sandbox in its own process). Returns its env for the CLI, a `call(cmd)`
 * JSON request/response channel, and `stop()`.
 */
export async function startSandboxChild(opts = {}) {
  const proc = spawn(process.execPath, [join(benchDir, 'sandbox-child.mjs')], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, BENCH_SANDBOX_OPTS: JSON.stringify(opts) },
  });
  const lines = createInterface({ input: proc.stdout });
  const waiting = [];
  lines.on('line', (l) => {
    let msg;
    try {
      msg = JSON.parse(l);
    } catch {
      return;
    }
    waiting.shift()?.(msg);
  });
  const next = () => new Promise((r) => waiting.push(r));
  const exited = new Promise((r) => proc.once('exit', r));
  const first = await Promise.race([next(), exited.then(() => ({ error: 'sandbox child exited' }))]);
  if (first.error) throw new Error(first.error);
  return {
    env: first.env,
    info: first,
    pid: proc.pid,
    async call(cmd) {
      const p = next();
      proc.stdin.write(`${JSON.stringify(cmd)}\n`);
      const r = await p;
      if (r.error) throw new Error(r.error);
      return r;
    },
    async stop() {
      proc.stdin.end();
      const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}

/**
 * Runs the real CLI. Resolves with code, stdout, stderr, the spawn time (epoch ms, taken right before spawn),
 * and the exit time. `opts.wrap` runs it under another program (e.g. /usr/bin/time -v); `opts.nodeArgs` go to node.
 */
export function runCli(args, env, opts = {}) {
  return new Promise((resolvePromise, reject) => {
    const nodeArgs = [...(opts.nodeArgs ?? []), CLI, ...args];
    const cmd = opts.wrap ? opts.wrap[0] : process.execPath;
    const argv = opts.wrap ? [...opts.wrap.slice(1), process.execPath, ...nodeArgs] : nodeArgs;
    const spawnAt = Date.now();
    const child = spawn(cmd, argv, { env, cwd: opts.cwd ?? root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const t = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(t);
      resolvePromise({ code, stdout, stderr, spawnAt, exitAt: Date.now() });
    });
  });
}

/** The environment for `tg-canary run` against a sandbox, in a fresh temp dir. */
export function cliEnv(sandboxEnv, dir, extra = {}) {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...sandboxEnv,
    TG_CANARY_DB: join(dir, 'db', 'tg-canary.db'),
    REPORTS_DIR: join(dir, 'reports'),
    SCENARIOS_DIR: join(root, 'scenarios'),
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** Runs `main` and always exits 0, printing a BENCH error line when it throws. */
export function runBench(name, main) {
  main()
    .catch((e) => {
      console.error(`${name} bench failed: ${e instanceof Error ? e.stack : String(e)}`);
      console.log(`BENCH ${name}-error 1 count target <= 0 missed`);
    })
    .finally(() => process.exit(0));
}

/**
 * The real driver (dist/telegram/driver.js) on a fresh client aimed at a sandbox child's `info`, as the benches use
 * it: system clock, silent logger, 15 s RPC deadline, no pacing. `extra` adds driver options (e.g. isProgress).
 */
export async function benchDriver(info, extra = {}) {
  const { createTelegramClient } = await dist('telegram/client-factory.js');
  const { GramjsDriver } = await dist('telegram/driver.js');
  const { systemClock } = await dist('core/clock.js');
  const { silentLogger } = await dist('util/logger.js');
  const driver = new GramjsDriver({
    client: createTelegramClient({ session: info.session, apiId: info.apiId, apiHash: info.apiHash, dc: { host: info.host, port: info.port } }),
    clock: systemClock,
    logger: silentLogger(),
    rpcTimeoutMs: 15_000,
    pacingMs: 0,
    ...extra,
  });
  return { driver, clock: systemClock };
}
