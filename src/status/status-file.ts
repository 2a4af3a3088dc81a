/**
 * `reports/status.json` in the shape the users' status page already reads:
 * `{ status, version, uptime_seconds, last_test: { timestamp, results: { jokes, memories, favors, rag } }, features }`.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunResult, ScenarioStatus, SuiteSummary, TargetName } from '../core/types.js';

/** Suite name in scenarios → key in status.json. */
export const STATUS_SUITES = { joke: 'jokes', memory: 'memories', favor: 'favors', rag: 'rag' } as const;
export type StatusFeature = (typeof STATUS_SUITES)[keyof typeof STATUS_SUITES];

export type StatusSuiteState = ScenarioStatus | 'not_run';

export interface StatusTargetResult {
  status: ScenarioStatus;
  score: number;
}

export interface StatusSuiteResult {
  /** The canary's result for the suite (the deployment under test). */
  status: StatusSuiteState;
  score: number | null;
  canary: StatusTargetResult | null;
  stable: StatusTargetResult | null;
}

export interface StatusJson {
  /** ok: canary passed; degraded: some suites fail; down: every suite that ran fails; unknown: inconclusive. */
  status: 'ok' | 'degraded' | 'down' | 'unknown';
  version: string;
  uptime_seconds: number;
  last_test: {
    timestamp: string;
    results: Record<StatusFeature, StatusSuiteResult>;
  };
  /** Feature → working in the last run (canary passed that suite). */
  features: Record<StatusFeature, boolean>;
}

export function buildStatusJson(run: RunResult, opts: { version: string; startedAt: number; now: number }): StatusJson {
  const results = {} as Record<StatusFeature, StatusSuiteResult>;
  const features = {} as Record<StatusFeature, boolean>;
  for (const [suite, key] of Object.entries(STATUS_SUITES) as Array<[string, StatusFeature]>) {
    const canary = suiteResult(run, 'canary', suite);
    const stable = suiteResult(run, 'stable', suite);
    results[key] = { status: canary?.status ?? 'not_run', score: canary?.score ?? null, canary, stable };
    features[key] = canary?.status === 'pass';
  }
  return {
    status: overall(run, results),
    version: opts.version,
    uptime_seconds: Math.max(0, Math.floor((opts.now - opts.startedAt) / 1000)),
    last_test: { timestamp: new Date(run.finishedAt || run.startedAt).toISOString(), results },
    features,
  };
}

function suiteResult(run: RunResult, target: TargetName, suite: string): StatusTargetResult | null {
  const summary: SuiteSummary | undefined = run.verdict.targets[target]?.suites[suite];
  if (summary) return { status: summary.status, score: round(summary.score) };
  const mine = run.scenarios.filter((s) => s.target === target && s.suite === suite);
  if (mine.length === 0) return null;
  const rank: Record<ScenarioStatus, number> = { fail: 3, error: 2, pass: 1, skipped: 0 };
  const worst = mine.reduce<ScenarioStatus>((w, s) => (rank[s.status] > rank[w] ? s.status : w), 'skipped');
  return { status: worst, score: round(mine.reduce((a, s) => a + s.score, 0) / mine.length) };
}

function overall(run: RunResult, results: Record<StatusFeature, StatusSuiteResult>): StatusJson['status'] {
  const v = run.verdict.verdict;
  if (v === 'pass') return 'ok';
  if (v !== 'fail') return 'unknown';
  const ran = Object.values(results).filter((r) => r.status !== 'not_run' && r.status !== 'skipped');
  return ran.length > 0 && ran.every((r) => r.status === 'fail') ? 'down' : 'degraded';
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** Writes `<dir>/status.json` atomically (temp file + rename), mode 0600. Returns the file path. */
export async function writeStatusFile(dir: string, json: StatusJson): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'status.json');
  const tmp = join(dir, `.status.json.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, `${JSON.stringify(json, null, 2)}\n`, { mode: 0o600 });
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  return file;
}
