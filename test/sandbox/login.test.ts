/**
 * Login through the real gramjs flow: a fresh StringSession('') runs the DH key exchange against the sandbox's
 * RSA key, then auth.sendCode / auth.signIn, and 2FA with real SRP.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TelegramClient } from 'teleproto';
import { startSandbox, type Sandbox } from '@tg-canary/sandbox';
import { clientFor } from './helpers.js';

/** teleproto words an RPC error for people in `message` and keeps Telegram's code in `errorMessage`. */
function rpcText(e: Error): string {
  const code = (e as Error & { errorMessage?: unknown }).errorMessage;
  return typeof code === 'string' ? code : e.message;
}

let sb: Sandbox;
const clients: TelegramClient[] = [];
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(async () => {
  for (const c of clients) await c.destroy().catch(() => undefined);
  await sb.stop();
});

function fresh(): TelegramClient {
  const c = clientFor(sb, '');
  clients.push(c);
  return c;
}

describe('login', () => {
  test('phone and code, then the saved session works on its own', async () => {
    const user = await sb.createUser({ firstName: 'Lou', phone: '+99966 1 0001' });
    const c = fresh();
    const codes: string[] = [];
    const off = sb.onLoginCode((_p, code) => codes.push(code));
    await c.start({
      phoneNumber: '+999661 0001',
      phoneCode: async () => sb.lastLoginCode('999661 0001') ?? '',
      onError: (e) => {
        throw e;
      },
    });
    off();
    expect(codes).toHaveLength(1);
    const me = await c.getMe();
    expect(String(me.id)).toBe(user.userId);
    const saved = c.session.save() as unknown as string;
    expect(saved.length).toBeGreaterThan(100);
    await c.destroy();
    const again = clientFor(sb, saved);
    clients.push(again);
    await again.connect();
    expect(String((await again.getMe()).id)).toBe(user.userId);
  });

  test('a wrong code is rejected', async () => {
    await sb.createUser({ phone: '+999662 0002' });
    const c = fresh();
    const errors: string[] = [];
    let tries = 0;
    await c.start({
      phoneNumber: '+999662 0002',
      phoneCode: async () => (++tries === 1 ? '00000' : (sb.lastLoginCode('9996620002') ?? '')),
      onError: async (e) => {
        errors.push(rpcText(e));
        return false;
      },
    });
    expect(errors.some((m) => /PHONE_CODE_INVALID/.test(m))).toBe(true);
    expect(await c.checkAuthorization()).toBe(true);
  });

  test('2FA: a wrong password is rejected (PASSWORD_HASH_INVALID), the right one signs in', async () => {
    const user = await sb.createUser({ phone: '+999663 0003', password: 'correct horse', passwordHint: 'horse' });
    const c = fresh();
    const errors: string[] = [];
    const passwords = ['wrong battery', 'correct horse'];
    const hints: string[] = [];
    await c.start({
      phoneNumber: '+999663 0003',
      phoneCode: async () => sb.lastLoginCode('9996630003') ?? '',
      password: async (hint) => {
        hints.push(String(hint));
        return passwords.shift() ?? '';
      },
      onError: async (e) => {
        errors.push(rpcText(e));
        return false;
      },
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/PASSWORD_HASH_INVALID/);
    expect(hints[0]).toBe('horse');
    expect(String((await c.getMe()).id)).toBe(user.userId);
  }, 20_000);

  test('before login, user RPCs answer AUTH_KEY_UNREGISTERED', async () => {
    const c = fresh();
    await c.connect();
    expect(await c.checkAuthorization()).toBe(false);
    await expect(c.getMe()).rejects.toMatchObject({ errorMessage: 'AUTH_KEY_UNREGISTERED' });
  });
});
