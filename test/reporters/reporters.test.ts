import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TgCanaryError } from '../../src/core/errors.js';
import { REPORTER_NAMES, rebuildReport, resolveReporterNames, writeReports } from '../../src/reporters/index.js';
import { renderJunit } from '../../src/reporters/junit-reporter.js';
import { renderMarkdown } from '../../src/reporters/markdown-reporter.js';
import { cleanText, escapeHtml, escapeMarkdown, escapeXml, safeHref } from '../../src/util/html.js';
import { makeHistory, makeRun, XSS_IMG, XSS_SCRIPT } from './fixtures.js';
import { openStore } from '../../src/store/index.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'tgc-rep-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('escaping helpers', () => {
  it('neutralises markup, controls, bidi and lone surrogates', () => {
    const s = escapeHtml(`${XSS_SCRIPT}${XSS_IMG}\u202E\u0007\uD800ok`);
    expect(s).not.toMatch(/[<>]/);
    expect(s).toContain('&lt;script&gt;');
    expect(s).toContain('[U+202E]');
    expect(s).not.toContain('\u0007');
    expect(s).toContain('\uFFFD');
    expect(cleanText('a\r\nb\u0000c\u200Bd')).toBe('a\nbc[U+200B]d');
    // emoji surrogate pairs survive
    expect(cleanText('joke 😂')).toBe('joke 😂');
  });
  it('XML escaping removes what XML 1.0 forbids', () => {
    const x = escapeXml('a\u0001b\u000Bc\uFFFEd\uDC00e<&>"\'');
    expect(x).toBe('abcd\uFFFDe&lt;&amp;&gt;&quot;&apos;');
  });
  it('Markdown escaping blocks tables, code and links', () => {
    const m = escapeMarkdown('a|b `c` [x](javascript:1) <b>\nnext', { inline: true });
    expect(m).toBe('a\\|b \\`c\\` \\[x\\]\\(javascript:1\\) &lt;b&gt; next');
  });
  it('safeHref keeps http(s) and relative links only', () => {
    expect(safeHref('/reports/latest.html')).toBe('/reports/latest.html');
    expect(safeHref('https://x.example/a?b=1&c=2')).toBe('https://x.example/a?b=1&amp;c=2');
    expect(safeHref('java\tscript:alert(1)')).toBe('#');
    expect(safeHref('data:text/html,hi')).toBe('#');
  });
});

describe('writeReports', () => {
  it('writes all four reports and the latest copies, privately', async () => {
    const run = makeRun();
    const dir = path.join(root, 'reports', run.runId);
    const res = await writeReports({ run, history: makeHistory(), dir });
    expect(res.failures).toEqual([]);
    const names = res.files.map((f) => path.relative(path.join(root, 'reports'), f)).sort();
    expect(names).toEqual(
      [`${run.runId}/junit.xml`, `${run.runId}/report.html`, `${run.runId}/summary.md`, `${run.runId}/verdict.json`, 'latest.html', 'latest.json', 'latest.md', 'latest.xml'].sort(),
    );
    for (const f of res.files) expect((await stat(f)).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(root, 'reports'))).mode & 0o777).toBe(0o700);
    const verdict: unknown = JSON.parse(await readFile(path.join(root, 'reports', 'latest.json'), 'utf8'));
    expect(verdict).toEqual(run.verdict);
    const html = await readFile(path.join(dir, 'report.html'), 'utf8');
    expect(html).not.toContain(XSS_SCRIPT);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html).not.toMatch(/(src|href)=["']?https?:/);
    expect(html).toContain('<svg class="bars"');
    expect(html).toContain('<svg class="spark"');
    expect(await readFile(path.join(root, 'reports', 'latest.html'), 'utf8')).toBe(html);
  });

  it('isolates a broken reporter: the others still write', async () => {
    const run = makeRun();
    const dir = path.join(root, run.runId);
    await mkdir(path.join(dir, 'junit.xml'), { recursive: true }); // a directory where the file must go
    const res = await writeReports({ run, history: [], dir }, ['html', 'junit', 'json'], { latestDir: path.join(root, 'latest') });
    expect(res.failures.map((f) => f.reporter)).toEqual(['junit']);
    expect(res.files.some((f) => f.endsWith('report.html'))).toBe(true);
    expect(res.files.some((f) => f.endsWith(path.join('latest', 'latest.json')))).toBe(true);
    expect(res.files.some((f) => f.endsWith('latest.xml'))).toBe(false);
  });

  it('rejects an unknown reporter name as a config error', () => {
    expect(REPORTER_NAMES).toEqual(['html', 'json', 'junit', 'markdown']);
    expect(resolveReporterNames(['json', 'json'])).toEqual(['json']);
    try {
      resolveReporterNames(['html', 'pdfx']);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TgCanaryError);
      expect((e as TgCanaryError).code).toBe('REPORTER_UNKNOWN');
      expect((e as TgCanaryError).hint).toContain('html, json, junit, markdown');
    }
  });
});

