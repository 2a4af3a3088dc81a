/**
 * `tg-canary login` as an app function: checks the API credentials, runs the interactive login (phone, code, 2FA)
 * through the Telegram adapter and stores the session string in a 0600 file. The CLI asks the questions and prints.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { TgCanaryError } from '../core/errors.js';
import { loginInteractive } from '../telegram/login.js';
import { parseDcAddress } from '../telegram/client-factory.js';
import type { DcRsaKey } from '../telegram/dc-socket.js';

export interface LoginInput {
  env: NodeJS.ProcessEnv;
  /** Where to store the session (default TG_SESSION_FILE or ./tg-canary.session). */
  out?: string;
  /** An account of the pool (telegram.accounts): its session goes to ./tg-canary.<account>.session by default. */
  account?: string;
  /** Data center `host:port` (default TG_DC, else Telegram). */
  dc?: string;
  /** The RSA public key of a data center other than Telegram's (the sandbox's: the CLI passes it in). */
  dcRsaKey?: DcRsaKey;
  phone(): Promise<string>;
  code(): Promise<string>;
  password(hint?: string): Promise<string>;
  onError(message: string): void;
}

export interface LoginOutput {
  /** The session string: a password, never logged. */
  session: string;
  file: string;
}

/** The API credentials from the environment, or LOGIN_CONFIG naming every problem. */
export function loginCredentials(env: NodeJS.ProcessEnv): { apiId: number; apiHash: string } {
  const apiId = Number(env.TG_API_ID);
  const apiHash = env.TG_API_HASH ?? '';
  const problems: string[] = [];
  if (!Number.isInteger(apiId) || apiId <= 0) problems.push('TG_API_ID: must be your api_id from https://my.telegram.org (a number)');
  if (!/^[0-9a-f]{32}$/i.test(apiHash)) problems.push('TG_API_HASH: must be the 32-character api_hash from https://my.telegram.org');
  if (problems.length) {
    throw new TgCanaryError('LOGIN_CONFIG', problems.join('\n'), { kind: 'config', hint: 'Set TG_API_ID and TG_API_HASH in the environment or .env.' });
  }
  return { apiId, apiHash };
}

/** Where the session file goes. */
export function sessionFilePath(input: Pick<LoginInput, 'env' | 'out' | 'account'>): string {
  if (input.account !== undefined) return resolve(input.out ?? `./tg-canary.${accountFileName(input.account)}.session`);
  return resolve(input.out ?? input.env.TG_SESSION_FILE ?? './tg-canary.session');
}

/** An account name as a file name part (names are [A-Za-z0-9_.-]; anything else, and `..`, is refused). */
function accountFileName(account: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/.test(account) || account.includes('..')) {
    throw new TgCanaryError('LOGIN_CONFIG', `--account ${JSON.stringify(account).slice(0, 60)} is not an account name`, {
      kind: 'config',
      hint: 'use the name of the account in telegram.accounts: 1–40 letters, digits, _ . or -',
    });
  }
  return account;
}

export async function loginTestUser(input: LoginInput): Promise<LoginOutput> {
  const { apiId, apiHash } = loginCredentials(input.env);
  const dcText = input.dc ?? input.env.TG_DC;
  const file = sessionFilePath(input);
  const session = await loginInteractive({
    apiId,
    apiHash,
    // A data center other than Telegram's is the sandbox: its RSA key lets the real key exchange run.
    dc: dcText ? { ...parseDcAddress(dcText), ...(input.dcRsaKey !== undefined ? { rsaKey: input.dcRsaKey } : {}) } : undefined,
    phone: input.phone,
    code: input.code,
    password: input.password,
    onError: input.onError,
  });
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${session}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { session, file };
}
