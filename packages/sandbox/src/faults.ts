/**
 * Fault injection: per bot (wrapping the bot's chat) and per data center (RPCs, connections, pushes).
 * Each fault applies to the next `times` matching calls, with a `probability`, and/or inside a time window.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import * as z from 'zod';
import { SandboxValidationError, type SandboxIssue } from './errors.js';
import { formatPath } from './key-path.js';
import { seededRandom } from './seeded-random.js';

export const BOT_FAULT_KINDS = ['latency', 'silence', 'error_text', 'split', 'stream', 'placeholder', 'media_lost', 'media_corrupt'] as const;
export const RPC_FAULT_KINDS = ['rpc_error', 'rpc_delay', 'rpc_hang', 'drop_connection', 'restart'] as const;
export const PUSH_FAULT_KINDS = ['drop_push', 'duplicate_push', 'updates_too_long'] as const;
/** Changes Telegram's per-chat limits for a bot's calls (reply, edit, draft) while it lasts. */
export const LIMIT_FAULT_KINDS = ['rate_limit'] as const;
/** A bot's Mini App: its page answers an error (`code`, default 500) or never loads; or its init data is mis-signed. */
export const WEBAPP_FAULT_KINDS = ['webapp_error', 'webapp_hang', 'webapp_bad_signature'] as const;

export const faultSpecSchema = z
  .object({
    kind: z.enum([...BOT_FAULT_KINDS, ...RPC_FAULT_KINDS, ...PUSH_FAULT_KINDS, ...LIMIT_FAULT_KINDS, ...WEBAPP_FAULT_KINDS]),
    /** Bot username the fault applies to (bot faults; optional filter for push faults). */
    bot: z.string().min(1).optional(),
    /** RPC method, e.g. `messages.SendMessage` (case-insensitive); `*` or unset = any. */
    method: z.string().min(1).optional(),
    /** RPC faults: only calls of this user (its id, as createUser returns it); unset = any user (one account of many). */
    user: z.string().min(1).optional(),
    /** Applies to the next N matching calls, then expires. */
    times: z.number().int().positive().optional(),
    /** Chance (0..1) that a matching call is hit. */
    probability: z.number().min(0).max(1).optional(),
    /** Seed of this fault's own draws for `probability`: the same seed hits the same calls, whatever else runs. */
    seed: z.number().int().optional(),
    /** Time window, relative to when the fault was added. */
    afterMs: z.number().int().nonnegative().optional(),
    forMs: z.number().int().positive().optional(),
    // parameters
    ms: z.number().int().nonnegative().optional(),
    minMs: z.number().int().nonnegative().optional(),
    maxMs: z.number().int().nonnegative().optional(),
    text: z.string().optional(),
    parts: z.number().int().min(2).optional(),
    edits: z.number().int().min(1).optional(),
    overMs: z.number().int().nonnegative().optional(),
    /** rpc_error message, e.g. FLOOD_WAIT_30, AUTH_KEY_UNREGISTERED, INTERNAL. */
    error: z.string().regex(/^(?:[A-Z0-9_]+|Timeout)$/, 'must look like FLOOD_WAIT_30, INTERNAL or Timeout (-503)').optional(),
    code: z.number().int().optional(),
    /** drop_connection: before answering (default) or after. */
    when: z.enum(['before', 'after']).optional(),
    /** restart: how long the port stays closed. */
    downMs: z.number().int().nonnegative().optional(),
    /** Push faults: only pushes of this kind (default any). */
    update: z.enum(['message', 'edit', 'delete', 'typing', 'draft']).optional(),
    /** rate_limit: the bot's calls allowed per second in a chat (0 = none beyond the burst). */
    perSecond: z.number().nonnegative().optional(),
    /** rate_limit: calls allowed at once. */
    burst: z.number().int().positive().optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    const isBot = (BOT_FAULT_KINDS as readonly string[]).includes(f.kind) || f.kind === 'rate_limit' || (WEBAPP_FAULT_KINDS as readonly string[]).includes(f.kind);
    if (isBot && !f.bot) ctx.addIssue({ code: 'custom', path: ['bot'], message: `a ${f.kind} fault needs the bot it applies to` });
    if (f.kind === 'rpc_error' && !f.error) ctx.addIssue({ code: 'custom', path: ['error'], message: 'rpc_error needs `error`, e.g. FLOOD_WAIT_5' });
    if (f.kind === 'latency' && f.ms === undefined && f.maxMs === undefined)
      ctx.addIssue({ code: 'custom', path: ['ms'], message: 'latency needs `ms` (fixed) or `minMs`/`maxMs` (random)' });
    if (f.kind === 'rate_limit' && f.perSecond === undefined && f.burst === undefined)
      ctx.addIssue({ code: 'custom', path: ['perSecond'], message: 'rate_limit needs `perSecond` and/or `burst`' });
    if (f.kind === 'rpc_delay' && f.ms === undefined) ctx.addIssue({ code: 'custom', path: ['ms'], message: 'rpc_delay needs `ms`' });
    if (f.minMs !== undefined && f.maxMs !== undefined && f.minMs > f.maxMs)
      ctx.addIssue({ code: 'custom', path: ['minMs'], message: 'minMs is greater than maxMs' });
  });

