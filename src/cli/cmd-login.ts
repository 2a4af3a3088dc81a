import type { Command } from 'commander';
import { createInterface } from 'node:readline/promises';
import { TgCanaryError } from '../core/errors.js';
import { loginCredentials, loginTestUser } from '../app/login.js';
import { SANDBOX_RSA_PUBLIC } from '@tg-canary/sandbox/rsa-public-key';
import { fail } from './fatal.js';

interface LoginFlags {
  out?: string;
  account?: string;
  dc?: string;
  print?: boolean;
}

export function registerLogin(program: Command): void {
  program
    .command('login')
    .description('log in as the test user (phone, code, 2FA password) and store a session string')
    .option('--out <file>', 'where to store the session (default TG_SESSION_FILE or ./tg-canary.session)')
    .option('--account <name>', 'log in one account of telegram.accounts (default file ./tg-canary.<name>.session)')
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
  // Bad credentials fail before any question is asked.
  loginCredentials(env);
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const ask = async (q: string): Promise<string> => {
    process.stderr.write(q);
    const next = await lines.next();
    if (next.done) throw new TgCanaryError('LOGIN_ABORTED', 'input ended before the login finished', { kind: 'usage' });
    return String(next.value).trim();
  };
  try {
    const { session, file } = await loginTestUser({
      env,
      out: flags.out,
      account: flags.account,
      dc: flags.dc,
      // a data center other than Telegram's is the sandbox: its RSA key lets the real key exchange run
      dcRsaKey: SANDBOX_RSA_PUBLIC,
      phone: () => ask('Phone number (international format, e.g. +41791234567): '),
      code: () => ask('Code Telegram sent you: '),
      password: (hint) => ask(`Two-step verification password${hint ? ` (hint: ${hint})` : ''}: `),
      onError: (msg) => process.stderr.write(`  ${msg}\n`),
    });
    const use = flags.account !== undefined
      ? `Add { name: ${flags.account}, sessionFile: ${file} } to telegram.accounts.`
      : `Set TG_SESSION_FILE=${file} for tg-canary run.`;
    process.stderr.write(`Logged in. Session saved to ${file} (mode 0600).\n${use} Use this session for ONE deployment only: two processes on one session get AUTH_KEY_DUPLICATED.\n`);
    if (flags.print) process.stdout.write(`${session}\n`);
  } finally {
    rl.close();
  }
}
