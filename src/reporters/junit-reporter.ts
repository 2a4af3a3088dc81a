import path from 'node:path';
import type { ReportContext, Reporter } from '../core/ports.js';
import type { ScenarioResult } from '../core/types.js';
import { escapeXml, truncate } from '../util/html.js';
import { ensurePrivateDir, writePrivateFile } from './fs-write.js';
import { byTarget, transcriptText } from './transcript.js';

export const JUNIT_FILE = 'junit.xml';

function seconds(msValue: number): string {
  return (Math.max(0, msValue) / 1000).toFixed(3);
}

function testcase(r: ScenarioResult): string {
  const attrs = `name="${escapeXml(r.attempt !== undefined ? `${r.scenario} #${r.attempt}` : r.scenario)}" classname="${escapeXml(`tg-canary.${r.target}.${r.suite}`)}" time="${seconds(r.finishedAt - r.startedAt)}"`;
  const reasons = r.reasons.length > 0 ? r.reasons : [`status ${r.status}`];
  const failedAsserts = r.assertions
    .filter((a) => !a.pass)
    .map((a) => `${a.type}${a.critical ? ' (critical)' : ''}: ${a.reason}`);
  const body = [...reasons, ...failedAsserts].join('\n');
  const message = escapeXml(truncate(reasons.join('; '), 500));
  let outcome = '';
  if (r.status === 'fail') {
    outcome = `<failure message="${message}" type="assertion">${escapeXml(body)}</failure>`;
  } else if (r.status === 'error') {
    outcome = `<error message="${message}" type="${escapeXml(r.errorCode ?? 'TESTER_ERROR')}">${escapeXml(body)}</error>`;
  } else if (r.status === 'skipped') {
    outcome = `<skipped message="${message}"/>`;
  }
  return `    <testcase ${attrs}>\n      ${outcome ? `${outcome}\n      ` : ''}<system-out>${escapeXml(transcriptText(r))}</system-out>\n    </testcase>`;
}

/** JUnit XML: one testsuite per target, one testcase per scenario and target. */
export function renderJunit(ctx: ReportContext): string {
  const { run } = ctx;
  const suites: string[] = [];
  const totals = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const [target, rs] of byTarget(run.scenarios)) {
    const c = {
      tests: rs.length,
      failures: rs.filter((r) => r.status === 'fail').length,
      errors: rs.filter((r) => r.status === 'error').length,
      skipped: rs.filter((r) => r.status === 'skipped').length,
    };
    totals.tests += c.tests;
    totals.failures += c.failures;
    totals.errors += c.errors;
    totals.skipped += c.skipped;
    const time = rs.reduce((sum, r) => sum + Math.max(0, r.finishedAt - r.startedAt), 0);
    const started = Math.min(...rs.map((r) => r.startedAt));
    const summary = run.verdict.targets[target];
    suites.push(
      `  <testsuite name="${escapeXml(target)}" tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}" time="${seconds(time)}" timestamp="${new Date(started).toISOString()}">\n` +
        `    <properties>\n` +
        `      <property name="runId" value="${escapeXml(run.runId)}"/>\n` +
        (run.revision ? `      <property name="revision" value="${escapeXml(run.revision)}"/>\n` : '') +
        (summary ? `      <property name="verdict" value="${escapeXml(summary.verdict)}"/>\n` : '') +
        `    </properties>\n${rs.map(testcase).join('\n')}\n  </testsuite>`,
    );
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="tg-canary" tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" skipped="${totals.skipped}" time="${seconds(run.finishedAt - run.startedAt)}" timestamp="${new Date(run.startedAt).toISOString()}">\n` +
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
