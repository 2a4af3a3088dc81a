import path from 'node:path';
import type { ReportContext, Reporter } from '../core/ports.js';
import type { RunResult, ScenarioResult } from '../core/types.js';
import { escapeXml, truncate } from '../util/html.js';
import { ensurePrivateDir, writePrivateFile } from './fs-write.js';
import { byTarget, transcriptText } from './transcript.js';

export const JUNIT_FILE = 'junit.xml';

function seconds(msValue: number): string {
  return (Math.max(0, msValue) / 1000).toFixed(3);
}

/**
 * A canary `fail` in a run whose verdict is inconclusive (stable fails the same way: a shared outage; or Telegram
 * trouble elsewhere in the run) was not judged a regression: it is reported as skipped, saying why, with the
 * failure's own reasons kept in the message and the body, so CI shows "not judged", not a failing canary suite.
 */
function notJudged(r: ScenarioResult, run: RunResult): boolean {
  return r.target === 'canary' && r.status === 'fail' && run.verdict.verdict === 'inconclusive';
}

function testcase(r: ScenarioResult, run: RunResult): string {
  const attrs = `name="${escapeXml(r.attempt !== undefined ? `${r.scenario} #${r.attempt}` : r.scenario)}" classname="${escapeXml(`tg-canary.${r.target}.${r.suite}`)}" time="${seconds(r.finishedAt - r.startedAt)}"`;
  const reasons = r.reasons.length > 0 ? r.reasons : [`status ${r.status}`];
  const failedAsserts = r.assertions
    .filter((a) => !a.pass)
    .map((a) => `${a.type}${a.critical ? ' (critical)' : ''}: ${a.reason}`);
  const body = [...reasons, ...failedAsserts].join('\n');
  const message = escapeXml(truncate(reasons.join('; '), 500));
  let outcome = '';
  if (notJudged(r, run)) {
    const why = `not judged: the run is inconclusive (${run.verdict.reasons[0] ?? 'see the verdict reasons'}); this failure is not a canary regression: ${reasons.join('; ')}`;
    outcome = `<skipped type="inconclusive" message="${escapeXml(truncate(why, 500))}">${escapeXml(body)}</skipped>`;
  } else if (r.status === 'fail') {
    outcome = `<failure message="${message}" type="assertion">${escapeXml(body)}</failure>`;
  } else if (r.status === 'error') {
    outcome = `<error message="${message}" type="${escapeXml(r.errorCode ?? 'TESTER_ERROR')}">${escapeXml(body)}</error>`;
  } else if (r.status === 'skipped') {
    outcome = `<skipped message="${message}"/>`;
  }
  return `    <testcase ${attrs}>\n      ${outcome ? `${outcome}\n      ` : ''}<system-out>${escapeXml(transcriptText(r))}</system-out>\n    </testcase>`;
}

function property(name: string, value: string): string {
  return `      <property name="${escapeXml(name)}" value="${escapeXml(value)}"/>\n`;
}

/**
 * JUnit XML (valid against Jenkins' junit-10.xsd): one testsuite per target, one testcase per scenario and target.
 * Each suite's properties carry the run's verdict, decision and reasons (the `<testsuites>` root has no properties
 * in that schema), so a CI page shows why a run was inconclusive next to its test counts.
 */
export function renderJunit(ctx: ReportContext): string {
  const { run } = ctx;
  const v = run.verdict;
  const suites: string[] = [];
  const totals = { tests: 0, failures: 0, errors: 0 };
  for (const [target, rs] of byTarget(run.scenarios)) {
    const c = {
      tests: rs.length,
      failures: rs.filter((r) => r.status === 'fail' && !notJudged(r, run)).length,
      errors: rs.filter((r) => r.status === 'error').length,
      skipped: rs.filter((r) => r.status === 'skipped' || notJudged(r, run)).length,
    };
    totals.tests += c.tests;
    totals.failures += c.failures;
    totals.errors += c.errors;
    const time = rs.reduce((sum, r) => sum + Math.max(0, r.finishedAt - r.startedAt), 0);
    const started = Math.min(...rs.map((r) => r.startedAt));
    const summary = v.targets[target];
    const props =
      property('runId', run.runId) +
      (run.revision ? property('revision', run.revision) : '') +
      property('run.verdict', v.verdict) +
      property('run.decision', v.decision) +
      (summary ? property('target.verdict', summary.verdict) : '') +
      v.reasons.slice(0, 20).map((reason, i) => property(`run.reason.${i + 1}`, truncate(reason, 500))).join('');
    suites.push(
      `  <testsuite name="${escapeXml(target)}" tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}" time="${seconds(time)}" timestamp="${new Date(started).toISOString()}">\n` +
        `    <properties>\n${props}    </properties>\n${rs.map((r) => testcase(r, run)).join('\n')}\n  </testsuite>`,
    );
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="${escapeXml(`tg-canary: ${v.verdict}`)}" tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" time="${seconds(run.finishedAt - run.startedAt)}">\n` +
    `${suites.join('\n')}${suites.length ? '\n' : ''}</testsuites>\n`
  );
}

export function createJunitReporter(): Reporter {
  return {
    name: 'junit',
    async write(ctx: ReportContext): Promise<string[]> {
      await ensurePrivateDir(ctx.dir);
      const file = path.join(ctx.dir, JUNIT_FILE);
      await writePrivateFile(file, renderJunit(ctx));
      return [file];
    },
  };
}
