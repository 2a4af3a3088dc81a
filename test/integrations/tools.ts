/**
 * The real tools the integration tests run (Debian packages, installed by scripts/setup-test-env.sh): without CI a
 * missing tool skips its tests; with CI=true it fails them, so CI never passes by skipping.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export const PROMTOOL = '/usr/bin/promtool';
export const PROMETHEUS = '/usr/bin/prometheus';
export const XMLLINT = '/usr/bin/xmllint';

/** True when the tool's tests must be skipped (missing, and not in CI). */
export function missing(bin: string): boolean {
  return !existsSync(bin) && !process.env.CI;
}

export interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a tool to its end (killed after `timeoutMs`), feeding `input` on stdin. */
export function runTool(bin: string, args: string[], o: { input?: string; cwd?: string; timeoutMs?: number } = {}): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd: o.cwd, stdio: [o.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const t = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 30_000);
    child.on('error', (e) => {
      clearTimeout(t);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
    if (child.stdin) {
      child.stdin.on('error', () => { /* the tool exited before reading all of stdin (EPIPE): its exit code tells */ });
      child.stdin.end(o.input);
    }
  });
}
