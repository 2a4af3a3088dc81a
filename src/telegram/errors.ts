/**
 * gramjs errors → core errors. Everything here is infrastructure (kind `infra`): Telegram, the network, the
 * session, flood control. None of it may ever make a scenario `fail`.
 */
import { TgCanaryError } from '../core/errors.js';

const LOGIN_HINT =
  'Run `tg-canary login` to create a new session string, and give each deployment (CronJob, laptop, CI) its own session.';

interface RpcLike {
  errorMessage?: string;
  seconds?: number;
  code?: number;
  message?: string;
}

export function mapTelegramError(err: unknown, during: string): TgCanaryError {
  if (err instanceof TgCanaryError) return err;
  const e = (err ?? {}) as RpcLike;
  const msg = typeof e.errorMessage === 'string' ? e.errorMessage : '';
  const opts = (hint: string): { kind: 'infra'; hint: string; cause: unknown } => ({ kind: 'infra', hint, cause: err });
  if (msg === 'FLOOD' || msg.startsWith('FLOOD_WAIT') || typeof e.seconds === 'number' && /FLOOD/.test(msg)) {
    const s = e.seconds ?? Number(/(\d+)/.exec(msg)?.[1] ?? 0);
    return new TgCanaryError('TG_FLOOD_WAIT', `Telegram asked us to wait ${s} s (FLOOD_WAIT) during ${during}, more than the flood-wait budget`, opts(
      'Raise FLOOD_SLEEP_THRESHOLD, send fewer prompts per run (MESSAGE_PACING_MS), or run less often. This is not a bot failure.',
    ));
  }
  if (msg === 'AUTH_KEY_DUPLICATED') {
    return new TgCanaryError('TG_AUTH_KEY_DUPLICATED', `Telegram saw this session used from two places at once (AUTH_KEY_DUPLICATED) during ${during}`, opts(
      `The session is now invalid. ${LOGIN_HINT}`,
    ));
  }
  if (msg === 'AUTH_KEY_UNREGISTERED' || msg === 'SESSION_REVOKED' || msg === 'SESSION_EXPIRED' || msg === 'USER_DEACTIVATED' || msg === 'AUTH_KEY_INVALID' || msg === 'USER_DEACTIVATED_BAN') {
    return new TgCanaryError('TG_SESSION_INVALID', `The Telegram session is no longer valid (${msg}) during ${during}`, opts(LOGIN_HINT));
  }
  if (msg === 'USERNAME_NOT_OCCUPIED' || msg === 'USERNAME_INVALID') {
    return new TgCanaryError('TG_BOT_NOT_FOUND', `The bot username does not exist (${msg}) during ${during}`, {
      kind: 'config',
      hint: 'Check CANARY_BOT / STABLE_BOT: the bot username without @, as in t.me/<username>.',
      cause: err,
    });
  }
  if (msg) {
    return new TgCanaryError('TG_RPC_ERROR', `Telegram answered ${msg} during ${during}`, opts(
      'A Telegram-side error; the run is inconclusive. If it persists, check Telegram status and the session.',
    ));
  }
  const text = err instanceof Error ? err.message : String(err);
  return new TgCanaryError('TG_UNREACHABLE', `Could not reach Telegram during ${during}: ${scrub(text)}`, opts(
    'Check network access to Telegram (or TG_DC for the sandbox). The run is inconclusive, not a bot failure.',
  ));
}

/** Long base64 blobs (session strings, keys) never leave in an error message. */
export function scrub(text: string): string {
  return text.replace(/[A-Za-z0-9+/=_-]{64,}/g, '[redacted]');
}

export function rpcTimeout(during: string, ms: number): TgCanaryError {
  return new TgCanaryError('TG_RPC_TIMEOUT', `Telegram did not answer ${during} within ${ms} ms`, {
    kind: 'infra',
    hint: 'Telegram or the network is slow or down; the run is inconclusive. RPC_TIMEOUT_MS sets this deadline.',
  });
}
