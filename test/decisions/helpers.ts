/**
 * Helpers of the issue-4 end-to-end tests: a `tg-canary serve` child process whose port is read back from its
 * stderr, and the conversion scenario they share (the Bot API stand-in, ports and waits are in test/support).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI } from '../e2e/harness.js';
import { convertScenario } from '../support/scenarios.js';
import { waitFor } from '../support/wait.js';


export { CLI };

/**
 * A scenario every healthy demo bot passes in well under a second. Run on both targets it repeats 5 times: one
 * failure against one stable pass is insufficient evidence, 5 of 5 against 0 of 5 is a regression (Fisher p = 1/252).
 */
export const CONVERT = (targets = '[canary, stable]'): string => {
  const both = targets.includes('stable');
  return convertScenario({ targets: both ? ['canary', 'stable'] : ['canary'], quiet: '0s', repeat: both ? 5 : undefined, expectTimeout: '2s', notError: true });
};

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  port: number;
  stderr(): string;
  /** Sends SIGTERM and resolves with the exit code and how long it took. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; ms: number }>;
  exited: Promise<number | null>;
}

/**
 * Starts `node dist/cli/main.js <args>` (serve, or demo --serve) and waits for "listening on http://host:port/"
 * on stderr. The child is SIGKILLed after `maxMs` whatever happens, so a test never hangs.
 */
export async function startServe(args: string[], env: NodeJS.ProcessEnv, opts: { maxMs?: number; cwd?: string } = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI, ...args], { env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  let out = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), opts.maxMs ?? 90_000);
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code, sig) => {
      clearTimeout(killer);
      resolve(code ?? (sig ? 128 : null));
    });
  });
  let done = false;
  void exited.then(() => (done = true));
  const m = await waitFor(() => {
    if (done) throw new Error(`serve exited early:\n${err}\n${out}`);
    return /listening on http:\/\/[^:\s]+:(\d+)\//.exec(err);
  }, 'the serve process to listen', 30_000, 50).catch((e: unknown) => {
    child.kill('SIGKILL');
    throw new Error(`${String(e)}\nstderr:\n${err}`);
  });
  const port = Number(m[1]);
  return {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    stderr: () => err,
    exited,
    async stop(signal = 'SIGTERM') {
      const t0 = Date.now();
      if (!done) child.kill(signal);
      const code = await exited;
      return { code, ms: Date.now() - t0 };
    },
  };
}

export async function getJson(url: string, init?: RequestInit): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const r = await fetch(url, init);
  const text = await r.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { raw: text };
  }
  return { status: r.status, body, headers: r.headers };
}

/** `$.verdict` of an Argo Rollouts web metric (jsonPath `{$.verdict}`). */
/** `token`: sent as the web provider's `Authorization: Bearer` header (needed when the poll may start a run). */
export async function argoPoll(url: string, token?: string): Promise<{ status: number; verdict: unknown; body: Record<string, unknown> }> {
  const r = await getJson(url, { headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  return { status: r.status, verdict: r.body.verdict, body: r.body };
}
