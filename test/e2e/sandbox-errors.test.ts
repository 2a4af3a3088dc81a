/**
 * The sandbox is its own package with its own errors; the CLI's `sandbox` and `demo` commands print them as
 * tg-canary errors (code, file, key path, hint) and exit 2 like any other config or usage problem.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'tg-sandbox-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const badFaults = join(dir, 'bad-faults.yaml');
writeFileSync(badFaults, 'faults:\n  - kind: rpc_error\n  - kind: explode\n');
const env = { PATH: process.env.PATH, LOG_LEVEL: 'warn' };

describe('sandbox errors through the CLI', () => {
  it('`sandbox --faults` with a bad file: every problem with its path, the code, exit 2', async () => {
    const r = await runCli(['sandbox', '--port', '0', '--faults', badFaults], env, { timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/2 problems \[SANDBOX_BAD_FAULTS\]/);
    expect(r.stderr).toMatch(/bad-faults\.yaml: faults\[0\]\.error: /);
    expect(r.stderr).toMatch(/faults\[1\]\.kind/);
    expect(r.stderr).toMatch(/hint: see packages\/sandbox\/README\.md, "Fault file"/);
    expect(r.stderr).not.toMatch(/unexpected error/);
  });

  it('`sandbox --bot` without NAME=MODULE: a usage error with its code and hint, exit 2', async () => {
    const r = await runCli(['sandbox', '--port', '0', '--bot', 'nonsense'], env, { timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--bot expects NAME=MODULE, got "nonsense"/);
    expect(r.stderr).toMatch(/\[SANDBOX_BAD_BOT_ARG\]/);
  });

  it('`demo --canary-bot` with a module that is no bot: the sandbox\'s code, exit 2', async () => {
    const notABot = join(dir, 'not-a-bot.mjs');
    writeFileSync(notABot, 'export default 42;\n');
    const r = await runCli(['demo', '--canary-bot', notABot, '--db', join(dir, 'demo.db'), '--reports-dir', join(dir, 'reports')], env, { timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not-a-bot\.mjs does not export a bot/);
    expect(r.stderr).toMatch(/\[SANDBOX_BOT_INVALID\]/);
  });
});
