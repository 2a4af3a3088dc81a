/**
 * A real pseudo-terminal for CLI tests: the command runs in a detached tmux session on a private socket in the test's
 * folder (never the user's tmux server), keys are typed with send-keys, the screen is read with capture-pane.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Terminal {
  type(text: string): void;
  enter(): void;
  screen(): string;
  /** Waits until the screen matches, or throws with what it shows. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<string>;
  kill(): void;
}

let count = 0;

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Starts `node <cli> ...args` in a 200×60 terminal; the pane stays after the command exits, showing `[exit N]`. */
export function startTerminal(dir: string, cli: string, args: string[], env: NodeJS.ProcessEnv): Terminal {
  count += 1;
  // the socket lives in the test's own folder, removed with it
  const socket = join(dir, `tmux-${count}.sock`);
  const script = join(dir, `term-${count}.sh`);
  const exports = Object.entries(env)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `export ${k}=${shellQuote(v)}`);
  writeFileSync(script, ['#!/bin/sh', ...exports, `cd ${shellQuote(dir)}`, `${shellQuote(process.execPath)} ${[cli, ...args].map(shellQuote).join(' ')}`, 'echo "[exit $?]"', 'sleep 600', ''].join('\n'));
  chmodSync(script, 0o700);
  const tmux = (...a: string[]): string => execFileSync('tmux', ['-S', socket, '-f', '/dev/null', ...a], { encoding: 'utf8' });
  tmux('new-session', '-d', '-s', 't', '-x', '200', '-y', '60', script);
  const screen = (): string => tmux('capture-pane', '-p', '-J', '-S', '-500', '-t', 't');
  return {
    type: (text) => void tmux('send-keys', '-t', 't', '-l', text),
    enter: () => void tmux('send-keys', '-t', 't', 'Enter'),
    screen,
    async waitFor(re, timeoutMs = 20_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const s = screen();
        if (re.test(s)) return s;
        if (Date.now() > end) throw new Error(`the terminal never showed ${String(re)}; it shows:\n${s}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    kill() {
      try {
        tmux('kill-server');
      } catch {
        // already gone
      }
      rmSync(socket, { force: true });
    },
  };
}
