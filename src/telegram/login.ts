/** The interactive login flow (phone, code, two-step password) producing a StringSession. */
import { StringSession } from 'teleproto/sessions/index.js';
import { TgCanaryError } from '../core/errors.js';
import { createTelegramClient } from './client-factory.js';
import type { DcAddress } from './dc-socket.js';
import { mapTelegramError } from './errors.js';

export interface LoginPrompts {
  apiId: number;
  apiHash: string;
  dc?: DcAddress;
  phone(): Promise<string>;
  code(): Promise<string>;
  password(hint?: string): Promise<string>;
  onError(message: string): void;
}

export async function loginInteractive(p: LoginPrompts): Promise<string> {
  const client = createTelegramClient({ session: '', apiId: p.apiId, apiHash: p.apiHash, dc: p.dc, logLevel: 'none' });
  let fatal: unknown;
  let attempts = 0;
  try {
    await client.start({
      phoneNumber: () => p.phone(),
      phoneCode: () => p.code(),
      password: (hint?: string) => p.password(hint),
      onError: (err: Error) => {
        attempts += 1;
        const msg = (err as { errorMessage?: string }).errorMessage ?? err.message;
        if (msg === 'PASSWORD_HASH_INVALID') p.onError('Wrong password, try again.');
        else if (msg === 'PHONE_CODE_INVALID') p.onError('Wrong code, try again.');
        else p.onError(`Telegram said: ${msg}`);
        // Stop after a few wrong answers or on anything we cannot retry.
        if (attempts >= 3 || !['PASSWORD_HASH_INVALID', 'PHONE_CODE_INVALID'].includes(msg)) {
          fatal = err;
          return Promise.resolve(true);
        }
        return Promise.resolve(false);
      },
    });
    if (fatal) throw mapTelegramError(fatal, 'login');
    const saved = (client.session as StringSession).save();
    if (!saved) throw new TgCanaryError('LOGIN_FAILED', 'the login finished without a session', { kind: 'infra' });
    return saved;
  } catch (e) {
    throw e instanceof TgCanaryError ? e : mapTelegramError(e, 'login');
  } finally {
    await client.destroy().catch(() => undefined);
  }
}
