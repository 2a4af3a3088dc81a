/** HTTP plumbing for the serve app: responses with security headers, bounded JSON bodies, bearer auth. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BlockList, isIP } from 'node:net';
import type { RunStartGate, ServeDeps } from './routes-types.js';

export const MAX_BODY_BYTES = 64 * 1024;

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

/** An error that maps to an HTTP status with a safe, fixed message (never echoes input or secrets). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function send(res: ServerResponse, status: number, contentType: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': contentType, 'Content-Length': String(buf.length), ...headers });
  res.end(buf);
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(value, null, 2)}\n`, headers);
}

/** Reads a JSON body of at most 64 KiB. Empty body → `undefined`. Too big → 413, malformed → 400. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
    throw new HttpError(413, `request body over ${MAX_BODY_BYTES} bytes`, { Connection: 'close' });
  }
  // Event-based on purpose: leaving a for-await loop early would destroy the socket before the 413 is sent.
  const chunks = await new Promise<Buffer[]>((resolve, reject) => {
    const got: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        over = true;
        got.length = 0;
        reject(new HttpError(413, `request body over ${MAX_BODY_BYTES} bytes`, { Connection: 'close' }));
        return;
      }
      got.push(chunk);
    });
    req.on('end', () => resolve(got));
    req.on('error', reject);
  });
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'malformed JSON body');
  }
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/** Constant-time token check: both sides hashed to equal-length digests, then timingSafeEqual. */
export function tokenMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined || given === '' || expected === '') return false;
  return timingSafeEqual(digest(expected), digest(given));
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return undefined;
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(h);
  return m?.[1];
}

export const UNAUTHORIZED = (): HttpError =>
  new HttpError(401, 'missing or wrong bearer token', { 'WWW-Authenticate': 'Bearer realm="tg-canary"' });

/** A sliding-window limit on accepted actions (on-demand runs). */
export class SlidingWindowLimiter {
  private readonly hits: number[] = [];
  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Milliseconds until a slot frees up, or 0 when one is free now. */
  retryAfterMs(now: number): number {
    while (this.hits.length > 0 && (this.hits[0] ?? 0) <= now - this.windowMs) this.hits.shift();
    if (this.hits.length < this.max) return 0;
    return Math.max(1, (this.hits[0] ?? now) + this.windowMs - now);
  }

  record(now: number): void {
    this.hits.push(now);
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An allow-list of addresses and CIDR subnets (`SERVE_RUN_ALLOW`); undefined when empty. */
export function addressList(entries: readonly string[] | undefined): BlockList | undefined {
  if (!entries || entries.length === 0) return undefined;
  const list = new BlockList();
  for (const e of entries) {
    const [addr = '', bits] = e.split('/');
    const type = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(addr, type);
    else list.addSubnet(addr, Number(bits), type);
  }
  return list;
}

/** Whether the peer's address is on the list (an IPv4-mapped IPv6 address counts as its IPv4 one). */
export function addressAllowed(list: BlockList | undefined, remote: string | undefined): boolean {
  if (!list || !remote) return false;
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(remote)?.[1];
  if (v4) return list.check(v4, 'ipv4');
  return list.check(remote, isIP(remote) === 6 ? 'ipv6' : 'ipv4');
}

/**
 * The gate every route that can start a run goes through: the serve token (or an allowed address), then one
 * shared rate limit (`SERVE_MAX_RUNS_PER_HOUR`) over all of them.
 */
export function runStartGate(req: IncomingMessage, deps: ServeDeps, limiter: SlidingWindowLimiter,
  allow: BlockList | undefined, presented: string | undefined): RunStartGate {
  return {
    check(): void {
      const tokenOk = deps.token !== undefined && deps.token !== '' && tokenMatches(deps.token, presented);
      if (!tokenOk && !addressAllowed(allow, req.socket.remoteAddress)) {
        if ((deps.token === undefined || deps.token === '') && !allow) {
          throw new HttpError(403, 'runs started over HTTP are disabled: configure SERVE_TOKEN (or SERVE_RUN_ALLOW)');
        }
        throw UNAUTHORIZED();
      }
      const wait = limiter.retryAfterMs(deps.clock.now());
      if (wait > 0) {
        throw new HttpError(429, 'too many runs started over HTTP; try again later', { 'Retry-After': String(Math.ceil(wait / 1000)) });
      }
    },
    started(): void {
      limiter.record(deps.clock.now());
    },
  };
}
