/**
 * Reporters in a typed name map (vitest's ReportersMap): the names derive from the keys, an unknown name is a
 * config error. `writeReports` isolates them (Playwright's multiplexer): one broken reporter cannot break the
 * others or the run.
 */
import path from 'node:path';
import type { ReportContext, Reporter, RunHistoryReader } from '../core/ports.js';
import { configError, TgCanaryError } from '../core/errors.js';
import type { Logger } from '../util/logger.js';
import { copyPrivateFile, ensurePrivateDir, isSafeRunId } from './fs-write.js';
import { createHtmlReporter, HTML_FILE } from './html-reporter.js';
import { createJsonReporter, VERDICT_FILE } from './json-reporter.js';
import { createJunitReporter, JUNIT_FILE } from './junit-reporter.js';
import { createMarkdownReporter, MARKDOWN_FILE } from './markdown-reporter.js';

export const REPORTERS = {
  html: createHtmlReporter,
  json: createJsonReporter,
  junit: createJunitReporter,
  markdown: createMarkdownReporter,
} as const satisfies Record<string, () => Reporter>;

export type ReporterName = keyof typeof REPORTERS;
export const REPORTER_NAMES = Object.keys(REPORTERS) as ReporterName[];

/** Each reporter's main file and the `reports/latest.*` copy it feeds. */
export const REPORT_FILES: Record<ReporterName, { file: string; latest: string }> = {
  html: { file: HTML_FILE, latest: 'latest.html' },
  json: { file: VERDICT_FILE, latest: 'latest.json' },
  junit: { file: JUNIT_FILE, latest: 'latest.xml' },
  markdown: { file: MARKDOWN_FILE, latest: 'latest.md' },
};

export function isReporterName(name: string): name is ReporterName {
  return Object.prototype.hasOwnProperty.call(REPORTERS, name);
}

/** Checks configured names; an unknown name is a config error (never a silent fallback). */
export function resolveReporterNames(names: readonly string[], file = 'config', keyPath = 'reporters'): ReporterName[] {
  const bad = names.filter((n) => !isReporterName(n));
  if (bad.length > 0) {
    throw configError(
      'REPORTER_UNKNOWN',
      `unknown reporter ${bad.map((b) => JSON.stringify(b)).join(', ')}`,
      `use one of: ${REPORTER_NAMES.join(', ')}`,
      file,
      keyPath,
    );
  }
  return [...new Set(names as ReporterName[])];
}

export interface WriteReportsOptions {
  /** Where `latest.*` copies go; defaults to the parent of `ctx.dir` (i.e. `reports/`). */
  latestDir?: string;
  /** Set false to skip the `latest.*` copies (rebuilding an old run). */
  latest?: boolean;
  logger?: Logger;
}

export interface WriteReportsResult {
  files: string[];
  failures: { reporter: string; error: string }[];
}

function message(e: unknown): string {
  if (e instanceof TgCanaryError) return `${e.code}: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}

/** Writes the chosen reports (all by default) into `ctx.dir` and refreshes `latest.*`. Never throws for a reporter. */
export async function writeReports(
  ctx: ReportContext,
  names: ReporterName[] = REPORTER_NAMES,
  opts: WriteReportsOptions = {},
): Promise<WriteReportsResult> {
  const chosen = resolveReporterNames(names);
  const files: string[] = [];
  const failures: WriteReportsResult['failures'] = [];
  await ensurePrivateDir(ctx.dir);
  const outcomes = await Promise.allSettled(chosen.map(async (name) => REPORTERS[name]().write(ctx)));
  const latestDir = opts.latestDir ?? path.dirname(ctx.dir);
  for (const [i, outcome] of outcomes.entries()) {
    const name = chosen[i] as ReporterName;
    if (outcome.status === 'rejected') {
      failures.push({ reporter: name, error: message(outcome.reason) });
      opts.logger?.warn({ reporter: name, err: message(outcome.reason) }, 'reporter failed');
      continue;
    }
    files.push(...outcome.value);
    if (opts.latest === false) continue;
    try {
      await ensurePrivateDir(latestDir);
      const to = path.join(latestDir, REPORT_FILES[name].latest);
      await copyPrivateFile(path.join(ctx.dir, REPORT_FILES[name].file), to);
      files.push(to);
    } catch (e) {
      failures.push({ reporter: `${name}:latest`, error: message(e) });
      opts.logger?.warn({ reporter: name, err: message(e) }, 'copying the latest report failed');
    }
  }
  return { files, failures };
}

/**
 * `tg-canary report [RUN_ID]`: rebuilds every report of a stored run (the latest by default) under
 * `<dir>/<runId>/`; refreshes `latest.*` only when it is the newest run. Returns the files written.
 */
export async function rebuildReport(store: RunHistoryReader, runId: string | undefined, dir: string, logger?: Logger): Promise<string[]> {
  const run = runId === undefined ? store.latestRun() : store.getRun(runId);
  if (!run) {
    throw new TgCanaryError('RUN_NOT_FOUND', runId === undefined ? 'no runs stored yet' : `run ${JSON.stringify(runId)} not found`, {
      kind: 'usage',
      hint: runId === undefined ? 'run `tg-canary run` first' : 'list stored runs with `tg-canary history`',
    });
  }
  if (!isSafeRunId(run.runId)) {
    throw new TgCanaryError('RUN_ID_INVALID', 'run id is not usable as a directory name', { kind: 'internal' });
  }
  const history = store
    .listRuns({ last: 50, before: run.startedAt + 1 })
    .filter((r) => r.startedAt <= run.startedAt)
    .sort((a, b) => b.startedAt - a.startedAt);
  const isLatest = store.latestRun()?.runId === run.runId;
  const result = await writeReports({ run, history, dir: path.join(dir, run.runId) }, REPORTER_NAMES, {
    latestDir: dir,
    latest: isLatest,
    logger,
  });
  if (result.failures.length > 0) {
    throw new TgCanaryError(
      'REPORT_WRITE_FAILED',
      `could not write ${result.failures.map((f) => `${f.reporter} (${f.error})`).join(', ')}`,
      { kind: 'internal', hint: `check that ${dir} is writable` },
    );
  }
  return result.files;
}

export { renderReportHtml } from './html-render.js';
export { renderJunit } from './junit-reporter.js';
export { renderMarkdown } from './markdown-reporter.js';
export { renderPdf } from './pdf.js';