export type FaultSpec = z.infer<typeof faultSpecSchema>;
export type FaultKind = FaultSpec['kind'];
/** What a push carries, for the `update` filter of push faults. */
export type PushKind = NonNullable<FaultSpec['update']>;

const fileSchema = z.union([z.array(faultSpecSchema), z.object({ faults: z.array(faultSpecSchema) }).strict()]);

/** Validates fault specs; all problems are reported at once. */
export function parseFaults(input: unknown, file = '(faults)'): FaultSpec[] {
  const r = fileSchema.safeParse(input);
  if (r.success) return Array.isArray(r.data) ? r.data : r.data.faults;
  // report against the most likely shape
  const shape = Array.isArray(input) ? z.array(faultSpecSchema) : z.object({ faults: z.array(faultSpecSchema) }).strict();
  const r2 = shape.safeParse(input);
  const zIssues = r2.success ? r.error.issues : r2.error.issues;
  const issues: SandboxIssue[] = zIssues.map((i) => ({ file, path: formatPath(i.path), message: i.message }));
  throw new SandboxValidationError('SANDBOX_BAD_FAULTS', issues, 'see packages/sandbox/README.md, "Fault file"');
}

export async function loadFaultFile(file: string): Promise<FaultSpec[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new SandboxValidationError('SANDBOX_BAD_FAULTS', [{ file, path: '', message: `cannot read the fault file (${(e as Error).message})` }]);
  }
  let data: unknown;
  try {
    data = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new SandboxValidationError('SANDBOX_BAD_FAULTS', [{ file, path: '', message: `not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${(e as Error).message}` }]);
  }
  return parseFaults(data, file);
}

interface ActiveFault {
  spec: FaultSpec;
  addedAt: number;
  used: number;
  /** The fault's own PRNG when it has a `seed`. */
  random?: () => number;
}

/** Deterministic PRNG so seeded runs replay the same faults (the one in core/stats). */
export { seededRandom };

export class FaultEngine {
  private faults: ActiveFault[] = [];
  readonly random: () => number;

  constructor(seed?: number) {
    this.random = seed === undefined ? Math.random : seededRandom(seed);
  }

  add(input: FaultSpec): void {
    const spec = parseFaults([input])[0] as FaultSpec;
    const f: ActiveFault = { spec, addedAt: Date.now(), used: 0 };
    if (spec.seed !== undefined) f.random = seededRandom(spec.seed);
    this.faults.push(f);
  }

  clear(): void {
    this.faults = [];
  }

  list(): FaultSpec[] {
    return this.faults.filter((f) => !this.expired(f, Date.now())).map((f) => ({ ...f.spec }));
  }

  private expired(f: ActiveFault, now: number): boolean {
    if (f.spec.times !== undefined && f.used >= f.spec.times) return true;
    if (f.spec.forMs !== undefined && now > f.addedAt + (f.spec.afterMs ?? 0) + f.spec.forMs) return true;
    return false;
  }

