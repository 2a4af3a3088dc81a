/** Helpers shared by the hardening tests: a controllable CLI child, a Bot API stand-in, slow-bot scenarios. */
import type { BotModule } from '@tg-canary/sandbox';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { CLI } from '../e2e/harness.js';
import { convertScenario } from '../support/scenarios.js';

export interface LiveCli {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal name) and how long the process lived after `markedAt`. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** Resolves once stdout+stderr match `re`. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<void>;
}

/** Starts the real CLI as a child process we can signal. Killed with SIGKILL after `timeoutMs`. */
export function startCli(args: string[], env: NodeJS.ProcessEnv, opts: { timeoutMs?: number; prefix?: string[]; keepStdin?: boolean } = {}): LiveCli {
  const cmd = opts.prefix?.[0] ?? process.execPath;
  const argv = opts.prefix ? [...opts.prefix.slice(1), process.execPath, CLI, ...args] : [CLI, ...args];
  const child = spawn(cmd, argv, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: { re: RegExp; resolve(): void }[] = [];
  const check = (): void => {
    for (const w of [...waiters]) {
      if (w.re.test(out + err)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); check(); });
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); check(); });
  if (!opts.keepStdin) child.stdin.end();
  const t = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(t);
      resolve({ code, signal, at: Date.now() });
    });
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(re, timeoutMs = 20_000) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re}; stdout: ${out}\nstderr: ${err}`)), timeoutMs);
        waiters.push({ re, resolve: () => { clearTimeout(timer); resolve(); } });
        check();
        void exited.then(() => {
          if (waiters.some((w) => w.re === re)) {
            clearTimeout(timer);
            reject(new Error(`process exited before ${re}; stdout: ${out}\nstderr: ${err}`));
          }
        });
      });
    },
  };
}

/** A two-step scenario: the first reply is quick, the second one is slow (the bot sleeps `slowMs`). */
export function slowScenario(target = '[canary, stable]'): string {
  return `
name: slow-second
suite: favor
targets: ${target}
timeout: 30s
quiet: 0s
steps:
  - send: "quick"
  - expect: { timeout: 3s, settle: 200ms, assert: [ { type: contains, value: "quick answer" } ] }
  - send: "slow"
  - expect: { timeout: 20s, settle: 200ms, assert: [ { type: contains, value: "slow answer" } ] }
`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A one-step conversion scenario on canary (the quick case of the lease and crash tests). */
export const QUICK_SCENARIO = convertScenario();

/** A bot that answers "quick" at once and "slow" after `slowMs`; `slowStarted` resolves when "slow" arrives. */
export function slowBot(slowMs: number): { bot: BotModule; slowStarted: Promise<void> } {
  let started!: () => void;
  const slowStarted = new Promise<void>((resolve) => (started = resolve));
  const bot: BotModule = {
    async onMessage(msg, chat) {
      if (msg.text === 'quick') return chat.reply('quick answer', { replyTo: msg.id });
      if (msg.text === 'slow') {
        started();
        await chat.sleep(slowMs);
        return chat.reply('slow answer', { replyTo: msg.id });
      }
      return chat.reply('?');
    },
  };
  return { bot, slowStarted };
}
