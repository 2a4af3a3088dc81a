/** POST routes: Flagger webhooks and on-demand runs. */
import { testerErrorReason } from './routes-read.js';
import type { FlaggerPayload, Handler, RouteCtx } from './routes-types.js';
import { bearerToken, HttpError, isRecord, readJsonBody, sendJson, tokenMatches, UNAUTHORIZED } from './routes-util.js';

const REVISION_RE = /^[\w.:@/+-]{1,128}$/;
/** A pair name (src/config/pairs-schema.ts PAIR_NAME_RE). */
const FLAGGER_PAIR_RE = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** Validates Flagger's payload without ever echoing its values (metadata may carry a token). */
export function parseFlaggerPayload(body: unknown, opts: { pairs?: boolean; queryTarget?: string | null } = {}): FlaggerPayload {
  if (!isRecord(body)) throw new HttpError(400, 'Flagger payload must be a JSON object');
  for (const k of ['name', 'namespace'] as const) {
    if (typeof body[k] !== 'string' || body[k] === '') throw new HttpError(400, `Flagger payload: ${k} must be a non-empty string`);
  }
  for (const k of ['phase', 'checksum'] as const) {
    if (body[k] !== undefined && typeof body[k] !== 'string') throw new HttpError(400, `Flagger payload: ${k} must be a string`);
  }
  let metadata: Record<string, string> | undefined;
  if (body.metadata !== undefined && body.metadata !== null) {
    if (!isRecord(body.metadata) || Object.values(body.metadata).some((v) => typeof v !== 'string')) {
      throw new HttpError(400, 'Flagger payload: metadata must be an object of strings');
    }
    metadata = { ...(body.metadata as Record<string, string>) };
  }
  const asked = (opts.pairs ? opts.queryTarget : undefined) ?? metadata?.target;
  // fleets: `?target=<pair>` (or metadata.target naming a pair) picks the pair; its canary's verdict is read
  const pair = opts.pairs && asked !== undefined && asked !== 'canary' && asked !== 'stable' && FLAGGER_PAIR_RE.test(asked) ? asked : undefined;
  const target = pair ? undefined : asked;
  if (target !== undefined && target !== 'canary' && target !== 'stable') {
    throw new HttpError(400, opts.pairs ? 'Flagger target must be canary, stable or a pair name' : 'Flagger payload: metadata.target must be canary or stable');
  }
  return {
    ...(pair ? { pair } : {}),
    target,
    name: body.name as string,
    namespace: body.namespace as string,
    phase: (body.phase as string | undefined) ?? '',
    checksum: body.checksum as string | undefined,
    metadata,
  };
}

/**
 * With `privateReads`, Flagger (which cannot set headers on webhooks) may pass the token as `metadata.token`;
 * a bearer header works too. The token is removed before the payload goes further.
 */
async function flaggerBody(ctx: RouteCtx): Promise<{ payload: FlaggerPayload; token: string | undefined }> {
  const payload = parseFlaggerPayload(await readJsonBody(ctx.req), { pairs: ctx.deps.getPairVerdict !== undefined, queryTarget: ctx.url.searchParams.get('target') });
  const metaToken = payload.metadata?.token;
  if (payload.metadata) delete payload.metadata.token;
  const token = bearerToken(ctx.req) ?? metaToken;
  if (ctx.deps.privateReads && ctx.deps.token !== undefined) {
    if (!tokenMatches(ctx.deps.token, token)) throw UNAUTHORIZED();
  }
  return { payload, token };
}

/** `POST /v1/flagger/gate`: 200 when the verdict for that checksum is pass, 503 with the reason otherwise. */
export const flaggerGate: Handler = async (ctx) => {
  const { payload, token } = await flaggerBody(ctx);
  try {
    // a checksum with no verdict yet starts a run: that needs the token (metadata.token or bearer) and a free slot
    const r = await ctx.deps.flaggerGate(payload, ctx.startGate(token));
    sendJson(ctx.res, r.ok ? 200 : 503, { ok: r.ok, reason: r.reason });
  } catch (e) {
    if (e instanceof HttpError) throw e; // 401/403/429: not ready either way, and the caller learns why
    ctx.deps.logger.error({ err: e, canary: payload.name, namespace: payload.namespace }, 'flagger gate failed');
    sendJson(ctx.res, 503, { ok: false, reason: testerErrorReason(e) });
  }
};

/** `POST /v1/flagger/rollback`: 200 (roll back) only when the canary fails; 503 otherwise, and on our errors. */
export const flaggerRollback: Handler = async (ctx) => {
  const { payload } = await flaggerBody(ctx);
  try {
    const r = await ctx.deps.flaggerRollback(payload);
    sendJson(ctx.res, r.ok ? 200 : 503, { rollback: r.ok, reason: r.reason });
  } catch (e) {
    ctx.deps.logger.error({ err: e, canary: payload.name, namespace: payload.namespace }, 'flagger rollback check failed');
    sendJson(ctx.res, 503, { rollback: false, reason: testerErrorReason(e) });
  }
};

/**
 * `POST /v1/flagger/start` (Flagger pre-rollout): 202 whatever happens — a non-2xx pre-rollout answer counts
 * towards Flagger's rollback threshold, and a tester problem must never roll back. The reason says what was done.
 */
export const flaggerStart: Handler = async (ctx) => {
  const { payload, token } = await flaggerBody(ctx);
  try {
    // starting a run needs the token (metadata.token or bearer) and a free slot; a refusal is still a 202
    const r = await ctx.deps.flaggerStart(payload, ctx.startGate(token));
    sendJson(ctx.res, 202, { ok: true, reason: r.reason });
  } catch (e) {
    ctx.deps.logger.error({ err: e, canary: payload.name, namespace: payload.namespace }, 'flagger pre-rollout failed');
    sendJson(ctx.res, 202, { ok: true, reason: `not started: ${testerErrorReason(e)}; the confirm-promotion gate starts the run` });
  }
};

/**
 * `POST /v1/runs` (bearer token): 202 `{ runId }`, 409 while a run is in progress, 429 past the rate limit shared
 * with every route that can start a run.
 */
export function runsHandler(): Handler {
  return async (ctx) => {
    const { deps } = ctx;
    if (deps.token === undefined || deps.token === '') {
      throw new HttpError(403, 'on-demand runs are disabled: configure a serve token');
    }
    if (!tokenMatches(deps.token, bearerToken(ctx.req))) throw UNAUTHORIZED();
    const gate = ctx.startGate(bearerToken(ctx.req));
    const body = await readJsonBody(ctx.req);
    if (body !== undefined && !isRecord(body)) throw new HttpError(400, 'body must be a JSON object');
    const revision = body?.revision;
    const reason = body?.reason;
    if (revision !== undefined && (typeof revision !== 'string' || !REVISION_RE.test(revision))) {
      throw new HttpError(400, 'revision must be 1-128 characters of [A-Za-z0-9_.:@/+-]');
    }
    if (reason !== undefined && (typeof reason !== 'string' || reason.length > 200)) {
      throw new HttpError(400, 'reason must be a string of at most 200 characters');
    }
    gate.check();
    const started = await deps.startRun({ revision: revision as string | undefined, reason: (reason as string | undefined) ?? 'api' });
    if ('busy' in started) {
      sendJson(ctx.res, 409, { error: 'a run is already in progress' });
      return;
    }
    gate.started();
    deps.logger.info({ runId: started.runId }, 'on-demand run started');
    sendJson(ctx.res, 202, { runId: started.runId });
  };
}
