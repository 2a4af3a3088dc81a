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
