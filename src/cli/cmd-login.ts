import type { Command } from 'commander';
import { createInterface } from 'node:readline/promises';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { TgCanaryError } from '../core/errors.js';
import { loginInteractive } from '../telegram/login.js';
import { parseDcAddress } from '../telegram/client-factory.js';
import { SANDBOX_RSA_PUBLIC } from '@tg-canary/sandbox/rsa-public-key';
import { fail } from './fatal.js';

interface LoginFlags {
  out?: string;
  dc?: string;
  print?: boolean;
}

export function registerLogin(program: Command): void {
  program
    .command('login')
    .description('log in as the test user (phone, code, 2FA password) and store a session string')
    .option('--out <file>', 'where to store the session (default TG_SESSION_FILE or ./tg-canary.session)')
    .option('--dc <host:port>', 'data center address (the sandbox; default TG_DC or Telegram)')
    .option('--print', 'also print the session string on stdout (treat it as a password)')
    .action(async (flags: LoginFlags) => {
      try {
        await loginCommand(flags, process.env);
      } catch (e) {
        fail(e);
      }
    });
}

export async function loginCommand(flags: LoginFlags, env: NodeJS.ProcessEnv): Promise<void> {
  const apiId = Number(env.TG_API_ID);
  const apiHash = env.TG_API_HASH ?? '';
  const problems: string[] = [];
  if (!Number.isInteger(apiId) || apiId <= 0) problems.push('TG_API_ID: must be your api_id from https://my.telegram.org (a number)');
  if (!/^[0-9a-f]{32}$/i.test(apiHash)) problems.push('TG_API_HASH: must be the 32-character api_hash from https://my.telegram.org');
  if (problems.length) {
    throw new TgCanaryError('LOGIN_CONFIG', problems.join('\n'), { kind: 'config', hint: 'Set TG_API_ID and TG_API_HASH in the environment or .env.' });
  }
  const dcText = flags.dc ?? env.TG_DC;
  const out = resolve(flags.out ?? env.TG_SESSION_FILE ?? './tg-canary.session');
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const ask = async (q: string): Promise<string> => {
    process.stderr.write(q);
    const next = await lines.next();
    if (next.done) throw new TgCanaryError('LOGIN_ABORTED', 'input ended before the login finished', { kind: 'usage' });
    return String(next.value).trim();
  };
  try {
    const session = await loginInteractive({
      apiId,
      apiHash,
      // A data center other than Telegram's is the sandbox: its RSA key lets the real key exchange run.
      dc: dcText ? { ...parseDcAddress(dcText), rsaKey: SANDBOX_RSA_PUBLIC } : undefined,
      phone: () => ask('Phone number (international format, e.g. +41791234567): '),
      code: () => ask('Code Telegram sent you: '),
      password: (hint) => ask(`Two-step verification password${hint ? ` (hint: ${hint})` : ''}: `),
      onError: (msg) => process.stderr.write(`  ${msg}\n`),
    });
    mkdirSync(dirname(out), { recursive: true, mode: 0o700 });
    writeFileSync(out, `${session}\n`, { mode: 0o600 });
    chmodSync(out, 0o600);
    process.stderr.write(`Logged in. Session saved to ${out} (mode 0600).\nSet TG_SESSION_FILE=${out} for tg-canary run. Use this session for ONE deployment only: two processes on one session get AUTH_KEY_DUPLICATED.\n`);
    if (flags.print) process.stdout.write(`${session}\n`);
  } finally {
    rl.close();
  }
}
