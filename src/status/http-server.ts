/**
 * The `serve` HTTP server on node:http: health, readiness, status, metrics, the verdict for Argo Rollouts,
 * Flagger webhooks, on-demand runs and the status page. Everything it knows comes through ServeDeps.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { configError } from '../core/errors.js';
import { health, metrics, ready, REPORT_PATH_RE, reportFile, status, statusPage, verdict } from './routes-read.js';
import type { Route, RouteCtx, ServeDeps } from './routes-types.js';
import { addressList, bearerToken, HttpError, runStartGate, sendJson, SlidingWindowLimiter, tokenMatches, UNAUTHORIZED } from './routes-util.js';
import { flaggerGate, flaggerRollback, flaggerStart, runsHandler } from './routes-write.js';
import { addSilence, badge, BADGE_PATH_RE, expireSilence, listSilences } from './routes-maintenance.js';

export type { FlaggerPayload, GateResult, ServeDeps, VerdictBody } from './routes-types.js';

export interface ServeApp {
  server: http.Server;
  /** Starts listening; resolves with the bound port (useful with port 0). */
  listen(port: number, host: string): Promise<number>;
  /** Stops accepting, closes open connections, resolves when the server is closed. */
  close(): Promise<void>;
}

function buildRoutes(): Map<string, Route> {
  return new Map<string, Route>([
    ['/health', { methods: { GET: health }, privateRead: false }],
    ['/ready', { methods: { GET: ready }, privateRead: false }],
    ['/status', { methods: { GET: status }, privateRead: true }],
    ['/metrics', { methods: { GET: metrics }, privateRead: true }],
    ['/v1/verdict', { methods: { GET: verdict }, privateRead: true }],
    ['/v1/flagger/gate', { methods: { POST: flaggerGate }, privateRead: false }],
    ['/v1/flagger/rollback', { methods: { POST: flaggerRollback }, privateRead: false }],
    ['/v1/flagger/start', { methods: { POST: flaggerStart }, privateRead: false }],
    ['/v1/runs', { methods: { POST: runsHandler() }, privateRead: false }],
    ['/v1/silences', { methods: { GET: listSilences, POST: addSilence }, privateRead: true }],
    ['/v1/silences/expire', { methods: { POST: expireSilence }, privateRead: false }],
    ['/', { methods: { GET: statusPage }, privateRead: true }],
  ]);
}

const REPORT_ROUTE: Route = { methods: { GET: reportFile }, privateRead: true };
const BADGE_ROUTE: Route = { methods: { GET: badge }, privateRead: true };

export function createServeApp(deps: ServeDeps): ServeApp {
  if (deps.privateReads && !deps.token) {
    throw configError('SERVE_TOKEN_REQUIRED', 'private reads need a serve token', 'set the serve token, or turn privateReads off');
  }
  // one limit for every route that can start a run (POST /v1/runs, a new revision on /v1/verdict, the gate)
  const limiter = new SlidingWindowLimiter(deps.maxRunsPerWindow ?? 10, deps.runsWindowMs ?? 3_600_000);
  const allow = addressList(deps.runAllow);
  const routes = buildRoutes();

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = deps.clock.now();
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      sendJson(res, 400, { error: 'bad request URL' });
      return;
    }
    const route = routes.get(url.pathname) ?? (REPORT_PATH_RE.test(url.pathname) ? REPORT_ROUTE
      : BADGE_PATH_RE.test(url.pathname) ? BADGE_ROUTE : undefined);
    try {
      if (!route) throw new HttpError(404, 'not found');
      const method = req.method === 'HEAD' ? 'GET' : req.method;
      const handler = method === 'GET' || method === 'POST' ? route.methods[method] : undefined;
      if (!handler) {
        const allow = Object.keys(route.methods).flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m]));
        throw new HttpError(405, 'method not allowed', { Allow: allow.join(', ') });
      }
      if (route.privateRead && deps.privateReads && !tokenMatches(deps.token ?? '', bearerToken(req))) throw UNAUTHORIZED();
      const ctx: RouteCtx = { req, res, url, deps, startGate: (token) => runStartGate(req, deps, limiter, allow, token) };
      await handler(ctx);
    } catch (e) {
      if (e instanceof HttpError) {
        sendJson(res, e.status, { error: e.message }, e.headers);
        if (e.headers.Connection === 'close') req.resume();
      } else {
        deps.logger.error({ err: e, path: url.pathname }, 'request failed');
        sendJson(res, 500, { error: 'internal error' });
      }
    } finally {
      deps.logger.debug({ method: req.method, path: url.pathname, status: res.statusCode, ms: deps.clock.now() - started }, 'http');
    }
  }

  const headersTimeout = deps.headersTimeoutMs ?? 10_000;
  const requestTimeout = Math.max(deps.requestTimeoutMs ?? 30_000, headersTimeout);
  // Node checks these timeouts only every `connectionsCheckingInterval` (30 s by default), so a slow-header
  // client was closed after ~36 s instead of 10: check often enough for the configured value to hold.
  const server = http.createServer(
    { headersTimeout, requestTimeout, connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(headersTimeout / 4))) },
    (req, res) => {
      void handle(req, res);
    },
  );
  server.keepAliveTimeout = 5_000;

  return {
    server,
    listen(port: number, host: string): Promise<number> {
      return new Promise((resolve, reject) => {
        const onError = (e: Error): void => reject(e);
        server.once('error', onError);
        server.listen(port, host, () => {
          server.off('error', onError);
          resolve((server.address() as AddressInfo).port);
        });
      });
    },
    close(): Promise<void> {
      return new Promise((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