  private hit(f: ActiveFault, now: number): boolean {
    if (this.expired(f, now)) return false;
    if (f.spec.afterMs !== undefined && now < f.addedAt + f.spec.afterMs) return false;
    if (f.spec.probability !== undefined && (f.random ?? this.random)() >= f.spec.probability) return false;
    f.used += 1;
    return true;
  }

  /** All bot faults that hit this call of `bot`. */
  takeBot(bot: string): FaultSpec[] {
    const now = Date.now();
    const name = bot.replace(/^@/, '').toLowerCase();
    const out: FaultSpec[] = [];
    for (const f of this.faults) {
      if (!(BOT_FAULT_KINDS as readonly string[]).includes(f.spec.kind)) continue;
      if (f.spec.bot?.replace(/^@/, '').toLowerCase() !== name) continue;
      if (this.hit(f, now)) out.push(f.spec);
    }
    this.prune(now);
    return out;
  }

  /** The data-center fault (if any) that hits this RPC. */
  takeRpc(method: string, userId?: string): FaultSpec | undefined {
    return this.takeFirst(RPC_FAULT_KINDS, (s) => methodMatches(s.method, method) && (s.user === undefined || s.user === userId));
  }

  /** The rate_limit fault (if any) that applies to this call of `bot`. */
  takeLimit(bot: string): FaultSpec | undefined {
    const name = bot.replace(/^@/, '').toLowerCase();
    return this.takeFirst(LIMIT_FAULT_KINDS, (s) => s.bot?.replace(/^@/, '').toLowerCase() === name);
  }

  /** The Mini App fault of this kind (if any) that hits a page request or a web view of `bot`. */
  takeWebApp(bot: string, kind: (typeof WEBAPP_FAULT_KINDS)[number]): FaultSpec | undefined {
    const name = bot.replace(/^@/, '').toLowerCase();
    return this.takeFirst([kind], (s) => s.bot?.replace(/^@/, '').toLowerCase() === name);
  }

  /** The push fault (if any) that hits a push of `update` from `bot`. */
  takePush(bot: string | undefined, update?: PushKind): FaultSpec | undefined {
    const name = bot?.toLowerCase();
    return this.takeFirst(
      PUSH_FAULT_KINDS,
      (s) => (!s.bot || s.bot.replace(/^@/, '').toLowerCase() === name) && (!s.update || s.update === update),
    );
  }

  private takeFirst(kinds: readonly string[], match: (s: FaultSpec) => boolean): FaultSpec | undefined {
    const now = Date.now();
    let found: FaultSpec | undefined;
    for (const f of this.faults) {
      if (!kinds.includes(f.spec.kind) || !match(f.spec)) continue;
      if (this.hit(f, now)) {
        found = f.spec;
        break;
      }
    }
    this.prune(now);
    return found;
  }

  private prune(now: number): void {
    this.faults = this.faults.filter((f) => !this.expired(f, now));
  }
}

function methodMatches(pattern: string | undefined, method: string): boolean {
  if (!pattern || pattern === '*') return true;
  return pattern.toLowerCase() === method.toLowerCase();
}

/** The rpc_error code Telegram uses for an error message. */
export function errorCodeFor(message: string): number {
  if (/^FLOOD_WAIT_\d+$/.test(message) || /^FLOOD_/.test(message)) return 420;
  if (/^(AUTH_KEY_UNREGISTERED|AUTH_KEY_INVALID|USER_DEACTIVATED|SESSION_REVOKED|SESSION_EXPIRED|SESSION_PASSWORD_NEEDED)/.test(message)) return 401;
  if (/^AUTH_KEY_DUPLICATED$/.test(message)) return 406;
  if (/^(INTERNAL|RPC_CALL_FAIL|.*_TIMEOUT)/.test(message)) return 500;
  if (/^(PHONE|NETWORK|USER|FILE)_MIGRATE_/.test(message)) return 303;
  return 400;
}
