/**
 * Issue 17 routes: SVG badges (`/badge/canary.svg`, `/badge/canary/uptime.svg`, `/badge/canary/suite/rag.svg`,
 * `/badge/canary/suite/rag/uptime.svg`; cacheable for a minute, embeddable cross-origin) and silences
 * (`GET /v1/silences`, `POST /v1/silences`, `POST /v1/silences/expire`; writes need the bearer token).
 */
import { createHash } from 'node:crypto';
import { parseDuration } from '../schema-kit/duration.js';
import { isTgCanaryError } from '../core/errors.js';
import type { TargetName } from '../core/types.js';
import { statusBadge, uptimeBadge } from './badge-svg.js';
import type { Handler, RouteCtx } from './routes-types.js';
import { bearerToken, HttpError, isRecord, readJsonBody, send, sendJson, tokenMatches, UNAUTHORIZED } from './routes-util.js';

export const BADGE_PATH_RE = /^\/badge\/(canary|stable)(?:\/suite\/([A-Za-z0-9._%-]{1,128}))?(\/uptime)?\.svg$/;

export const BADGE_MAX_AGE_S = 60;

export const badge: Handler = async (ctx) => {
  const m = BADGE_PATH_RE.exec(ctx.url.pathname);
  if (!m || !ctx.deps.badge) throw new HttpError(404, 'not found');
  let suite: string | undefined;
  try {
    suite = m[2] === undefined ? undefined : decodeURIComponent(m[2]);
  } catch {
    throw new HttpError(404, 'not found');
  }
  const data = ctx.deps.badge(m[1] as TargetName, suite);
  if (!data) throw new HttpError(404, 'no such suite on this target');
  const body = m[3] ? uptimeBadge(data) : statusBadge(data);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
  const headers = {
    'Cache-Control': `public, max-age=${BADGE_MAX_AGE_S}`,
    ETag: etag,
    // badges are made to be embedded in other sites' pages (READMEs, dashboards)
    'Cross-Origin-Resource-Policy': 'cross-origin',
  };
  if (ctx.req.headers['if-none-match'] === etag) {
    ctx.res.writeHead(304, headers);
    ctx.res.end();
    return;
  }
  send(ctx.res, 200, 'image/svg+xml; charset=utf-8', body, headers);
};

function requireToken(ctx: RouteCtx): void {
  const { deps } = ctx;
  if (deps.token === undefined || deps.token === '') throw new HttpError(403, 'silences over HTTP are disabled: configure a serve token');
  if (!tokenMatches(deps.token, bearerToken(ctx.req))) throw UNAUTHORIZED();
}

function port(ctx: RouteCtx): NonNullable<RouteCtx['deps']['silences']> {
  if (!ctx.deps.silences) throw new HttpError(404, 'not found');
  return ctx.deps.silences;
}

export const listSilences: Handler = async (ctx) => {
  sendJson(ctx.res, 200, { silences: port(ctx).list() });
};

function optString(body: Record<string, unknown>, k: string, max: number): string | undefined {
  const v = body[k];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v.length > max) throw new HttpError(400, `${k} must be a string of at most ${max} characters`);
  return v;
}

function optTime(body: Record<string, unknown>, k: string): number | undefined {
  const v = optString(body, k, 64);
  if (v === undefined) return undefined;
  const t = Date.parse(v);
  if (!Number.isFinite(t)) throw new HttpError(400, `${k} must be an ISO 8601 time`);
  return t;
}

/** `POST /v1/silences` `{ target?, suite?, scenario?, for: "2h" | endsAt, startsAt?, reason, createdBy? }` → 201. */
export const addSilence: Handler = async (ctx) => {
  requireToken(ctx);
  const silences = port(ctx);
  const body = await readJsonBody(ctx.req);
  if (!isRecord(body)) throw new HttpError(400, 'body must be a JSON object');
  const forText = optString(body, 'for', 32);
  const durationMs = forText === undefined ? undefined : parseDuration(forText);
  if (forText !== undefined && durationMs === undefined) throw new HttpError(400, 'for must be a duration such as 30m or 2h');
  const by = optString(body, 'createdBy', 48);
  try {
    const s = silences.add({
      target: optString(body, 'target', 16), suite: optString(body, 'suite', 128), scenario: optString(body, 'scenario', 128),
      durationMs, startsAt: optTime(body, 'startsAt'), endsAt: optTime(body, 'endsAt'), reason: optString(body, 'reason', 200),
      createdBy: by ? `api:${by}` : 'api',
    });
    ctx.deps.logger.info({ silence: s.id, until: new Date(s.endsAt).toISOString() }, 'silence added over the API');
    sendJson(ctx.res, 201, { silence: s });
  } catch (e) {
    if (isTgCanaryError(e) && e.code === 'SILENCE_INVALID') {
      sendJson(ctx.res, 400, { error: e.message, code: e.code, hint: e.hint });
      return;
    }
    throw e;
  }
};

/** `POST /v1/silences/expire` `{ id }` → 200, or 404 when no such active silence. */
export const expireSilence: Handler = async (ctx) => {
  requireToken(ctx);
  const silences = port(ctx);
  const body = await readJsonBody(ctx.req);
  const id = isRecord(body) ? body.id : undefined;
  if (typeof id !== 'string' || !/^[\w-]{1,64}$/.test(id)) throw new HttpError(400, 'id must be a silence id');
  if (!silences.expire(id)) throw new HttpError(404, 'no active silence with that id');
  sendJson(ctx.res, 200, { expired: id });
};
