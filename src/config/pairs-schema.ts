/**
 * The `pairs:` list of the config (issue 19 point 1): many canary/stable bot pairs guarded from one deployment.
 * Each pair has a name (its history file, its status-page section, its `pair` metrics label, `?target=NAME`), a
 * canary, an optional stable, an optional scenario filter, verdict threshold overrides and alert routing. Without
 * `pairs` the classic single-pair config (`targets.canary`, CANARY_BOT …) is one implicit pair named `default`.
 */
import { z } from '../schema-kit/zod.js';

/** Pair names: lowercase, digits and dashes, at most 40 characters; they become file names and labels. */
export const PAIR_NAME_RE = /^[a-z0-9][a-z0-9-]{0,39}$/;
/** The implicit pair of a config without `pairs` (and the pair whose history stays in `paths.db`). */
export const DEFAULT_PAIR = 'default';
/** Names that mean a role in the single-pair API (`?target=canary`), so no pair may take them. */
export const RESERVED_PAIR_NAMES: readonly string[] = ['canary', 'stable'];

const pairName = z
  .string()
  .refine((s) => PAIR_NAME_RE.test(s), {
    message: 'is not a pair name',
    params: { hint: 'use 1-40 lowercase letters, digits or dashes, starting with a letter or digit, e.g. shop-bot' },
  })
  .refine((s) => !RESERVED_PAIR_NAMES.includes(s), {
    message: 'is reserved (canary and stable name the roles in ?target=)',
    params: { hint: 'name the pair after its bot, e.g. shop or shop-bot' },
  });

/**
 * A pair's alert routing: `channels` keeps only these configured channels (alerts.* keys, e.g. [email, slack]);
 * `emailTo` sends this pair's email alerts to other recipients than `alerts.email.to`.
 */
function pairAlerts(channelKeys: readonly [string, ...string[]]): z.ZodType<PairAlerts> {
  return z.strictObject({
    channels: z.array(z.enum(channelKeys)).optional(),
    emailTo: z.array(z.string().regex(/^[^\s@]+@[^\s@]+$/, { message: 'is not an email address' })).min(1).optional(),
  });
}

export interface PairAlerts {
  channels?: string[];
  emailTo?: string[];
}

/**
 * The list schema, built by schema.ts from its own `verdict` section (overrides are that section, every key
 * optional) and the notifier config keys, so this file needs nothing from schema.ts (no import circle).
 */
export function pairListSchema<V extends z.ZodObject>(verdict: V, bot: z.ZodType<string>, channelKeys: readonly [string, ...string[]]) {
  const pair = z.strictObject({
    name: pairName,
    canary: bot,
    stable: bot.optional(),
    /** Only scenarios of these suites (default: all). */
    suites: z.array(z.string().min(1)).min(1).optional(),
    /** Only scenarios whose name matches (exact or a glob, as `--scenario`). */
    scenarios: z.string().min(1).optional(),
    verdict: verdict.partial().optional(),
    alerts: pairAlerts(channelKeys).optional(),
  });
  return z
    .array(pair)
    .min(1)
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((p, i) => {
        if (seen.has(p.name)) {
          ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `names the pair ${JSON.stringify(p.name)} a second time`, params: { hint: 'give every pair its own name' } });
        }
        seen.add(p.name);
        if (p.canary === '') {
          ctx.addIssue({ code: 'custom', path: [i, 'canary'], message: 'is required', params: { hint: 'give the canary bot username, e.g. @shop_canary_bot' } });
        }
      });
    });
}
