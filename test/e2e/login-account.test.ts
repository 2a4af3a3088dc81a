/** `tg-canary login --account NAME` through the real CLI: one account of the pool logged in to its own file. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '@tg-canary/sandbox';
import { CLI } from './harness.js';

let sandbox: Sandbox;
let dir: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  dir = mkdtempSync(join(tmpdir(), 'tg-canary-login-acct-'));
});
afterAll(async () => {
  await sandbox?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function login(args: string[], phone: string): Promise<{ code: number | null; err: string }> {
  const child = spawn(process.execPath, [CLI, 'login', ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH, TG_API_ID: String(sandbox.apiId), TG_API_HASH: sandbox.apiHash, TG_DC: `${sandbox.host}:${sandbox.port}` },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let err = '';
  const answered = new Set<string>();
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
    if (!answered.has('phone') && /Phone number/.test(err)) {
      answered.add('phone');
      child.stdin.write(`${phone}\n`);
    }
    if (!answered.has('code') && /Code Telegram sent you/.test(err)) {
      answered.add('code');
      child.stdin.write(`${sandbox.lastLoginCode(phone) ?? ''}\n`);
    }
  });
  child.stdin.on('error', () => undefined);
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, err })));
}

describe('tg-canary login --account', () => {
  it('stores the account session in ./tg-canary.<name>.session (0600) and says how to add it to telegram.accounts', async () => {
    await sandbox.createUser({ firstName: 'Pool', phone: '+999 55 000 1234' });
    const r = await login(['--account', 'acct-2'], '+999 55 000 1234');
    expect(r.code, r.err).toBe(0);
    const file = join(dir, 'tg-canary.acct-2.session');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const session = readFileSync(file, 'utf8').trim();
    expect(session.length).toBeGreaterThan(100);
    expect(r.err).toContain(`Add { name: acct-2, sessionFile: ${file} } to telegram.accounts.`);
    expect(r.err).not.toContain(session);
  }, 60_000);

  it('refuses an account name that is not one (a path) before asking anything', async () => {
    const r = await login(['--account', '../etc/x'], '+999 55 000 9999');
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/--account .* is not an account name/);
    expect(r.err).not.toMatch(/Phone number/);
  }, 60_000);
});
