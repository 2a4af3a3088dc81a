/**
 * Helpers of the issue-4 end-to-end tests: a loopback Bot API stand-in, a `tg-canary serve` child process whose
 * port is read back from its stderr, and deadline polling (no fixed sleeps where a condition can be awaited).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CLI } from '../e2e/harness.js';

export { CLI };

/**
 * A scenario every healthy demo bot passes in well under a second. Run on both targets it repeats 5 times: one
 * failure against one stable pass is insufficient evidence, 5 of 5 against 0 of 5 is a regression (Fisher p = 1/252).
 */
export const CONVERT = (targets = '[canary, stable]'): string => `
name: convert
suite: favor
targets: ${targets}
timeout: 15s
quiet: 0s${targets.includes('stable') ? '\nrepeat: 5' : ''}
steps:
  - send: "Convert 10 km to miles"
  - expect:
      timeout: 2s
      settle: 200ms
      assert:
        - { type: contains, value: "6.21", critical: true }
        - not-error
`;

export interface BotApiMessage {
  token: string;
  chatId: string;
  text: string;
  parseMode: string;
}

export interface BotApiStandIn {
  root: string;
  messages: BotApiMessage[];
  close(): Promise<void>;
}

/** A Telegram Bot API stand-in: records each `sendMessage` and answers `{ ok: true }`. */
export async function startBotApi(): Promise<BotApiStandIn> {
  const messages: BotApiMessage[] = [];
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const m = /^\/bot([^/]+)\/sendMessage$/.exec(req.url ?? '');
      res.setHeader('content-type', 'application/json');
      if (req.method !== 'POST' || !m) {
        res.statusCode = 404;
        res.end('{"ok":false,"error_code":404,"description":"Not Found"}');
        return;
      }
      const j = JSON.parse(body) as { chat_id: string; text: string; parse_mode: string };
      messages.push({ token: decodeURIComponent(m[1] ?? ''), chatId: String(j.chat_id), text: j.text, parseMode: j.parse_mode });
      res.end(JSON.stringify({ ok: true, result: { message_id: messages.length } }));
    });
  });
  const port = await listen(server);
  return { root: `http://127.0.0.1:${port}`, messages, close: () => closeServer(server) };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let s = '';
    req.on('data', (d: Buffer) => (s += d.toString()));
    req.on('end', () => resolve(s));
    req.on('error', reject);
  });
}

function listen(server: Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A port that was free a moment ago (for commands that cannot report the port they bound). */
export async function freePort(): Promise<number> {
  const s = createServer();
  const port = await listen(s);
  await closeServer(s);
  return port;
}

/** Polls `fn` until it returns a truthy value, or throws with `what` after `timeoutMs`. */
export async function waitFor<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 20_000, everyMs = 100): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

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
