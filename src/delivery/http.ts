/**
 * Small fetch wrapper shared by notifiers and status pushers: a deadline, a scrubbed error (URLs may hold tokens,
 * ping ids or passwords), and `retryAfterMs` from 429 / Retry-After so the outbox can wait as asked.
 */
import { TgCanaryError, type ErrorCode } from '../core/errors.js';
import type { ErrorCodeFamily } from '../core/error-codes.js';
import { scrubSecrets } from './escape.js';

export class DeliveryError extends TgCanaryError {
  /** Set when the receiver asked us to wait (HTTP 429, Retry-After, Telegram `retry_after`). */
  readonly retryAfterMs?: number;
  readonly status?: number;
  /** The receiver refused the request itself (a 4xx other than 408/429): retrying cannot help, the outbox parks it. */
  readonly permanent: boolean;
  constructor(code: ErrorCode, message: string, opts: { hint?: string; retryAfterMs?: number; status?: number; permanent?: boolean } = {}) {
    super(code, message, { kind: 'infra', hint: opts.hint });
    this.name = 'DeliveryError';
    this.retryAfterMs = opts.retryAfterMs;
    this.status = opts.status;
    this.permanent = opts.permanent ?? false;
  }
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  /** Strings that must never appear in an error (tokens, secrets, the URL itself when it is secret). */
  secrets?: ReadonlyArray<string | undefined>;
  /** Short name of the target for messages, e.g. `pushgateway`. */
  what: string;
  /** Resolve for any HTTP status (the caller inspects it); network failures still throw. */
  anyStatus?: boolean;
}

export interface HttpResponse {
  status: number;
  text: string;
  headers: Headers;
}

/** Sends the request; resolves for 2xx, throws a scrubbed `DeliveryError` otherwise. */
export async function httpSend(req: HttpRequest): Promise<HttpResponse> {
  const secrets = req.secrets ?? [];
  let res: Response;
  try {
    res = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      signal: AbortSignal.timeout(req.timeoutMs ?? 10_000),
      redirect: 'error',
    });
  } catch (e) {
    throw new DeliveryError('DELIVERY_NETWORK', `${req.what}: request failed: ${scrubSecrets(describeCause(e), secrets)}`, {
      hint: `Is ${req.what} reachable from here? The delivery stays in the outbox and is retried.`,
    });
  }
  const text = await res.text().catch(() => '');
  if (req.anyStatus || (res.status >= 200 && res.status < 300)) return { status: res.status, text, headers: res.headers };
  const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
  throw new DeliveryError(
    `DELIVERY_HTTP_${res.status}`,
    `${req.what}: HTTP ${res.status}: ${scrubSecrets(text.slice(0, 300), secrets)}`,
    { retryAfterMs, status: res.status, hint: res.status === 429 ? 'Rate limited; retried later.' : undefined },
  );
}

/** 4xx except 408 (timeout) and 429 (rate limit) will fail the same way again; 5xx and network errors will not. */
export function isPermanentStatus(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/**
 * The error for a non-2xx answer of a channel that classifies its answers (chat webhooks, PagerDuty): permanent
 * for 4xx (except 408/429), the receiver's wait from `Retry-After` (or `retryAfterMs` from the body) otherwise.
 */
export function httpStatusError(
  what: string,
  res: HttpResponse,
  opts: { code: ErrorCodeFamily; detail: string; secrets?: ReadonlyArray<string | undefined>; retryAfterMs?: number; hint?: string },
): DeliveryError {
  const permanent = isPermanentStatus(res.status);
  const retryAfterMs = opts.retryAfterMs ?? parseRetryAfter(res.headers.get('retry-after'));
  const detail = scrubSecrets(opts.detail.slice(0, 300), opts.secrets ?? []);
  return new DeliveryError(`${opts.code}_${res.status}` as ErrorCode, `${what}: HTTP ${res.status}${permanent ? ' (not retried)' : ''}: ${detail}`, {
    status: res.status,
    permanent,
    retryAfterMs: permanent ? undefined : retryAfterMs,
    hint: opts.hint ?? (res.status === 429 ? 'Rate limited; the outbox retries after the wait the receiver asked for.'
      : permanent ? 'The receiver rejected the request; fix the configuration (the item is parked, see `tg-canary alerts`).'
        : 'The receiver failed; the outbox retries with backoff.'),
  });
}

function describeCause(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const parts = [e.message];
  const cause = (e as { cause?: unknown }).cause;
  if (cause instanceof Error) parts.push(cause.message);
  else if (cause !== undefined) parts.push(String(cause));
  return parts.join(': ');
}

function parseRetryAfter(v: string | null): number | undefined {
  if (!v) return undefined;
  const secs = Number(v);
  if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** Error text safe for logs and the outbox row. */
export function deliveryErrorText(e: unknown, secrets: ReadonlyArray<string | undefined> = []): string {
  const msg = e instanceof TgCanaryError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
  return scrubSecrets(msg, secrets).slice(0, 500);
}
