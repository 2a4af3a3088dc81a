/**
 * `alerts.escalation.<channel>`: per-channel escalation (when an incident reaches the channel, quiet hours). The
 * logic is in src/core/escalation.ts; this is only its config shape, with errors that say how to fix them.
 */
import { z } from '../schema-kit/zod.js';
import { isTimeZone, parseClockTime, type ChannelRoute } from '../core/escalation.js';
import { NOTIFIER_NAMES, NOTIFIERS, type NotifierName } from '../notifiers/index.js';
import { DURATION_HINT, parseDuration } from '../schema-kit/duration.js';
import { int } from './schema-parts.js';

const clockTime = z.string().refine((s) => parseClockTime(s) !== undefined, {
  message: 'is not a time of day',
  params: { hint: 'write 24-hour HH:MM, e.g. "22:00" or "07:30" (quoted in YAML)' },
});

const duration = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const ms = parseDuration(v);
  if (ms === undefined || ms <= 0) {
    ctx.addIssue({ code: 'custom', message: 'is not a positive duration', params: { hint: `${DURATION_HINT}, e.g. 30m` } });
    return z.NEVER;
  }
  return ms;
});

const channelEscalation = z.strictObject({
  after: z.strictObject({
    runs: int(1, 1000).optional(),
    duration: duration.optional(),
  }).refine((a) => a.runs !== undefined || a.duration !== undefined, {
    message: 'needs runs or duration',
    params: { hint: 'e.g. after: { runs: 3 } or after: { duration: 30m }; leave after out to alert at once' },
  }).optional(),
  quietHours: z.strictObject({
    from: clockTime,
    to: clockTime,
    timezone: z.string().refine(isTimeZone, {
      message: 'is not a time zone',
      params: { hint: 'use an IANA zone name such as Europe/Berlin or UTC' },
    }).optional(),
  }).refine((q) => q.from !== q.to, { message: 'from and to are the same time (an empty window)', params: { hint: 'e.g. from: "22:00", to: "07:00"' } })
    .optional(),
});

/** `alerts.escalation`: one optional entry per notifier name; an unknown name is a config error. */
export const escalationSchema = z.strictObject(
  Object.fromEntries(NOTIFIER_NAMES.map((n) => [n, channelEscalation.optional()])) as Record<NotifierName, z.ZodOptional<typeof channelEscalation>>,
);

export type EscalationConfig = z.output<typeof escalationSchema>;

/**
 * Refinement of the `alerts` section: escalation rules for a channel that is not configured would silently do
 * nothing, so they are an error at `alerts.escalation.<name>`.
 */
export function checkEscalationChannels(alerts: { escalation?: EscalationConfig } & Record<string, unknown>, ctx: z.RefinementCtx): void {
  for (const name of Object.keys(alerts.escalation ?? {}) as NotifierName[]) {
    if (alerts.escalation?.[name] === undefined) continue;
    const key = NOTIFIERS[name].configKey;
    if (alerts[key] === undefined) {
      ctx.addIssue({
        code: 'custom', path: ['escalation', name], message: `has rules for the ${name} channel, which is not configured`,
        params: { hint: `configure alerts.${key} (or its env var), or remove alerts.escalation.${name}` },
      });
    }
  }
}

/** The outbox routes of the configured alert channels, with their escalation rules. */
export function channelRoutes(channels: readonly NotifierName[], cfg: EscalationConfig | undefined): ChannelRoute[] {
  return channels.map((name) => {
    const e = cfg?.[name];
    const route: ChannelRoute = { name };
    if (e?.after) route.after = { ...(e.after.runs === undefined ? {} : { runs: e.after.runs }), ...(e.after.duration === undefined ? {} : { durationMs: e.after.duration }) };
    if (e?.quietHours) route.quietHours = e.quietHours;
    return route;
  });
}