describe('JUnit and Markdown', () => {
  it('JUnit has one testsuite per target and one testcase per scenario and target', () => {
    const xml = renderJunit({ run: makeRun(), history: [], dir: root });
    expect(xml.match(/<testsuite /g)).toHaveLength(2);
    expect(xml.match(/<testcase /g)).toHaveLength(4);
    expect(xml).toContain('classname="tg-canary.canary.jokes"');
    expect(xml).toContain('classname="tg-canary.stable.memories"');
    expect(xml.match(/<failure /g)).toHaveLength(1);
    expect(xml).toMatch(/<error message="flood wait 30 s" type="TG_FLOOD_WAIT">/);
    expect(xml).toContain('<testsuites name="tg-canary: fail" tests="4" failures="1" errors="1" time=');
    // nothing XML 1.0 forbids, no lone surrogates, no raw markup from the bot
    // eslint-disable-next-line no-control-regex -- stripping control characters is the point
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    expect(xml).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(xml).not.toContain('<script>');
    expect(xml).toContain('&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;');
  });

  it('Markdown escapes pipes and backticks from bot text', () => {
    const md = renderMarkdown({ run: makeRun(), history: [], dir: root });
    expect(md).toContain('❌ tg-canary: **fail** → decision **rollback**');
    const row = md.split('\n').find((l) => l.includes('tell-a-joke') && l.includes('canary') === false && l.includes('❌'));
    expect(row).toBeDefined();
    // every table row has exactly 8 unescaped pipes (7 columns)
    for (const line of md.split('\n').filter((l) => l.startsWith('| '))) {
      expect(line.match(/(?<!\\)\|/g)).toHaveLength(8);
    }
    expect(md).toContain('\\| pipe \\`tick\\`');
    expect(md).not.toContain('<script>');
  });
});

describe('rebuildReport', () => {
  it('rebuilds a stored run and refreshes latest only for the newest run', async () => {
    const store = openStore(path.join(root, 'runs.db'));
    const old = makeRun('run-a');
    old.startedAt -= 3_600_000;
    old.finishedAt -= 3_600_000;
    const newest = makeRun('run-b');
    for (const r of [old, newest]) {
      store.beginRun({ runId: r.runId, startedAt: r.startedAt, revision: r.revision });
      for (const sc of r.scenarios) store.saveScenario(r.runId, sc);
      store.finishRun(r);
    }
    const files = await rebuildReport(store, 'run-a', root);
    expect(files.map((f) => path.basename(f)).sort()).toEqual(['junit.xml', 'report.html', 'summary.md', 'verdict.json']);
    const latest = await rebuildReport(store, undefined, root);
    expect(latest.filter((f) => path.basename(f).startsWith('latest.'))).toHaveLength(4);
    expect(JSON.parse(await readFile(path.join(root, 'latest.json'), 'utf8'))).toMatchObject({ runId: 'run-b' });
    await expect(rebuildReport(store, 'nope', root)).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
    // the rebuilt report carries the stored transcript, hostile text escaped
    const html = await readFile(path.join(root, 'run-a', 'report.html'), 'utf8');
    expect(html).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(html).not.toContain(XSS_SCRIPT);
    store.close();
  });
});
