/** Test data and loopback helpers shared by test/notifiers and test/pushers. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunResult, ScenarioResult, ScenarioStatus, TargetName, Verdict } from '../../src/core/types.js';

export const EVIL = '<script>alert(1)</script><img src=x onerror=alert(2)> & "quotes"';

export function scenario(name: string, suite: string, target: TargetName, status: ScenarioStatus, at: number): ScenarioResult {
  return {
    scenario: name, suite, target, bot: `${target}_bot`, status,
    score: status === 'pass' ? 1 : 0.25, startedAt: at, finishedAt: at + 1500,
    latencyMs: { first: 420, final: 1250 },
    reasons: status === 'fail' ? [`reply was ${EVIL}`] : [],
    steps: [], assertions: [],
  };
}

/** A run at `at` where the canary has `verdict` (fails the joke suite when failing) and stable passes. */
export function makeRun(runId: string, verdict: Verdict, at: number, opts: { stable?: boolean } = {}): RunResult {
  const canaryJoke: ScenarioStatus = verdict === 'fail' ? 'fail' : verdict === 'inconclusive' ? 'error' : 'pass';
  const scenarios: ScenarioResult[] = [
    scenario('tell-joke', 'joke', 'canary', canaryJoke, at),
    scenario('remember-name', 'memory', 'canary', 'pass', at),
    scenario('do-favor', 'favor', 'canary', 'pass', at),
    scenario('answer-docs', 'rag', 'canary', 'pass', at),
  ];
  if (opts.stable !== false) scenarios.push(scenario('tell-joke', 'joke', 'stable', 'pass', at));
  const canaryScore = verdict === 'pass' ? 1 : 0.8125;
  return {
    runId, startedAt: at, finishedAt: at + 5000, aborted: false, scenarios,
    verdict: {
      schema: 1, runId, verdict, decision: verdict === 'fail' ? 'rollback' : verdict === 'pass' ? 'promote' : 'hold',
      score: canaryScore, startedAt: new Date(at).toISOString(), finishedAt: new Date(at + 5000).toISOString(),
      targets: {
        canary: {
          verdict, score: canaryScore,
          suites: { joke: { status: canaryJoke, score: canaryJoke === 'pass' ? 1 : 0.25 }, memory: { status: 'pass', score: 1 },
            favor: { status: 'pass', score: 1 }, rag: { status: 'pass', score: 1 } },
        },
        ...(opts.stable !== false ? { stable: { verdict: 'pass' as const, score: 1, suites: { joke: { status: 'pass' as const, score: 1 } } } } : {}),
      },
      scenarios: scenarios.map((s) => ({ name: s.scenario, suite: s.suite, target: s.target, status: s.status, score: s.score, latencyMs: s.latencyMs, reasons: s.reasons })),
      reasons: verdict === 'fail' ? ['canary fails joke/tell-joke while stable passes'] : verdict === 'inconclusive' ? ['session revoked'] : [],
      consecutiveFailures: verdict === 'fail' ? 1 : 0, consecutiveInconclusive: verdict === 'inconclusive' ? 1 : 0, flaky: [],
    },
  };
}

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface Loopback {
  server: Server;
  url: string;
  requests: Recorded[];
  close(): Promise<void>;
}

/** A loopback HTTP server on 127.0.0.1:<port> (0 = any) that records every request and answers with `respond`. */
export async function startHttp(
  respond: (req: Recorded, res: ServerResponse) => void = (_r, res) => { res.end('OK'); },
  port = 0,
): Promise<Loopback> {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(rec);
      respond(rec, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const addr = server.address() as AddressInfo;
  return {
    server, url: `http://127.0.0.1:${addr.port}`, requests,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

