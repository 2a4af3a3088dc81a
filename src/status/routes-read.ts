/** Read routes: health, readiness, status JSON, metrics, the verdict for Argo, the status page, reports. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isTgCanaryError } from '../core/errors.js';
import type { TargetName } from '../core/types.js';
import { truncate } from '../util/html.js';
import { bearerToken, HttpError, send, sendJson } from './routes-util.js';
import type { RouteCtx } from './routes-types.js';
import { renderStatusPage } from './status-page.js';

export async function health(ctx: RouteCtx): Promise<void> {
  sendJson(ctx.res, 200, { status: 'ok' });
}

export async function ready(ctx: RouteCtx): Promise<void> {
  let ok = false;
  try {
    ok = ctx.deps.isReady();
  } catch (e) {
    ctx.deps.logger.warn({ err: e }, 'readiness check failed');
  }
  sendJson(ctx.res, ok ? 200 : 503, { ready: ok });
}

export async function status(ctx: RouteCtx): Promise<void> {
  sendJson(ctx.res, 200, await ctx.deps.getStatusJson());
}

export async function metrics(ctx: RouteCtx): Promise<void> {
  const m = await ctx.deps.getMetrics();
  send(ctx.res, 200, m.contentType, m.body);
}

export async function statusPage(ctx: RouteCtx): Promise<void> {
  if (ctx.deps.renderStatusPage) {
    send(ctx.res, 200, 'text/html; charset=utf-8', await ctx.deps.renderStatusPage());
    return;
  }
  const data = await ctx.deps.getStatusPageData();
  send(ctx.res, 200, 'text/html; charset=utf-8', renderStatusPage(data));
}

/** A safe one-line reason for an internal error: our coded errors say what happened, others say nothing. */
export function testerErrorReason(e: unknown): string {
  if (isTgCanaryError(e)) return `tester error: ${e.code}: ${truncate(e.message.split('\n')[0] ?? '', 200)}`;
  return 'tester error: unexpected error (see the tg-canary logs)';
}

/** A pair name as `?target=` (src/config/pairs-schema.ts PAIR_NAME_RE; status/ does not import config/). */
const PAIR_TARGET_RE = /^[a-z0-9][a-z0-9-]{0,39}$/;

function inconclusive(reason: string, target?: string, revision?: string): Record<string, unknown> {
  return { schema: 1, verdict: 'inconclusive', decision: 'hold', target, revision, reasons: [reason] };
}

/**
 * `GET /v1/verdict?target=canary[&revision=R]`: ALWAYS 200 (Argo's web provider treats non-2xx as an error,
 * not a failure), with the verdict JSON; an internal error becomes `inconclusive` with the reason.
 */
export async function verdict(ctx: RouteCtx): Promise<void> {
  const target = ctx.url.searchParams.get('target') ?? 'canary';
  const revisionRaw = ctx.url.searchParams.get('revision');
  const revision = revisionRaw === null || revisionRaw === '' ? undefined : revisionRaw;
  const pairLookup = target !== 'canary' && target !== 'stable' ? ctx.deps.getPairVerdict : undefined;
  if (target !== 'canary' && target !== 'stable' && !(pairLookup && PAIR_TARGET_RE.test(target))) {
    sendJson(ctx.res, 200, inconclusive(pairLookup
      ? 'unknown target: use target=canary, target=stable or target=<pair name>'
      : 'unknown target: use target=canary or target=stable'));
    return;
  }
  if (revision !== undefined && !/^[\w.:@/+-]{1,128}$/.test(revision)) {
    sendJson(ctx.res, 200, inconclusive('invalid revision: use 1-128 characters of [A-Za-z0-9_.:@/+-]', target));
    return;
  }
  try {
    const gate = ctx.startGate(bearerToken(ctx.req));
    const body = pairLookup ? await pairLookup(target, revision, gate) : await ctx.deps.getVerdict(target as TargetName, revision, gate);
    sendJson(ctx.res, 200, body);
  } catch (e) {
    if (e instanceof HttpError) {
      // not allowed to start the run this revision needs (token, allow-list, rate limit): still 200 for Argo,
      // inconclusive (hold), with the reason; never a pass
      sendJson(ctx.res, 200, inconclusive(`no run started for revision ${revision ?? ''}: ${e.message}`, target, revision),
        e.headers['Retry-After'] ? { 'Retry-After': e.headers['Retry-After'] } : {});
      return;
    }
    ctx.deps.logger.error({ err: e, target }, 'verdict lookup failed');
    sendJson(ctx.res, 200, inconclusive(testerErrorReason(e), target, revision));
  }
}

const REPORT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
};

/** `/reports/latest.{html,json,xml,md}` and `/reports/<runId>/{report.html,verdict.json,junit.xml,summary.md}`. */
export const REPORT_PATH_RE =
  /^\/reports\/(?:(latest\.(?:html|json|xml|md))|([A-Za-z0-9][A-Za-z0-9._-]{0,127})\/(report\.html|verdict\.json|junit\.xml|summary\.md))$/;

export async function reportFile(ctx: RouteCtx): Promise<void> {
  const m = REPORT_PATH_RE.exec(ctx.url.pathname);
  const dir = ctx.deps.reportsDir;
  if (!m || !dir || (m[2] ?? '').includes('..')) throw new HttpError(404, 'not found');
  const rel = m[1] ?? path.join(m[2] ?? '', m[3] ?? '');
  let body: Buffer;
  try {
    body = await readFile(path.join(dir, rel));
  } catch {
    throw new HttpError(404, 'report not found (no run yet?)');
  }
  send(ctx.res, 200, REPORT_TYPES[path.extname(rel)] ?? 'application/octet-stream', body);
}
