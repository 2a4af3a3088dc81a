/** Reports of a run with a repeated scenario: every attempt appears, named with its number. */
import { describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../src/reporters/html-render.js';
import { renderJunit } from '../../src/reporters/junit-reporter.js';
import { renderMarkdown } from '../../src/reporters/markdown-reporter.js';
import type { RunResult } from '../../src/core/types.js';
import { makeHistory, makeRun } from './fixtures.js';

function repeatedRun(): RunResult {
  const run = makeRun();
  const base = run.scenarios.filter((s) => s.target === 'canary')[0];
  if (!base) throw new Error('fixture has no canary result');
  run.scenarios = [1, 2, 3].map((attempt) => ({ ...base, scenario: 'convert', suite: 'favor', attempt, status: attempt === 2 ? 'fail' : 'pass' }));
  return run;
}

describe('repeated scenarios in the reports', () => {
  it('JUnit has one uniquely named test case per attempt', () => {
    const xml = renderJunit({ run: repeatedRun(), history: makeHistory(2) });
    const names = [...xml.matchAll(/<testcase name="([^"]+)"/g)].map((m) => m[1]);
    expect(names).toEqual(['convert #1', 'convert #2', 'convert #3']);
    expect(xml).toMatch(/failures="1"/);
  });

  it('Markdown and HTML show each attempt', () => {
    const ctx = { run: repeatedRun(), history: makeHistory(2) };
    const md = renderMarkdown(ctx);
    for (const n of [1, 2, 3]) expect(md).toContain(`convert \\(attempt ${n}\\)`); // Markdown-escaped parentheses
    const html = renderReportHtml(ctx);
    expect([...html.matchAll(/<h3>favor \/ convert #(\d)<\/h3>/g)].map((m) => m[1])).toEqual(['1', '2', '3']);
  });
});

describe('failure rates in the HTML report', () => {
  it('shows the rates, p, level and band of each comparison, escaped', () => {
    const run = repeatedRun();
    const cmp = (band: 'pass' | 'marginal' | 'fail', p: number): NonNullable<RunResult['verdict']['failureRates']>['overall'] => ({
      canary: { n: 24, failures: 8, rate: 0.3333, shared: 0 }, stable: { n: 24, failures: 1, rate: 0.0417, shared: 1 },
      canaryRate: 0.3333, stableRate: 0, p, level: 0.025, significant: band === 'fail', insufficient: false, band,
    });
    run.verdict.failureRates = {
      runs: 2, alpha: 0.05, tolerance: 0.1, minSamples: 5, overall: cmp('fail', 0.0019),
      suites: { favor: cmp('fail', 0.0019), rag: cmp('marginal', 0.2) },
      sharedCauses: [{ cause: 'text:<b>error</b>', canary: 0, stable: 1 }],
    };
    const html = renderReportHtml({ run, history: makeHistory(2) });
    const section = html.slice(html.indexOf('id="failure-rates"'), html.indexOf('</table>', html.indexOf('id="failure-rates"')));
    expect(section).toContain('This run and 1 earlier run(s)');
    expect(section).toMatch(/<td>overall<\/td><td class="num">33\.3% \(8\/24\)<\/td><td class="num">0\.0% \(0\/23\)<\/td><td class="num">0\/1<\/td><td class="num">0\.0019<\/td>/);
    expect(section).toContain('<span class="badge b-marginal">marginal</span>');
    expect(html).toContain('text:&lt;b&gt;error&lt;/b&gt;');
    expect(html).not.toContain('<b>error</b>');
  });
});
