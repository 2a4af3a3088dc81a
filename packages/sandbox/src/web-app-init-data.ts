/**
 * Telegram Mini App init data (core.telegram.org/bots/webapps, "Validating data received via the Mini App"):
 * the query string `query_id=…&user=…&auth_date=…&hash=…` where hash = hex HMAC-SHA256(data-check-string,
 * HMAC-SHA256("WebAppData" as key, bot token)) and the data-check-string is every other field as `key=value`,
 * sorted by key, joined by "\n". The sandbox signs it (messages.requestWebView); a bot backend validates it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface InitDataUser {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

function secretKey(botToken: string): Buffer {
  return createHmac('sha256', 'WebAppData').update(botToken).digest();
}

function dataCheckString(params: URLSearchParams): string {
  return [...params.entries()]
    .filter(([k]) => k !== 'hash')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
}

/** Signs init data with `botToken`; returns it as a query string (URL-encoded, as Telegram hands it over). */
export function signInitData(fields: { queryId?: string; user: InitDataUser; authDate: number; startParam?: string }, botToken: string): string {
  const p = new URLSearchParams();
  if (fields.queryId) p.set('query_id', fields.queryId);
  p.set('user', JSON.stringify(fields.user));
  p.set('auth_date', String(fields.authDate));
  if (fields.startParam) p.set('start_param', fields.startParam);
  p.set('hash', createHmac('sha256', secretKey(botToken)).update(dataCheckString(p)).digest('hex'));
  return p.toString();
}

export type InitDataCheck =
  | { ok: true; user?: InitDataUser; queryId?: string; authDate: number }
  | { ok: false; reason: string };

/**
 * What a Mini App backend must do with the init data its page sends: check the hash against its bot token and
 * reject stale data (older than `maxAgeSec`, default a day).
 */
export function validateInitData(raw: string, botToken: string, opts: { nowSec?: number; maxAgeSec?: number } = {}): InitDataCheck {
  const p = new URLSearchParams(raw);
  const hash = p.get('hash');
  if (!hash || !/^[0-9a-f]{64}$/u.test(hash)) return { ok: false, reason: 'no hash in the init data' };
  const want = createHmac('sha256', secretKey(botToken)).update(dataCheckString(p)).digest();
  if (!timingSafeEqual(want, Buffer.from(hash, 'hex'))) return { ok: false, reason: 'the init data signature is invalid' };
  const authDate = Number(p.get('auth_date'));
  const now = opts.nowSec ?? Math.floor(Date.now() / 1000);
  if (!Number.isFinite(authDate) || now - authDate > (opts.maxAgeSec ?? 86_400)) return { ok: false, reason: 'the init data is outdated' };
  let user: InitDataUser | undefined;
  try {
    const u = p.get('user');
    user = u ? (JSON.parse(u) as InitDataUser) : undefined;
  } catch {
    return { ok: false, reason: 'the init data user is not JSON' };
  }
  return { ok: true, user, queryId: p.get('query_id') ?? undefined, authDate };
}
