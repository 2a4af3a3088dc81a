/**
 * Silences as the CLI (`tg-canary silence`) and the serve API (`/v1/silences`) create them: one validation, one
 * id scheme, stored in SQLite. At least one matcher (Alertmanager's rule: no accidental "silence everything").
 */
import { randomBytes } from 'node:crypto';
import { TgCanaryError } from '../core/errors.js';
import type { Clock } from '../core/ports.js';
import type { Matchers, Silence } from '../core/maintenance.js';
import type { SilenceStore } from '../core/ports.js';

/** Longest silence (a longer mute belongs in the config as a window). */
export const MAX_SILENCE_MS = 30 * 86_400_000;
const NAME_RE = /^[\w.:@/+ -]{1,128}$/;

export interface SilenceRequest {
  target?: string;
  suite?: string;
  scenario?: string;
  /** From `startsAt` (default now). */
  durationMs?: number;
  startsAt?: number;
  endsAt?: number;
  reason?: string;
  createdBy: string;
}

function invalid(message: string, hint: string): TgCanaryError {
  return new TgCanaryError('SILENCE_INVALID', message, { kind: 'usage', hint });
}

/** Validates a request into a Silence (throws SILENCE_INVALID with a hint). */
export function buildSilence(req: SilenceRequest, now: number, id = newSilenceId(now)): Silence {
  const matchers: Matchers = {};
  if (req.target !== undefined) {
    if (req.target !== 'canary' && req.target !== 'stable') throw invalid('target must be canary or stable', 'use --target canary or --target stable');
    matchers.target = req.target;
  }
  for (const k of ['suite', 'scenario'] as const) {
    const v = req[k];
    if (v === undefined) continue;
    if (!NAME_RE.test(v)) throw invalid(`${k} must be 1-128 characters of letters, digits, spaces and _.:@/+-`, `check the ${k} name (tg-canary scenarios list)`);
    matchers[k] = v;
  }
  if (Object.keys(matchers).length === 0) throw invalid('a silence needs at least one matcher', 'add --target, --suite or --scenario');
  const reason = (req.reason ?? '').trim();
  if (reason === '' || reason.length > 200) throw invalid('a silence needs a reason of at most 200 characters', 'add --reason "why" (it is shown on the status page)');
  const startsAt = req.startsAt ?? now;
  const endsAt = req.endsAt ?? (req.durationMs !== undefined ? startsAt + req.durationMs : undefined);
  if (endsAt === undefined || !Number.isFinite(endsAt) || !Number.isFinite(startsAt)) throw invalid('a silence needs an end', 'give --for 2h (or endsAt)');
  if (endsAt <= startsAt || endsAt <= now) throw invalid('a silence must end after it starts and in the future', 'give a positive --for such as 30m or 2h');
  if (endsAt - startsAt > MAX_SILENCE_MS) throw invalid('a silence may last at most 30 days', 'use a maintenance window in the config for longer or recurring maintenance');
  const createdBy = req.createdBy.slice(0, 64);
  return { id, createdAt: now, startsAt, endsAt, expiredAt: null, matchers, reason, createdBy };
}

export function newSilenceId(now: number): string {
  return `sil-${now.toString(36)}-${randomBytes(3).toString('hex')}`;
}

export interface SilenceApi {
  list(): Silence[];
  add(req: SilenceRequest): Silence;
  /** False when there is no such active silence. */
  expire(id: string): boolean;
}

export function silenceApi(d: { store: Pick<SilenceStore, 'addSilence' | 'expireSilence' | 'listSilences'>; clock: Clock }): SilenceApi {
  return {
    list: () => d.store.listSilences(d.clock.now()),
    add(req) {
      const s = buildSilence(req, d.clock.now());
      d.store.addSilence(s);
      return s;
    },
    expire: (id) => d.store.expireSilence(id, d.clock.now()),
  };
}
