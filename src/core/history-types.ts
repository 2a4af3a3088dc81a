/** The long view of a target's runs: daily counts, uptime, latency percentiles, incidents (status page, badges). */
import type { TargetName } from './types.js';

export interface DayCounts {
  /** Start of the UTC day (ms). */
  day: number;
  pass: number;
  fail: number;
  inconclusive: number;
}

export interface LatencyDay {
  day: number;
  p50: number | null;
  p95: number | null;
}

export interface UptimeFigures {
  passes: number;
  judged: number;
  inconclusive: number;
  /** passes / judged, or null when nothing was judged. */
  uptime: number | null;
}

export interface TargetHistory {
  target: TargetName;
  /** One entry per day, oldest first, `days` long. */
  days: DayCounts[];
  uptime: UptimeFigures;
  suites: { suite: string; days: DayCounts[]; uptime: UptimeFigures }[];
  latency: LatencyDay[];
}

export interface Incident {
  target: TargetName;
  /** Start of the first failing run. */
  startedAt: number;
  /** Finish of the first passing run after the streak; null while it goes on. */
  endedAt: number | null;
  /** endedAt (or `now`) − startedAt. */
  durationMs: number;
  failingRuns: number;
  /** First and last failing run ids (the reports to open), and up to 20 run ids of the streak, oldest first. */
  firstRunId: string;
  lastRunId: string;
  runIds: string[];
  /** Distinct reasons, in order of first appearance (at most 10). */
  reasons: string[];
}

