/**
 * `telegram.budget`: the per-account flood budget (src/telegram/flood-budget.ts) and when the account pool drains
 * an account. Defaults are documented in the README (Fleets: test accounts, the flood budget and drain rules).
 */
import { z } from '../schema-kit/zod.js';
import { int } from './schema-parts.js';

const bucket = (burst: number, perMinute: number) =>
  z.strictObject({ burst: int(1, 10_000).default(burst), perMinute: int(1, 100_000).default(perMinute) }).default({ burst, perMinute });

/** A flood wait longer than this drains the account (its pairs move to other accounts) until the wait ends. */
export const DEFAULT_DRAIN_AFTER_SEC = 300;

export const budgetSchema = z.strictObject({
  /** messages.sendMessage, sendMedia, getBotCallbackAnswer (button presses) … */
  send: bucket(20, 60),
  /** messages.getHistory, getMessages, updates.getDifference … */
  read: bucket(30, 120),
  /** contacts.resolveUsername: at most this many lookups in any 60 s (only on a peer-cache miss). */
  resolvePerMinute: int(1, 1000).default(10),
  /** Every other method. */
  other: bucket(30, 120),
  drainAfterSec: int(1, 7 * 86_400).default(DEFAULT_DRAIN_AFTER_SEC),
});

export type BudgetConfig = z.output<typeof budgetSchema>;

export const budgetDefault = (): BudgetConfig => budgetSchema.parse({});
