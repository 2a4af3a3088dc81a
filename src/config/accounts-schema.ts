/**
 * `telegram.accounts`: the account pool (src/fleet/account-pool.ts) — several logged-in test users, each with its
 * own session (inline or in a file) and optionally its own API app. Without it the single `telegram.session` is
 * the one account. `telegram.shard` (`--accounts a1,a2`, TG_CANARY_ACCOUNTS) picks the accounts this process drives.
 */
import { z } from '../schema-kit/zod.js';
import { int } from './schema-parts.js';

const ACCOUNT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;

const accountName = z.string().refine((s) => ACCOUNT_NAME.test(s), {
  message: 'is not an account name',
  params: { hint: 'use 1–40 letters, digits, _ . or -, starting with a letter or digit, e.g. acct-1' },
});

export const accountSchema = z.strictObject({
  name: accountName,
  session: z.string().min(1).optional(),
  sessionFile: z.string().min(1).optional(),
  apiId: int(1).optional(),
  apiHash: z.string().min(1).optional(),
}).superRefine((a, ctx) => {
  if ((a.session === undefined) === (a.sessionFile === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['session'], message: 'needs exactly one of session or sessionFile', params: { hint: 'give the session string (from `tg-canary login --account NAME`) or a file holding it' } });
  }
});

export const accountsSchema = z.array(accountSchema).min(1).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((a, i) => {
    const k = a.name.toLowerCase();
    if (seen.has(k)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `names the account ${a.name} twice`, params: { hint: 'give every account its own name' } });
    seen.add(k);
  });
}).optional();

/** Account names this process drives (a Kubernetes shard); unset: all of them. */
export const accountShardSchema = z.array(accountName).min(1).optional();

export type AccountConfig = z.output<typeof accountSchema>;
