/**
 * A loopback healthchecks.io ping server that follows healthchecks' own rules (hc/api/urls.py, views.py `ping`,
 * models.py `Check.ping` / `get_status`, hc/lib/string.py, read at healthchecks/healthchecks 29b5ec25):
 * - `/<uuid>` success, `/<uuid>/start`, `/<uuid>/fail`, `/<uuid>/log`, `/<uuid>/<exit status>` (0 success,
 *   1..255 fail, > 255 `400 invalid url format`); GET, HEAD and POST alike; an unknown check `404 not found`;
 * - `?rid=` must match `^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$` (case-insensitive), else
 *   `400 invalid uuid format`;
 * - start sets last_start and its rid; success/fail set last_ping and the status (up/down), clear the start when
 *   the rid matches (measuring the duration) or on fail or without rid; log changes nothing but the event list;
 * - status: down once last_start + grace has passed; else new/down as stored; else grace after last_ping + timeout,
 *   down after last_ping + timeout + grace.
 * Its clock is the test's.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface HcEvent {
  kind: 'success' | 'fail' | 'start' | 'log';
  rid: string | null;
  exitStatus: number | null;
  body: string;
  at: number;
}

export interface HcCheck {
  code: string;
  timeoutMs: number;
  graceMs: number;
  status: 'new' | 'up' | 'down';
  lastPing: number | null;
  lastStart: number | null;
  lastStartRid: string | null;
  lastDurationMs: number | null;
  events: HcEvent[];
}

export interface HealthchecksMock {
  url: string;
  checks: Map<string, HcCheck>;
  /** Answers seen, as `<status> <body>` per request, in order. */
  answers: string[];
  addCheck(code: string, o: { timeoutMs: number; graceMs: number }): HcCheck;
  /** healthchecks' `get_status()` at the mock's current time. */
  statusOf(code: string): 'new' | 'up' | 'grace' | 'down';
  close(): Promise<void>;
}

export async function startHealthchecksMock(now: () => number): Promise<HealthchecksMock> {
  const checks = new Map<string, HcCheck>();
  const answers: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = (status: number, text: string): void => {
        answers.push(`${status} ${text}`);
        res.writeHead(status, { 'content-type': 'text/plain' }).end(text);
      };
      if (!['GET', 'HEAD', 'POST'].includes(req.method ?? '')) return answer(405, 'method not allowed');
      const url = new URL(req.url ?? '/', 'http://localhost');
      const m = /^\/([^/]+)(?:\/(start|fail|log|\d+))?\/?$/.exec(url.pathname);
      if (!m || !UUID_RE.test(m[1] ?? '')) return answer(404, 'not found');
      const check = checks.get((m[1] ?? '').toLowerCase());
      if (!check) return answer(404, 'not found');
      let kind: HcEvent['kind'] = 'success';
      let exitStatus: number | null = null;
      const action = m[2];
      if (action === 'start' || action === 'fail' || action === 'log') kind = action;
      else if (action !== undefined) {
        exitStatus = Number(action);
        if (exitStatus > 255) return answer(400, 'invalid url format');
        if (exitStatus > 0) kind = 'fail';
      }
      const ridRaw = url.searchParams.get('rid');
      if (ridRaw !== null && !UUID_RE.test(ridRaw)) return answer(400, 'invalid uuid format');
      const rid = ridRaw === null ? null : ridRaw.toLowerCase();
      const t = now();
      if (kind === 'start') {
        check.lastStart = t;
        check.lastStartRid = rid;
      } else if (kind === 'success' || kind === 'fail') {
        check.lastPing = t;
        check.lastDurationMs = null;
        if (check.lastStart !== null) {
          if (check.lastStartRid === rid) {
            check.lastDurationMs = t - check.lastStart;
            check.lastStart = null;
          } else if (kind === 'fail' || rid === null) {
            check.lastStart = null;
          }
        }
        check.status = kind === 'fail' ? 'down' : 'up';
      }
      check.events.push({ kind, rid, exitStatus, body: Buffer.concat(chunks).toString('utf8'), at: t });
      answer(200, 'OK');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    checks,
    answers,
    addCheck(code, o) {
      const c: HcCheck = { code, ...o, status: 'new', lastPing: null, lastStart: null, lastStartRid: null, lastDurationMs: null, events: [] };
      checks.set(code.toLowerCase(), c);
      return c;
    },
    statusOf(code) {
      const c = checks.get(code.toLowerCase());
      if (!c) throw new Error(`no check ${code}`);
      const t = now();
      if (c.lastStart !== null && t >= c.lastStart + c.graceMs) return 'down';
      if (c.status === 'new' || c.status === 'down') return c.status;
      const graceStart = (c.lastPing ?? 0) + c.timeoutMs;
      if (t >= graceStart + c.graceMs) return 'down';
      if (t >= graceStart) return 'grace';
      return 'up';
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
